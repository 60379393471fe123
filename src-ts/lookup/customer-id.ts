import { invalidArgument } from '../errors';
// Juspay's documented maximum, in characters (Unicode code points).
import { MAX_CUSTOMER_ID_CHARS } from '../generated/core-contract';

/**
 * Checks a customer id and returns it as one percent-encoded path segment: every byte outside
 * `A-Z a-z 0-9 - . _ ~` encoded, exactly as the Rust core does, so `/`, `?`, `#`, `%` and spaces
 * can never change the request's path, query or fragment. The messages are the core's.
 */
export function encodeCustomerId(id: string): string {
  // The string iterator walks code points; `.length` would count UTF-16 units.
  let chars = 0;
  for (const _ of id) chars++; // eslint-disable-line @typescript-eslint/no-unused-vars
  if (!chars) throw invalidArgument('customer_id must not be empty');
  if (chars > MAX_CUSTOMER_ID_CHARS) {
    throw invalidArgument(`customer_id must be at most ${MAX_CUSTOMER_ID_CHARS} characters, got ${chars}`);
  }
  // Even encoded, "." and ".." are dot-segments that URL normalisation removes.
  if (id === '.' || id === '..') throw invalidArgument('customer_id must not be "." or ".."');
  let encoded: string;
  try {
    encoded = encodeURIComponent(id);
  } catch {
    // Only a lone UTF-16 surrogate, which has no UTF-8 form, makes encodeURIComponent throw.
    throw invalidArgument('customer_id must be valid Unicode text');
  }
  // encodeURIComponent leaves these five sub-delimiters as they are.
  return encoded.replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
