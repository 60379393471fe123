/**
 * The stable error codes. Every platform (Rust core, Kotlin, Swift, web) rejects with exactly
 * these strings; see the table in the README.
 *
 * @since 0.1.0
 */
export type CustomerErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CUSTOMER_NOT_FOUND'
  | 'ENDPOINT_NOT_FOUND'
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'INVALID_RESPONSE'
  | 'CANCELLED'
  | 'INTERNAL';

/**
 * What is known about a failure. Every key is present; a value is `null` when the server did
 * not answer or did not send it.
 *
 * @since 0.1.0
 */
export interface CustomerErrorData {
  /** HTTP status of the final answer. */
  status: number | null;
  /** Juspay's top-level `error_code`, e.g. `object_not_found`. */
  errorCode: string | null;
  /** Juspay's `error_info.code`, e.g. `RESOURCE_NOT_FOUND`, `BAD_ORIGIN`. */
  errorInfoCode: string | null;
  /** Juspay's user-facing message. */
  userMessage: string | null;
  /** Juspay's developer-facing message. */
  developerMessage: string | null;
  /** Juspay's `request_id`: quote it to Juspay support. */
  requestId: string | null;
  /** Whether trying again later may succeed (RATE_LIMITED, SERVER_ERROR, TIMEOUT, NETWORK). */
  retryable: boolean;
  /** The server's `Retry-After`, in milliseconds. */
  retryAfterMs: number | null;
}

/**
 * A Juspay customer. Every key is present; optional fields are `null` when Juspay omits them.
 * `emailAddress` and `mobileNumber` are personal data: never log them.
 *
 * @since 0.1.0
 */
export interface Customer {
  /** Juspay's id, e.g. `cst_tooedar2k7j1d60b`. */
  id: string;
  /** Always `customer` when present. */
  object: string | null;
  /** The merchant's own id for the customer. */
  objectReferenceId: string | null;
  firstName: string | null;
  lastName: string | null;
  emailAddress: string | null;
  mobileNumber: string | null;
  mobileCountryCode: string | null;
  /** ISO 8601, as Juspay sends it. */
  dateCreated: string | null;
  /** ISO 8601, as Juspay sends it. */
  lastUpdated: string | null;
  /**
   * Juspay's client auth token, when the lookup asked for it with `clientAuthToken: true`;
   * `null` otherwise, whatever the answer carried.
   *
   * @since 0.2.0
   */
  juspay: JuspayClientAuth | null;
}

/**
 * What Juspay's client SDK on the device authenticates with: a short-lived (about 15 minutes),
 * customer-scoped token from Get Customer with `options.get_client_auth_token=true`. Safe on
 * the device, unlike the API key, but still a credential: pass it to Juspay's SDK, never log it.
 *
 * @since 0.2.0
 */
export interface JuspayClientAuth {
  /** The token, as Juspay sent it. */
  clientAuthToken: string;
  /** When it expires, ISO 8601 as Juspay sends it; `null` when Juspay sent none. */
  clientAuthTokenExpiry: string | null;
}

/**
 * What `configure` takes. There is no merchant id: the device talks only to the merchant's
 * backend, which adds Juspay's `x-merchantid` itself.
 *
 * @since 0.1.0
 */
export interface ConfigureOptions {
  /**
   * The merchant backend that serves `GET /customers/{id}` (never Juspay itself: the app never
   * holds the API key). https required; plain http only for 127.0.0.1, localhost and [::1].
   * A port and a path prefix are kept. The host must be written in ASCII: an internationalized
   * domain name in its Punycode form (`xn--…`).
   *
   * @since 0.1.0
   * @example 'https://api.merchant.example/juspay'
   */
  backendUrl: string;
  /**
   * The device token the backend issued, sent as `Authorization: Bearer <token>`. May be given
   * later with `setToken`.
   *
   * @since 0.1.0
   */
  token?: string;
  /**
   * Overall deadline of one lookup, retries included, in milliseconds (1 to 600000).
   *
   * @since 0.1.0
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Time allowed to establish a connection, in milliseconds (1 to 600000). On the web it is
   * checked but cannot be applied on its own (`fetch` has no connect timeout): there the browser's
   * own connect timeout applies, and `timeoutMs` still bounds the whole lookup.
   *
   * @since 0.1.0
   * @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * Retries after the first attempt, for connect failures, 429 and 502/503/504 (0 to 10).
   *
   * @since 0.1.0
   * @default 2
   */
  maxRetries?: number;
  /**
   * SPKI pins of the backend (Android and iOS): base64 SHA-256 hashes of a certificate's public
   * key, `sha256/` before it allowed, at most 16. After the normal certificate checks, a
   * connection is refused with `NETWORK` unless the server's leaf or intermediate certificate
   * has one of these keys. Give at least two (the current key and a backup). Needs an https
   * `backendUrl`. Empty or absent: no pinning. On the web the browser does TLS and `fetch` cannot
   * pin, so a non-empty list is refused there with `INVALID_ARGUMENT`.
   *
   * @since 0.2.0
   */
  pins?: string[];
  /**
   * Keep each customer found for this long, in milliseconds (0 to 60000), in memory only (never
   * in storage: customer data is personal): a `getCustomer` of the same customer with the same
   * `clientAuthToken` within it resolves without a request. Errors are never kept. `configure`
   * and `setToken` forget everything kept, so nothing found under one token is given under
   * another. Mind that a kept `juspay.clientAuthToken` is as old as the answer.
   *
   * @since 0.2.0
   * @default 0
   */
  cacheTtlMs?: number;
}

