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

/** The body as JSON, or `undefined` when it is not JSON. */
function parseJson(body: Uint8Array): unknown {
  try {
    // Fatal, so that bytes which are not UTF-8 count as "not JSON", as they do for the Rust
    // core; the BOM is kept so that JSON.parse refuses it, as serde does.
    return JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body));
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
 * The most useful sentence Juspay sent, developer-facing first. `error_message` comes last: on
 * the 403 it says "Internal Server error.", which misleads.
 */
export function bestMessage(fields: JuspayErrorFields): string | null {
  return or(fields.developerMessage, or(fields.userMessage, fields.errorMessage));
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
 * `object` equal to "customer" when present, anything else ignored. A string is why it is not
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
  if (json !== value || ('object' in json && json.object !== 'customer') || typeof json.id !== 'string') {
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
