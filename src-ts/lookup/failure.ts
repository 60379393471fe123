import type { CustomerError } from '../definitions';
import { customerError } from '../errors';

import { bestMessage, isObjectNotFound } from './body';
import type { JuspayErrorFields } from './body';

/** Largest response body read; a bigger one is INVALID_RESPONSE. A customer is well under 2 KiB. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Maps a non-2xx answer to its code and message. A 404 is CUSTOMER_NOT_FOUND only with Juspay's
 * `object_not_found` body; any other 404 means the URL is wrong.
 */
export function statusError(status: number, fields: JuspayErrorFields, retryAfterMs: number | null): CustomerError {
  const notFound = status === 404 && isObjectNotFound(fields);
  let code: CustomerError['code'];
  let fallback: string;
  if (status === 401) {
    code = 'UNAUTHORIZED';
    fallback = 'the server rejected the credentials (HTTP 401)';
  } else if (status === 403) {
    code = 'FORBIDDEN';
    fallback = 'the server refused access (HTTP 403)';
  } else if (notFound) {
    code = 'CUSTOMER_NOT_FOUND';
    fallback = 'customer not found (HTTP 404)';
  } else if (status === 404) {
    code = 'ENDPOINT_NOT_FOUND';
    fallback = "HTTP 404 without Juspay's not-found body: check the base URL";
  } else if (status === 429) {
    code = 'RATE_LIMITED';
    fallback = 'too many requests (HTTP 429)';
  } else if (status >= 500 && status <= 599) {
    code = 'SERVER_ERROR';
    fallback = `the server failed (HTTP ${status})`;
  } else {
    code = 'INVALID_RESPONSE';
    fallback = `unexpected HTTP status ${status}`;
  }
  return customerError(code, bestMessage(fields) ?? fallback, {
    status,
    errorCode: fields.errorCode,
    errorInfoCode: fields.errorInfoCode,
    userMessage: fields.userMessage,
    developerMessage: fields.developerMessage,
    requestId: fields.requestId,
    retryAfterMs,
  });
}

export function invalidResponse(message: string, status: number | null): CustomerError {
  return customerError('INVALID_RESPONSE', message, { status });
}

export function tooLarge(status: number): CustomerError {
  return invalidResponse(`the response body exceeds ${MAX_BODY_BYTES} bytes`, status);
}