/**
 * What `setToken` takes.
 *
 * @since 0.1.0
 */
export interface SetTokenOptions {
  /**
   * A new device token; lookups started afterwards use it.
   *
   * @since 0.1.0
   */
  token: string;
}

/**
 * What `getCustomer` takes.
 *
 * @since 0.1.0
 */
export interface GetCustomerOptions {
  /**
   * Juspay's customer id (`cst_…`) or the merchant's `object_reference_id`: 1 to 300
   * characters, not `.` or `..`. Any other character is allowed and sent percent-encoded.
   *
   * @since 0.1.0
   * @example 'cst_tooedar2k7j1d60b'
   */
  customerId: string;
  /**
   * An id the caller chooses for this lookup, unique among lookups in flight, so that
   * `cancel({ lookupId })` can stop it. `createCustomerClient` fills it in from an `AbortSignal`.
   *
   * @since 0.1.0
   */
  lookupId?: string;
  /**
   * Also ask for Juspay's client auth token (the backend is asked with
   * `?options.get_client_auth_token=true`): the customer then has `juspay` with the token that
   * Juspay's client SDK authenticates with. An answer without a usable token rejects with
   * `INVALID_RESPONSE`. Without it, `juspay` is `null`.
   *
   * @since 0.2.0
   * @default false
   */
  clientAuthToken?: boolean;
}

/**
 * What `cancel` takes.
 *
 * @since 0.1.0
 */
export interface CancelOptions {
  /**
   * The `lookupId` given to `getCustomer`. Cancelling a finished or unknown lookup does nothing.
   *
   * @since 0.1.0
   */
  lookupId: string;
}

/**
 * The native plugin (Android and iOS through the Rust core; the web through `fetch`). Most apps
 * use `createCustomerClient`, which adds token refresh and `AbortSignal` support on top.
 *
 * @since 0.1.0
 */
export interface JuspayCustomerPlugin {
  /**
   * Sets the backend URL, the device token and the timeouts. Rejects with `INVALID_ARGUMENT`
   * when an option is unusable, keeping the previous configuration and token; otherwise it
   * replaces both (without `token`, there is none until `setToken`).
   *
   * @since 0.1.0
   * @example
   * ```typescript
   * await JuspayCustomer.configure({ backendUrl: 'https://api.merchant.example', token });
   * ```
   */
  configure(options: ConfigureOptions): Promise<void>;

  /**
   * Replaces the device token, e.g. after the backend rejected the old one; lookups already
   * started keep theirs. Rejects with `INVALID_ARGUMENT` before `configure`, or when the token
   * is empty or not printable ASCII.
   *
   * @since 0.1.0
   * @example
   * ```typescript
   * await JuspayCustomer.setToken({ token: await myBackend.deviceToken() });
   * ```
   */
  setToken(options: SetTokenOptions): Promise<void>;

  /**
   * Looks up a customer through the merchant backend. Rejects with an error whose `code` is a
   * `CustomerErrorCode` and whose `data` is a `CustomerErrorData` (see `isCustomerError`).
   * Before `configure`, or without a token, it rejects with `INVALID_ARGUMENT`.
   *
   * Lookups of the same customer with the same `clientAuthToken` that run at the same time share
   * one request, and its answer or error: cancelling one ends only its own wait, and the request
   * is stopped when every one of them has been cancelled. With `cacheTtlMs`, a customer found
   * within it is returned without a request.
   *
   * @since 0.1.0
   * @example
   * ```typescript
   * try {
   *   const customer = await JuspayCustomer.getCustomer({ customerId: 'cst_tooedar2k7j1d60b' });
   * } catch (e) {
   *   if (isCustomerError(e) && e.code === 'CUSTOMER_NOT_FOUND') {
   *     // ask the user to sign up
   *   }
   * }
   * ```
   */
  getCustomer(options: GetCustomerOptions): Promise<Customer>;

  /**
   * Cancels the lookup started with this `lookupId`; it rejects with `CANCELLED` and its
   * connection is closed.
   *
   * @since 0.1.0
   * @example
   * ```typescript
   * const lookup = JuspayCustomer.getCustomer({ customerId, lookupId: 'profile-screen' });
   * await JuspayCustomer.cancel({ lookupId: 'profile-screen' });
   * ```
   */
  cancel(options: CancelOptions): Promise<void>;
}

