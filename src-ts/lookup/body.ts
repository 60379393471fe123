import type { Customer } from '../definitions';

/**
 * Reading Juspay's bodies: the customer of a 2xx, and the fields of its documented error shapes
 * (401 without `error_message`, 403 with a top-level `user_message`, 404 with both), read
 * leniently so that an unexpected shape never hides the HTTP status.
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

/** Why a 2xx body is not a customer; the text is the error message every platform uses. */
export type NotACustomer = 'the response body is not valid JSON' | 'the response is not a customer object';

type Json = Record<string, unknown>;

// Fatal, so that bytes which are not UTF-8 count as "not JSON", as they do for the Rust core;
// the BOM is kept so that JSON.parse refuses it, as serde does.
const utf8 = (): TextDecoder => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function parseJson(body: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(utf8().decode(body)) };
  } catch {
    return { ok: false };
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(object: Json, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function parseErrorFields(body: Uint8Array | null): JuspayErrorFields {
  const parsed = body === null ? { ok: false as const } : parseJson(body);
  const top = parsed.ok && isObject(parsed.value) ? parsed.value : {};
  const infoValue = own(top, 'error_info');
  const info = isObject(infoValue) ? infoValue : {};
  return {
    errorCode: text(own(top, 'error_code')),
    errorMessage: text(own(top, 'error_message')),
    errorInfoCode: text(own(info, 'code')),
    userMessage: text(own(info, 'user_message')) ?? text(own(top, 'user_message')),
    developerMessage: text(own(info, 'developer_message')),
    requestId: text(own(info, 'request_id')),
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
  return fields.developerMessage ?? fields.userMessage ?? fields.errorMessage;
}

const OPTIONAL_FIELDS: readonly [keyof Customer, string][] = [
  ['object', 'object'],
  ['objectReferenceId', 'object_reference_id'],
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['emailAddress', 'email_address'],
  ['mobileNumber', 'mobile_number'],
  ['mobileCountryCode', 'mobile_country_code'],
  ['dateCreated', 'date_created'],
  ['lastUpdated', 'last_updated'],
];

/**
 * The customer in a 2xx body: an `id` string, optional string fields (absent or null is null),
 * `object` equal to "customer" when present, anything else ignored.
 */
export function parseCustomer(body: Uint8Array): Customer | NotACustomer {
  const parsed = parseJson(body);
  if (!parsed.ok) return 'the response body is not valid JSON';
  const value = parsed.value;
  const wrongShape = 'the response is not a customer object';
  if (!isObject(value)) return wrongShape;
  if (Object.prototype.hasOwnProperty.call(value, 'object') && value.object !== 'customer') return wrongShape;
  const id = own(value, 'id');
  if (typeof id !== 'string') return wrongShape;
  const customer = { id } as Customer;
  for (const [key, wire] of OPTIONAL_FIELDS) {
    const field = own(value, wire);
    if (field === undefined || field === null) {
      (customer as unknown as Json)[key] = null;
    } else if (typeof field === 'string') {
      (customer as unknown as Json)[key] = field;
    } else {
      return wrongShape;
    }
  }
  return customer;
}
