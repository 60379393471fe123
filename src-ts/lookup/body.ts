import type { Customer, JuspayClientAuth } from '../definitions';

/**
 * Reading Juspay's bodies: the customer of a 2xx, and the fields of its documented error shapes
 * (401 without `error_message`, 403 with a top-level `user_message`, 404 with both), read
 * leniently so that an unexpected shape never hides the HTTP status.
 *
 * Objects come from JSON.parse and are read by fixed keys that no Object.prototype member
 * shares, so plain indexing sees only the body's own fields.
 */

/** The fields of an error body that callers can act on; 429 and 5xx bodies may be anything. */
export interface JuspayErrorFields {
  errorCode: string | null;
  errorMessage: string | null;
  errorInfoCode: string | null;
  userMessage: string | null;
  developerMessage: string | null;
  requestId: string | null;
}

type Json = Record<string, unknown>;

/** A lone UTF-16 surrogate: with the `u` flag, a well-formed pair is one code point and no match. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Refuses what the Rust core's parser refuses and JSON.parse accepts: a `\ud800`-style escape
 * without its pair (no Rust, Kotlin or Swift string can hold it) and a number out of the double
 * range, anywhere in the document.
 */
function strict(key: string, value: unknown): unknown {
  if (LONE_SURROGATE.test(key) || (typeof value === 'string' && LONE_SURROGATE.test(value))) {
    throw new SyntaxError('lone surrogate');
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new SyntaxError('number out of range');
  return value;
}

/** The Rust core's parser (serde_json) refuses JSON nested deeper than this many levels. */
const MAX_DEPTH = 127;

/** Whether arrays and objects nest deeper than MAX_DEPTH, brackets inside strings aside. */
function tooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The body as JSON, or `undefined` when it is not JSON. */
function parseJson(body: Uint8Array): unknown {
  try {
    // Fatal, so that bytes which are not UTF-8 count as "not JSON", as they do for the Rust
    // core; the BOM is kept so that JSON.parse refuses it, as serde does.
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    return tooDeep(text) ? undefined : JSON.parse(text, strict);
  } catch {
    return undefined;
  }
}

/** The value if it is a JSON object, else an empty one. */
function object(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** `first` unless it is null (an empty string is kept, as the core keeps it). */
function or<T>(first: T | null, second: T): T {
  return first === null ? second : first;
}

export function parseErrorFields(body: Uint8Array | null): JuspayErrorFields {
  const top = object(body && parseJson(body));
  const info = object(top.error_info);
  return {
    errorCode: text(top.error_code),
    errorMessage: text(top.error_message),
    errorInfoCode: text(info.code),
    userMessage: or(text(info.user_message), text(top.user_message)),
    developerMessage: text(info.developer_message),
    requestId: text(info.request_id),
  };
}

/** Juspay's "no such customer" body, as opposed to a 404 for a wrong path. */
export function isObjectNotFound(fields: JuspayErrorFields): boolean {
  return fields.errorCode === 'object_not_found' || fields.errorInfoCode === 'RESOURCE_NOT_FOUND';
}

/**
 * The most useful sentence Juspay sent, developer-facing first; an empty one is no sentence.
 * `error_message` comes last: on the 403 it says "Internal Server error.", which misleads.
 */
export function bestMessage(fields: JuspayErrorFields): string | null {
  const sentences = [fields.developerMessage, fields.userMessage, fields.errorMessage];
  return sentences.find((m) => m !== null && m !== '') ?? null;
}

// TypeScript's keys; the wire's are the same in snake_case.
const OPTIONAL_FIELDS: readonly (keyof Customer)[] = [
  'object',
  'objectReferenceId',
  'firstName',
  'lastName',
  'emailAddress',
  'mobileNumber',
  'mobileCountryCode',
  'dateCreated',
  'lastUpdated',
];

/**
 * The customer in a 2xx body: an `id` string, optional string fields (absent or null is null),
 * `object` equal to "customer" unless absent or null, anything else ignored. A string is why it is not
 * one, in the words every platform uses.
 *
 * `juspay` is read only when `clientAuthToken` was asked for, and then it must hold a usable
 * token (the caller needs it for Juspay's SDK; a null would hide a backend that dropped it).
 * Not asked, it is `null` whatever the body says.
 */
export function parseCustomer(body: Uint8Array, clientAuthToken: boolean): Customer | string {
  const value = parseJson(body);
  if (value === undefined) return 'the response body is not valid JSON';
  const wrongShape = 'the response is not a customer object';
  const json = object(value);
  if (json !== value || (json.object != null && json.object !== 'customer') || typeof json.id !== 'string') {
    return wrongShape;
  }
  const customer = { id: json.id } as Record<string, unknown>;
  for (const key of OPTIONAL_FIELDS) {
    const field = json[key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())];
    if (field != null && typeof field !== 'string') return wrongShape;
    customer[key] = field == null ? null : field;
  }
  customer.juspay = null;
  if (clientAuthToken) {
    // An object with a non-empty string token and a string, null or absent expiry.
    const juspay = object(json.juspay);
    const token = juspay.client_auth_token;
    const expiry = juspay.client_auth_token_expiry;
    if (juspay !== json.juspay || typeof token !== 'string' || !token || (expiry != null && text(expiry) === null)) {
      return 'no usable client auth token in the response';
    }
    customer.juspay = { clientAuthToken: token, clientAuthTokenExpiry: text(expiry) } as JuspayClientAuth;
  }
  return customer as unknown as Customer;
}
