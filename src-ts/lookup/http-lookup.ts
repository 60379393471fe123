import type { Customer, CustomerError } from '../definitions';
import { cancelled, customerError, internalError, isCustomerError, messageOf, timedOut } from '../errors';

import { parseCustomer, parseErrorFields } from './body';
import { encodeCustomerId } from './customer-id';
import { invalidResponse, MAX_BODY_BYTES, statusError, tooLarge } from './failure';
import { backoffMs, isRetryableStatus, retryAfterMs } from './retry';
import type { Settings } from './settings';

/** What one lookup asks for beyond the customer. */
export interface LookupOptions {
  clientAuthToken: boolean;
}

/** A whole HTTP answer; `body` is `null` when it exceeded MAX_BODY_BYTES. */
interface Answer {
  status: number;
  retryAfterMs: number | null;
  body: Uint8Array | null;
}

/** One request's outcome. `beforeResponse` failures are the ones worth retrying. */
type Attempt = { answer: Answer } | { failure: CustomerError; beforeResponse: boolean };

/**
 * Looks up a customer with fetch, by the Rust core's rules: the id checked before any request,
 * one overall deadline covering retries and pauses, retries for failures before a response and
 * for 429/502/503/504, bodies capped, redirects not followed. Aborting `cancel` ends it at once
 * with CANCELLED and closes its connection.
 */
export async function lookupCustomer(
  settings: Settings,
  token: string,
  customerId: string,
  options: LookupOptions,
  cancel: AbortSignal,
): Promise<Customer> {
  // The query that asks Juspay for a client auth token, as Juspay documents it.
  const query = options.clientAuthToken ? '?options.get_client_auth_token=true' : '';
  const url = `${settings.baseUrl}/customers/${encodeCustomerId(customerId)}${query}`;
  const started = Date.now();
  const controller = new AbortController();
  let stopped: CustomerError | undefined;
  const stop = (why: CustomerError) => {
    if (stopped === undefined) {
      stopped = why;
      controller.abort();
    }
  };
  const onCancel = () => stop(cancelled());
  const timer = setTimeout(() => stop(timedOut(settings.timeoutMs)), settings.timeoutMs);
  cancel.addEventListener('abort', onCancel);
  if (cancel.aborted) onCancel();
  try {
    if (stopped) throw stopped;
    const attempt = await sendWithRetries(url, token, settings, started + settings.timeoutMs, controller.signal);
    if ('failure' in attempt) throw attempt.failure;
    return interpret(attempt.answer, options.clientAuthToken);
  } catch (e) {
    // Whatever fetch threw after an abort, the abort is what happened; anything not a lookup
    // failure is a bug of ours, said as the core says a panic.
    throw stopped || (isCustomerError(e) ? e : internalError(e));
  } finally {
    clearTimeout(timer);
    cancel.removeEventListener('abort', onCancel);
  }
}

/**
 * Retries while retries remain and the pause fits before the deadline. When it does not fit, the
 * last answer stands: it says more than TIMEOUT would.
 */
async function sendWithRetries(
  url: string,
  token: string,
  settings: Settings,
  deadlineAt: number,
  signal: AbortSignal,
): Promise<Attempt> {
  for (let retry = 0; ; retry++) {
    const attempt = await sendOnce(url, token, signal);
    let pause: number;
    if ('answer' in attempt && isRetryableStatus(attempt.answer.status)) {
      const { retryAfterMs } = attempt.answer;
      pause = retryAfterMs === null ? backoffMs(retry) : retryAfterMs;
    } else if ('failure' in attempt && attempt.beforeResponse) {
      pause = backoffMs(retry);
    } else {
      return attempt;
    }
    if (retry >= settings.maxRetries || Date.now() + pause >= deadlineAt) return attempt;
    await sleep(pause, signal);
  }
}

async function sendOnce(url: string, token: string, signal: AbortSignal): Promise<Attempt> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'GET',
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      // A 3xx is INVALID_RESPONSE, never followed: the token must not travel to another host.
      redirect: 'manual',
      // No cookies; and no `cache` mode, whose no-store adds Pragma and Cache-Control headers.
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      signal,
    });
  } catch (e) {
    if (signal.aborted) throw e;
    return networkFailure(e, url, true);
  }
  // Browsers hide a manual redirect's status (an "opaqueredirect" with status 0); Node's fetch
  // returns the 3xx itself, which maps to "unexpected HTTP status 3xx" below.
  if (response.type === 'opaqueredirect') {
    return {
      failure: invalidResponse('unexpected HTTP redirect (the browser hides its status)', null),
      beforeResponse: false,
    };
  }
  let body: Uint8Array | null;
  try {
    body = await readCapped(response);
  } catch (e) {
    if (signal.aborted) throw e;
    return networkFailure(e, url, false);
  }
  return { answer: { status: response.status, retryAfterMs: retryAfterMs(response.headers.get('retry-after')), body } };
}

/**
 * Codes with which Node's fetch reports a connection that broke after the request went out.
 * Browsers give no cause at all, so there every network failure counts as one before the
 * response and is retried (harmless for a GET, but unlike the core, which does not retry resets).
 */
const AFTER_REQUEST_SENT = ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'];

function networkFailure(thrown: unknown, url: string, duringFetch: boolean): Attempt {
  const cause = typeof thrown === 'object' && thrown !== null ? (thrown as { cause?: unknown }).cause : undefined;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  const brokeAfterSending = typeof code === 'string' && AFTER_REQUEST_SENT.indexOf(code) >= 0;
  const beforeResponse = duringFetch && !brokeAfterSending;
  // The URL holds the customer id, which never goes into a message.
  const reason = ((cause !== undefined && messageOf(cause)) || (typeof code === 'string' && code) || messageOf(thrown))
    .split(url)
    .join('<request URL>');
  const message = beforeResponse ? `could not connect to the server: ${reason}` : `the connection failed: ${reason}`;
  return { failure: customerError('NETWORK', message), beforeResponse };
}

/** Reads the body, stopping past MAX_BODY_BYTES so a broken server cannot exhaust memory. */
async function readCapped(response: Response): Promise<Uint8Array | null> {
  // A status without content (204, 205, 304: Fetch gives it no body) reads as empty whatever
  // Content-Length says, as in the core.
  if (response.body && Number(response.headers.get('content-length')) > MAX_BODY_BYTES) {
    void response.body.cancel().catch(() => undefined);
    return null;
  }
  if (!response.body) {
    const whole = new Uint8Array(await response.arrayBuffer());
    return whole.byteLength > MAX_BODY_BYTES ? null : whole;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      void reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function interpret({ status, body, retryAfterMs }: Answer, clientAuthToken: boolean): Customer {
  if (status >= 200 && status < 300) {
    if (body === null) throw tooLarge(status);
    const customer = parseCustomer(body, clientAuthToken);
    if (typeof customer === 'string') throw invalidResponse(customer, status);
    return customer;
  }
  throw statusError(status, parseErrorFields(body), retryAfterMs);
}

/**
 * Waits `ms`, or less if `signal` aborts: the next fetch then fails at once on the aborted
 * signal, and the caller reports the abort.
 */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, signal.aborted ? 0 : ms);
    signal.addEventListener('abort', done);
  });
}
