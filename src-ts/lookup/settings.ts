import type { ConfigureOptions } from '../definitions';
import { invalidArgument } from '../errors';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_RETRIES,
  MAX_CACHE_TTL_MS,
  MAX_RETRIES,
  MAX_TIMEOUT_MS,
} from '../generated/core-contract';
import { tokenProblem } from '../token';

/** A configuration that passed validation. */
export interface Settings {
  /** The backend URL without a trailing slash: `{baseUrl}/customers/{id}` is the request. */
  baseUrl: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxRetries: number;
  /** 0: no cache. */
  cacheTtlMs: number;
}

/**
 * The string (or `type`) option `name`, or `undefined` when it is absent or null (what the
 * native bridges see of `undefined`). The words are the adapters' on Android and iOS too.
 */
export function stringOption(
  options: unknown,
  name: string,
  required?: boolean,
  type: 'string' | 'boolean' = 'string',
): string | undefined {
  const value = options == null ? undefined : (options as Record<string, unknown>)[name];
  if (value == null) {
    if (required) throw invalidArgument(`${name} is required`);
    return undefined;
  }
  if (typeof value !== type) throw invalidArgument(`${name} must be a ${type}`);
  return value as string;
}

/** A device token the core would accept, else its INVALID_ARGUMENT. */
export function checkedToken(token: string): string {
  const problem = tokenProblem(token);
  if (problem !== undefined) throw invalidArgument(`token ${problem}`);
  return token;
}

/**
 * Checks `configure`'s options in the order every platform follows (src-ts/contract/README.md):
 * the types and numbers, as the native adapters check them, then the Rust core's URL and token
 * rules, in its words. Returns the settings and the token (`undefined` for none).
 */
export function validateConfigure(options: ConfigureOptions): [Settings, string | undefined] {
  const backendUrl = stringOption(options, 'backendUrl', true) as string;
  const token = stringOption(options, 'token');
  const number = (name: keyof ConfigureOptions, min: number, max: number, fallback: number): number => {
    const value = (options as unknown as Record<string, unknown>)[name];
    if (value == null) return fallback;
    if (typeof value !== 'number') throw invalidArgument(`${name} must be a number`);
    // The value is not echoed: each platform prints numbers its own way.
    if (!(value % 1 === 0 && value >= min && value <= max)) {
      throw invalidArgument(`${name} must be an integer between ${min} and ${max}`);
    }
    return value;
  };
  // Evaluated in this order, as the contract's cases expect.
  const settings: Settings = {
    timeoutMs: number('timeoutMs', 1, MAX_TIMEOUT_MS, DEFAULT_DEADLINE_MS),
    connectTimeoutMs: number('connectTimeoutMs', 1, MAX_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS),
    // The deadline bounds retries anyway.
    maxRetries: number('maxRetries', 0, MAX_RETRIES, DEFAULT_MAX_RETRIES),
    cacheTtlMs: number('cacheTtlMs', 0, MAX_CACHE_TTL_MS, 0),
    baseUrl: '',
  };
  const pins = options.pins == null ? [] : options.pins;
  if (!(Array.isArray(pins) && pins.every((pin) => typeof pin === 'string'))) {
    throw invalidArgument('pins must be an array of strings');
  }
  settings.baseUrl = validateBaseUrl(backendUrl);
  // The browser does TLS: refusing pins beats silently not pinning.
  if (pins.length) throw invalidArgument('pins are not supported on the web: fetch cannot pin certificates');
  return [settings, token === undefined ? token : checkedToken(token)];
}

function validateBaseUrl(raw: string): string {
  const invalid = (why: string) => invalidArgument(`base URL ${why}`);
  const trimmed = raw.trim();
  // As written, before the parser maps the host to Punycode: the core has no Unicode host
  // support and refuses such a host, so the web does too, in the same words.
  if (/^[A-Za-z\d+.-]+:\/\/[^/\\?#]*[\x80-\uffff%]/.test(trimmed)) {
    throw invalid('host must be ASCII: use Punycode (xn--) for an internationalized domain name');
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw invalid('is not a valid URL');
  }
  const { hostname, protocol } = url;
  if (!hostname) throw invalid('has no host');
  const scheme = protocol.slice(0, -1);
  // The parser has already normalised the host: lower case, IPv4 dotted, IPv6 compressed.
  if (scheme === 'http' && !/^(localhost|\[::1\]|127\.\d+\.\d+\.\d+)$/.test(hostname)) {
    throw invalid('must use https (plain http is allowed only for 127.0.0.1, localhost and [::1])');
  }
  if (scheme !== 'https' && scheme !== 'http') throw invalid(`must use https, not ${scheme}`);
  if (url.username || url.password) throw invalid('must not contain credentials: pass them in `credentials`');
  // `search` and `hash` are empty for a bare "?" or "#"; the serialised URL still shows them.
  if (/[?#]/.test(url.href)) throw invalid('must not have a query or fragment');
  return url.origin + url.pathname.replace(/\/+$/, '');
}
