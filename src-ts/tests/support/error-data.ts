import type { CustomerErrorData } from '../../definitions';

/** The data of an error without a server answer: every key present, nothing known. */
export const NO_DETAILS: CustomerErrorData = {
  status: null,
  errorCode: null,
  errorInfoCode: null,
  userMessage: null,
  developerMessage: null,
  requestId: null,
  retryable: false,
  retryAfterMs: null,
};
