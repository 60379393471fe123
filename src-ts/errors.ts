import { CapacitorException } from '@capacitor/core';
import type { ExceptionCode } from '@capacitor/core';

import type { CustomerError, CustomerErrorCode, CustomerErrorData } from './definitions';
// Which codes are retryable, from the Rust core; its type check refuses a CustomerErrorCode
// union that differs from the core's codes.
import { CANCELLED_MESSAGE, RETRYABLE } from './generated/core-contract';

/**
 * Every `CustomerErrorCode`, in the order of the error table.
 *
 * @since 0.1.0
 */
export const CUSTOMER_ERROR_CODES: readonly CustomerErrorCode[] = Object.freeze(
  Object.keys(RETRYABLE) as CustomerErrorCode[],
);

/** What the server's answer said, for the error's `data`; `retryable` follows from the code. */
export type AnswerDetails = Partial<Omit<CustomerErrorData, 'retryable'>>;

// Keyed by every key of CustomerErrorData but `retryable`, so none can be forgotten.
const NO_DETAILS: Readonly<Record<keyof AnswerDetails, null>> = {
  status: null,
  errorCode: null,
  errorInfoCode: null,
  userMessage: null,
  developerMessage: null,
  requestId: null,
  retryAfterMs: null,
};

/**
 * Whether `error` is a lookup failure from this plugin, on any platform: its `code` is one of
 * `CUSTOMER_ERROR_CODES` and it carries `data`.
 *
 * @since 0.1.0
 */
export function isCustomerError(error: unknown): error is CustomerError {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, data } = error as Record<string, unknown>;
  return (
    CUSTOMER_ERROR_CODES.indexOf(code as CustomerErrorCode) >= 0 &&
    typeof message === 'string' &&
    typeof data === 'object' &&
    data !== null
  );
}

/**
 * A rejection in the shape native plugins deliver: Capacitor's exception with `code`, `message`
 * and a `data` that has every key.
 */
export function customerError(code: CustomerErrorCode, message: string, answer: AnswerDetails = {}): CustomerError {
  const data: Record<string, unknown> = { retryable: RETRYABLE[code] };
  for (const key of Object.keys(NO_DETAILS) as (keyof AnswerDetails)[]) {
    data[key] = answer[key] == null ? null : answer[key];
  }
  // Capacitor types `code` as its own two-value enum; plugins declare their own codes.
  return new CapacitorException(message, code as unknown as ExceptionCode, data) as unknown as CustomerError;
}

export function invalidArgument(message: string): CustomerError {
  return customerError('INVALID_ARGUMENT', message);
}

export function cancelled(): CustomerError {
  return customerError('CANCELLED', CANCELLED_MESSAGE);
}

/** A bug of ours (something threw that no rule foresaw): INTERNAL, as the core says of a panic. */
export function internalError(thrown: unknown): CustomerError {
  return customerError('INTERNAL', `internal error: ${messageOf(thrown)}`);
}

export function timedOut(deadlineMs: number): CustomerError {
  return customerError('TIMEOUT', `no answer within the ${deadlineMs} ms deadline`);
}

/** The text of something thrown, which may not be an Error. */
export function messageOf(thrown: unknown): string {
  const message = typeof thrown === 'object' && thrown !== null && (thrown as { message?: unknown }).message;
  return typeof message === 'string' ? message : String(thrown);
}
