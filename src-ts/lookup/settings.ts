import type { ConfigureOptions } from '../definitions';
import { invalidArgument } from '../errors';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RETRIES = 2;
/** Longer than this is a configuration mistake (the Rust core's bound too). */
const MAX_TIMEOUT_MS = 600_000;
/** The deadline bounds retries anyway. */
const MAX_RETRIES = 10;

/** A configuration that passed validation. */
export interface Settings {
  /** The backend URL without a trailing slash: `{baseUrl}/customers/{id}` is the request. */
  baseUrl: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxRetries: number;
}

/**
 * Checks `configure`'s options as the Rust core checks its config, so every platform refuses the
 * same ones with the same words; numbers are named by their TypeScript option.
 */
export function validateSettings(options: ConfigureOptions | undefined): Settings {
  const given = options ?? ({} as Partial<ConfigureOptions>);
  return {
    baseUrl: validateBaseUrl(given.backendUrl),
    timeoutMs: integerIn('timeoutMs', given.timeoutMs, 1, MAX_TIMEOUT_MS, DEFAULT_TIMEOUT_MS),
    connectTimeoutMs: integerIn(
      'connectTimeoutMs',
      given.connectTimeoutMs,
      1,
      MAX_TIMEOUT_MS,
      DEFAULT_CONNECT_TIMEOUT_MS,
    ),
    maxRetries: integerIn('maxRetries', given.maxRetries, 0, MAX_RETRIES, DEFAULT_MAX_RETRIES),
  };
}

function integerIn(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalidArgument(`${name} must be an integer between ${min} and ${max}, got ${show(value)}`);
  }
  if (value < min || value > max) {
    throw invalidArgument(`${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function validateBaseUrl(raw: unknown): string {
  // The adapters' agreed words for a missing option (scripts/contract).
  if (typeof raw !== 'string') throw invalidArgument('backendUrl is required');
  const invalid = (why: string) => invalidArgument(`base URL ${why}`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid('is not a valid URL');
  }
  if (url.hostname === '') throw invalid('has no host');
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'http' && !isLoopback(url.hostname)) {
    throw invalid('must use https (plain http is allowed only for 127.0.0.1, localhost and [::1])');
  }
  if (scheme !== 'https' && scheme !== 'http') throw invalid(`must use https, not ${scheme}`);
  if (url.username !== '' || url.password !== '') {
    throw invalid('must not contain credentials: pass them in `credentials`');
  }
  // `search` and `hash` are empty for a bare "?" or "#"; the serialised URL still shows them.
  if (/[?#]/.test(url.href)) throw invalid('must not have a query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The URL parser has already normalised the host: lower case, IPv4 dotted, IPv6 compressed. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