/**
 * How a lookup failed: the shape every platform rejects with (`CapacitorException` on the web,
 * the bridge's exception on Android and iOS). Narrow an unknown error with `isCustomerError`.
 *
 * @since 0.1.0
 */
export interface CustomerError extends Error {
  /** One of the stable codes. */
  code: CustomerErrorCode;
  /** A sentence for developers: Juspay's developer message when it sent one, otherwise ours. */
  message: string;
  /** Everything known about the failure; every key present. */
  data: CustomerErrorData;
}

/**
 * What `fetchToken` is asked.
 *
 * @since 0.1.0
 */
export interface FetchTokenRequest {
  /**
   * `true` when the backend has just rejected the token this function gave before: fetch a new
   * one rather than returning a cached one.
   */
  forceRefresh: boolean;
}

/**
 * A device token with its expiry, as `fetchToken` may return it: the client then fetches the
 * next one `refreshSkewMs` before `expiresAt`, instead of waiting for the backend's 401.
 *
 * @since 0.2.0
 */
export interface FetchedToken {
  /** The device token. */
  token: string;
  /**
   * When it expires: milliseconds since the Unix epoch, or an ISO 8601 / RFC 3339 string such
   * as the reference backend's `expires_at`. Absent, null or unreadable: no early refresh.
   */
  expiresAt?: number | string | null;
}

/**
 * What `createCustomerClient` takes.
 *
 * @since 0.1.0
 */
export interface CustomerClientOptions {
  /** As in `ConfigureOptions.backendUrl`. */
  backendUrl: string;
  /**
   * Returns a device token from the merchant's backend, as a string or (since 0.2.0) with its
   * expiry. Asked with `forceRefresh: false` when the client has no token yet, and with
   * `forceRefresh: true` when the backend answers 401 or the token expires within
   * `refreshSkewMs`. If it throws, the lookup rejects with `UNAUTHORIZED` ("token provider: <its
   * message>"), except on an early refresh, where the lookup goes on with the current token.
   */
  fetchToken: (request: FetchTokenRequest) => Promise<string | FetchedToken>;
  /**
   * How long before a `FetchedToken`'s `expiresAt` the next token is fetched, in milliseconds
   * (0 to 600000). A token that already expires within it when fetched is used until refused.
   *
   * @since 0.2.0
   * @default 60000
   */
  refreshSkewMs?: number;
  /**
   * Deadline of one lookup in milliseconds, token fetch, retries and the one refresh included.
   *
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * As in `ConfigureOptions.connectTimeoutMs`.
   *
   * @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * As in `ConfigureOptions.maxRetries`.
   *
   * @default 2
   */
  maxRetries?: number;
  /**
   * SPKI pins of the backend (Android and iOS): base64 SHA-256 hashes of a certificate's public
   * key, `sha256/` before it allowed, at most 16. After the normal certificate checks, a
   * connection is refused with `NETWORK` unless the server's leaf or intermediate certificate
   * has one of these keys. Give at least two (the current key and a backup). Needs an https
   * `backendUrl`. Empty or absent: no pinning. On the web the browser does TLS and `fetch` cannot
   * pin, so a non-empty list is refused there with `INVALID_ARGUMENT`.
   *
   * @since 0.2.0
   */
  pins?: string[];
  /**
   * As in `ConfigureOptions.cacheTtlMs`; a refreshed token forgets what was kept.
   *
   * @since 0.2.0
   * @default 0
   */
  cacheTtlMs?: number;
  /**
   * The plugin to drive; the registered `JuspayCustomer` unless given (tests pass their own).
   * The client owns the plugin's configuration: create one client per app.
   */
  plugin?: JuspayCustomerPlugin;
}

/**
 * What `CustomerClient.getCustomer` takes.
 *
 * @since 0.1.0
 */
export interface CustomerLookupOptions {
  /** As in `GetCustomerOptions.customerId`. */
  customerId: string;
  /** As in `GetCustomerOptions.clientAuthToken`. */
  clientAuthToken?: boolean;
  /**
   * Aborting it ends the lookup at once with `CANCELLED` and closes its connection; an already
   * aborted signal rejects without a request.
   */
  signal?: AbortSignal;
}

/**
 * A client that keeps the plugin supplied with device tokens: made by `createCustomerClient`.
 *
 * @since 0.1.0
 */
export interface CustomerClient {
  /**
   * Looks up a customer, fetching a token first when there is none, and on `UNAUTHORIZED`
   * refreshing it once (shared by every lookup that was refused at the same time) and retrying
   * once.
   */
  getCustomer(options: CustomerLookupOptions): Promise<Customer>;
}
