/**
 * The demo sign-in: `POST {backend}/auth/device-token` with `{"customer_id": "…"}` answers a
 * device token scoped to that customer. A real app gets its token from the merchant's own login
 * instead; everything after this (the plugin, the lookups) stays the same.
 */

/** A signed-in device: the token and whom it is for. Kept in memory only, never in storage. */
export interface Session {
  /** What the user typed: asked again when the token must be refreshed. */
  signInId: string;
  token: string;
  expiresAt: Date | null;
  /** Juspay's id of the signed-in customer (`cst_…`). */
  customerId: string;
  objectReferenceId: string | null;
}

/** Why sign-in failed, with what the backend said. */
export class SignInError extends Error {
  constructor(
    message: string,
    /**
     * `CUSTOMER_NOT_FOUND` for Juspay's not-found answer (the plugin's code for it), `NETWORK` or
     * `TIMEOUT`, else the backend's `error_info.code` (e.g. `INVALID_INPUT`) or `HTTP <status>`.
     */
    readonly code: string,
    readonly requestId: string | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

const SIGN_IN_TIMEOUT_MS = 15_000;

export async function signIn(backendUrl: string, signInId: string): Promise<Session> {
  const url = `${backendUrl.replace(/\/+$/, '')}/auth/device-token`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SIGN_IN_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ customer_id: signInId }),
      credentials: 'omit',
      signal: controller.signal,
    });
  } catch {
    throw new SignInError(
      controller.signal.aborted
        ? 'The backend did not answer in time.'
        : `Cannot reach the backend at ${backendUrl}. Is it running? Check the URL in Settings.`,
      controller.signal.aborted ? 'TIMEOUT' : 'NETWORK',
    );
  } finally {
    clearTimeout(timer);
  }

  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw refusal(response.status, body, response.headers.get('x-request-id'));
  const issued = body as Partial<
    Record<'token' | 'expires_at' | 'customer_id' | 'object_reference_id', unknown>
  > | null;
  if (typeof issued?.token !== 'string' || typeof issued.customer_id !== 'string') {
    throw new SignInError('The backend answered, but not with a device token.', `HTTP ${response.status}`);
  }
  const expires = typeof issued.expires_at === 'string' ? new Date(issued.expires_at) : null;
  return {
    signInId,
    token: issued.token,
    expiresAt: expires && !Number.isNaN(expires.getTime()) ? expires : null,
    customerId: issued.customer_id,
    objectReferenceId: typeof issued.object_reference_id === 'string' ? issued.object_reference_id : null,
  };
}

/** The backend's errors (and Juspay's, which it passes on) share Juspay's `error_info` shape. */
function refusal(status: number, body: unknown, headerRequestId: string | null): SignInError {
  const top = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const info = (typeof top.error_info === 'object' && top.error_info !== null ? top.error_info : {}) as Record<
    string,
    unknown
  >;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const requestId = text(info.request_id) ?? headerRequestId;
  if (status === 404 && (top.error_code === 'object_not_found' || info.code === 'RESOURCE_NOT_FOUND')) {
    const message = text(info.user_message) ?? 'No customer with this id.';
    return new SignInError(message, 'CUSTOMER_NOT_FOUND', requestId, status);
  }
  if (status === 404) {
    return new SignInError(
      'This backend has no demo sign-in (it is off when the backend uses a real Juspay key; see DEMO_SIGN_IN).',
      'HTTP 404',
      requestId,
      status,
    );
  }
  const message = text(info.user_message) ?? text(top.user_message) ?? `The backend answered HTTP ${status}.`;
  return new SignInError(message, text(info.code) ?? `HTTP ${status}`, requestId, status);
}
