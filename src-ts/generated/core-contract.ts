// Generated from the Rust core by rust-core/src/contract.rs: do not edit.
// Regenerate: JUSPAY_UPDATE_CONTRACT=1 cargo test -p juspay-customer contract
// The `satisfies` clauses make the compiler refuse a definitions.ts type that differs from the core.
import type { Customer, CustomerErrorCode, CustomerErrorData, JuspayClientAuth } from '../definitions';

/** Whether each error code is retryable, in the order of the README's error table. */
export const RETRYABLE = {
  INVALID_ARGUMENT: false,
  UNAUTHORIZED: false,
  FORBIDDEN: false,
  CUSTOMER_NOT_FOUND: false,
  ENDPOINT_NOT_FOUND: false,
  RATE_LIMITED: true,
  SERVER_ERROR: true,
  TIMEOUT: true,
  NETWORK: true,
  INVALID_RESPONSE: false,
  CANCELLED: false,
  INTERNAL: false,
} as const satisfies Readonly<Record<CustomerErrorCode, boolean>>;

/** Every key of a rejection's `data`. */
export const ERROR_DATA_KEYS = {
  status: true,
  errorCode: true,
  errorInfoCode: true,
  userMessage: true,
  developerMessage: true,
  requestId: true,
  retryAfterMs: true,
  retryable: true,
} as const satisfies Readonly<Record<keyof CustomerErrorData, true>>;

/** Every key of a customer. */
export const CUSTOMER_KEYS = {
  id: true,
  object: true,
  objectReferenceId: true,
  firstName: true,
  lastName: true,
  emailAddress: true,
  mobileNumber: true,
  mobileCountryCode: true,
  dateCreated: true,
  lastUpdated: true,
  juspay: true,
} as const satisfies Readonly<Record<keyof Customer, true>>;

/** Every key of Juspay's client auth token. */
export const CLIENT_AUTH_KEYS = {
  clientAuthToken: true,
  clientAuthTokenExpiry: true,
} as const satisfies Readonly<Record<keyof JuspayClientAuth, true>>;

// The core's bounds, defaults and fixed words (`core_constants()` in the bindings), one constant
// each so the bundler keeps only those used.
export const CANCELLED_MESSAGE = 'the lookup was cancelled';
export const DEFAULT_CONNECT_TIMEOUT_MS = 10000;
export const DEFAULT_DEADLINE_MS = 30000;
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_REFRESH_SKEW_MS = 60000;
export const MAX_BODY_BYTES = 65536;
export const MAX_CACHE_TTL_MS = 60000;
export const MAX_CUSTOMER_ID_CHARS = 300;
export const MAX_RETRIES = 10;
export const MAX_RETRY_AFTER_MS = 86400000;
export const MAX_TIMEOUT_MS = 600000;
export const RETRY_BASE_DELAY_MS = 200;
export const RETRY_MAX_DELAY_MS = 5000;
