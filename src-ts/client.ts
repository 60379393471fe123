import type {
  Customer,
  CustomerClient,
  CustomerClientOptions,
  CustomerError,
  CustomerLookupOptions,
  FetchedToken,
  JuspayCustomerPlugin,
} from './definitions';
import { cancelled, customerError, invalidArgument, isCustomerError, messageOf, timedOut } from './errors';
import { DEFAULT_DEADLINE_MS, DEFAULT_REFRESH_SKEW_MS, MAX_TIMEOUT_MS } from './generated/core-contract';
import { JuspayCustomer } from './plugin';
import { tokenProblem } from './token';

let lookupCount = 0;

/** Unique among lookups in flight in this page; the random part guards against a second copy of this module. */
function nextLookupId(): string {
  lookupCount += 1;
  return `jc-${lookupCount}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Creates a client that supplies the plugin with device tokens, on every platform alike. A JS
 * function cannot cross the Capacitor bridge, so token refresh and `AbortSignal` live here, above
 * the plugin, rather than in the native code.
 *
 * - With no token yet it asks `fetchToken({ forceRefresh: false })` and configures the plugin.
 * - When a lookup is refused with UNAUTHORIZED it asks `fetchToken({ forceRefresh: true })` once,
 *   gives the plugin the new token and retries that lookup once. Lookups refused at the same time
 *   share one refresh.
 * - When `fetchToken` gave `{ token, expiresAt }`, the first lookup from `refreshSkewMs` (60 s)
 *   before `expiresAt` on asks `fetchToken({ forceRefresh: true })` first, shared likewise; if that
 *   fails, it goes on with the current token.
 * - If `fetchToken` throws, the lookup rejects with UNAUTHORIZED ("token provider: <message>").
 * - `timeoutMs` bounds the whole lookup, token fetches and the retry included (TIMEOUT).
 * - Aborting the signal cancels the lookup in the plugin and rejects with CANCELLED at once.
 *
 * The client owns the plugin's configuration: use one client per app.
 *
 * @since 0.1.0
 * @example
 * ```typescript
 * const customers = createCustomerClient({
 *   backendUrl: 'https://api.merchant.example/juspay',
 *   fetchToken: ({ forceRefresh }) => myBackend.deviceToken({ forceRefresh }),
 * });
 * const controller = new AbortController();
 * const customer = await customers.getCustomer({ customerId: 'cst_tooedar2k7j1d60b', signal: controller.signal });
 * ```
 */
export function createCustomerClient(options: CustomerClientOptions): CustomerClient {
  if (!options || typeof options.fetchToken !== 'function') throw invalidArgument('fetchToken must be a function');
  const plugin: JuspayCustomerPlugin = options.plugin || JuspayCustomer;
  const {
    backendUrl,
    fetchToken,
    timeoutMs,
    connectTimeoutMs,
    maxRetries,
    pins,
    cacheTtlMs,
    refreshSkewMs = DEFAULT_REFRESH_SKEW_MS,
  } = options;
  if (!(
    typeof refreshSkewMs === 'number' &&
    refreshSkewMs % 1 === 0 &&
    refreshSkewMs >= 0 &&
    refreshSkewMs <= MAX_TIMEOUT_MS
  )) {
    throw invalidArgument(`refreshSkewMs must be an integer between 0 and ${MAX_TIMEOUT_MS}`);
  }
  // A bad timeoutMs is refused by the plugin's configure; until then the default bounds the wait.
  const deadlineMs =
    typeof timeoutMs === 'number' && Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= MAX_TIMEOUT_MS
      ? timeoutMs
      : DEFAULT_DEADLINE_MS;

  // The token the plugin holds is identified by its generation: a lookup refused with generation
  // g asks for a refresh only if nobody has replaced g yet (as the Rust core's TokenSource does).
  let configured = false;
  let generation = 0;
  let pending: Promise<void> | undefined;
  // When the token in the plugin is to be replaced before it expires (never, without an expiry).
  let refreshAt = Infinity;

  async function install(forceRefresh: boolean): Promise<void> {
    let token: unknown;
    let expiresAt: unknown;
    try {
      token = await fetchToken({ forceRefresh });
    } catch (e) {
      throw customerError('UNAUTHORIZED', `token provider: ${messageOf(e)}`);
    }
    if (typeof token === 'object' && token !== null) ({ token, expiresAt } = token as FetchedToken);
    // NaN (unreadable) and a token already within the skew give no early refresh.
    const at = (typeof expiresAt === 'string' ? Date.parse(expiresAt) : Number(expiresAt)) - refreshSkewMs;
    const problem = tokenProblem(token);
    if (problem !== undefined) throw customerError('UNAUTHORIZED', `the token provider's token ${problem}`);
    if (configured) {
      await plugin.setToken({ token: token as string });
    } else {
      await plugin.configure({
        backendUrl,
        token: token as string,
        timeoutMs,
        connectTimeoutMs,
        maxRetries,
        pins,
        cacheTtlMs,
      });
      configured = true;
    }
    refreshAt = at > Date.now() ? at : Infinity;
    generation += 1;
  }

  /** A token newer than generation `seen`, fetching it unless someone already has or is. */
  async function tokenAfter(seen: number, forceRefresh: boolean): Promise<number> {
    if (configured && generation !== seen) return generation;
    if (pending === undefined) {
      const fetching = install(forceRefresh).then(
        () => {
          pending = undefined;
        },
        (e: unknown) => {
          pending = undefined;
          throw e;
        },
      );
      // Waiters that were cancelled stop listening; the outcome must not become unhandled.
      fetching.catch(() => undefined);
      pending = fetching;
    }
    await pending;
    return generation;
  }

  async function getCustomer(lookup: CustomerLookupOptions): Promise<Customer> {
    const { customerId, clientAuthToken, signal } = lookup || ({} as Partial<CustomerLookupOptions>);
    // Not `signal?.aborted`: the es2017 build would spell that out at length (bundle budget).
    // eslint-disable-next-line @typescript-eslint/prefer-optional-chain
    if (signal && signal.aborted) throw cancelled();
    // The lookup in the plugin right now, if any: what an abort or the deadline must cancel.
    let inPlugin: string | undefined;
    let onAbort: () => void = () => undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = new Promise<never>((_, reject) => {
      const halt = (why: CustomerError) => {
        if (inPlugin !== undefined) void plugin.cancel({ lookupId: inPlugin }).catch(() => undefined);
        reject(why);
      };
      onAbort = () => halt(cancelled());
      timer = setTimeout(() => halt(timedOut(deadlineMs)), deadlineMs);
    });
    stop.catch(() => undefined);
    if (signal) signal.addEventListener('abort', onAbort);
    const guarded = <T>(step: Promise<T>): Promise<T> => Promise.race([step, stop]);
    const ask = async (): Promise<Customer> => {
      const lookupId = nextLookupId();
      inPlugin = lookupId;
      try {
        return await guarded(plugin.getCustomer({ customerId: customerId as string, clientAuthToken, lookupId }));
      } finally {
        inPlugin = undefined;
      }
    };
    try {
      const used = await guarded(
        !configured
          ? tokenAfter(generation, false)
          : Date.now() < refreshAt
            ? Promise.resolve(generation)
            : tokenAfter(generation, true).catch(() => generation),
      );
      try {
        return await ask();
      } catch (e) {
        // Only the backend's 401 means the token was refused.
        if (!isCustomerError(e) || e.code !== 'UNAUTHORIZED' || e.data.status === null) throw e;
        await guarded(tokenAfter(used, true));
        return await ask();
      }
    } finally {
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
    }
  }

  return { getCustomer };
}
