import type { CustomerError, CustomerErrorCode } from '../definitions';
import { customerError } from '../errors';
import { MAX_BODY_BYTES } from '../generated/core-contract';

import { bestMessage, isObjectNotFound } from './body';
import type { JuspayErrorFields } from './body';

/** Largest response body read; a bigger one is INVALID_RESPONSE. A customer is well under 2 KiB. */
export { MAX_BODY_BYTES };

/**
 * Maps a non-2xx answer to its code and message. A 404 is CUSTOMER_NOT_FOUND only with Juspay's
 * `object_not_found` body; any other 404 means the URL is wrong.
 */
export function statusError(status: number, fields: JuspayErrorFields, retryAfterMs: number | null): CustomerError {
  const [code, fallback]: [CustomerErrorCode, string] =
    status === 401
      ? ['UNAUTHORIZED', 'the server rejected the credentials (HTTP 401)']
      : status === 403
        ? ['FORBIDDEN', 'the server refused access (HTTP 403)']
        : status === 407
          ? ['NETWORK', 'a proxy asked for authentication (HTTP 407)']
          : status === 404
            ? isObjectNotFound(fields)
              ? ['CUSTOMER_NOT_FOUND', 'customer not found (HTTP 404)']
              : ['ENDPOINT_NOT_FOUND', "HTTP 404 without Juspay's not-found body: check the base URL"]
            : status === 429
              ? ['RATE_LIMITED', 'too many requests (HTTP 429)']
              : status >= 500 && status <= 599
                ? ['SERVER_ERROR', `the server failed (HTTP ${status})`]
                : ['INVALID_RESPONSE', `unexpected HTTP status ${status}`];
  const best = bestMessage(fields);
  // `fields` carries the data's keys by their names; customerError takes only those.
  return customerError(code, best === null ? fallback : best, { ...fields, status, retryAfterMs });
}

export function invalidResponse(message: string, status: number | null): CustomerError {
  return customerError('INVALID_RESPONSE', message, { status });
}

export function tooLarge(status: number): CustomerError {
  return invalidResponse(`the response body exceeds ${MAX_BODY_BYTES} bytes`, status);
}
