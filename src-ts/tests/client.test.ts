import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { createCustomerClient } from '../client';
import type { CustomerError, FetchTokenRequest } from '../definitions';
import { isCustomerError } from '../errors';
import { JuspayCustomerWeb } from '../web';

import { closed, listen } from './support/loopback';
import type { Loopback } from './support/loopback';

const CUSTOMER = { id: 'cst_1', object: 'customer' };
const REJECTED_TOKEN = {
  status: 'error',
  error_code: 'access_denied',
  error_info: { user_message: 'Unauthorized.', developer_message: 'The device token has expired.' },
};

const servers: Loopback[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A backend that accepts only the tokens in `valid`, recording the token of every request. */
async function backend(valid: string[], hold?: (req: IncomingMessage, res: ServerResponse) => boolean) {
  const tokens: string[] = [];
  const server = await listen((req, res) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    tokens.push(token);
    if (hold?.(req, res)) return;
    const [status, body] = valid.indexOf(token) >= 0 ? [200, CUSTOMER] : [401, REJECTED_TOKEN];
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  servers.push(server);
  return { ...server, tokens };
}

/** A fetchToken that hands out `tokens` in turn, a little later, as a real backend would. */
function tokenSource(...tokens: string[]) {
  let next = 0;
  return vi.fn(async (request: FetchTokenRequest) => {
    void request;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return tokens[Math.min(next++, tokens.length - 1)];
  });
}

async function rejection(promise: Promise<unknown>): Promise<CustomerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isCustomerError(error)) throw new Error(`expected a customer error, got ${String(error)}`);
  return error;
}

const asked = (fetchToken: ReturnType<typeof tokenSource>) => fetchToken.mock.calls.map(([r]) => r.forceRefresh);

describe('createCustomerClient', () => {
  it('fetches a token once, configures the plugin with it, and keeps using it', async () => {
    const server = await backend(['t1']);
    const fetchToken = tokenSource('t1');
    const client = createCustomerClient({ backendUrl: server.origin, fetchToken, plugin: new JuspayCustomerWeb() });
    await expect(client.getCustomer({ customerId: 'cst_1' })).resolves.toMatchObject({ id: 'cst_1' });
    await client.getCustomer({ customerId: 'cst_1' });
    expect(asked(fetchToken)).toStrictEqual([false]);
    expect(server.tokens).toStrictEqual(['t1', 't1']);
  });

  it('refreshes the token once on UNAUTHORIZED and retries once', async () => {
    const server = await backend(['t2']);
    const fetchToken = tokenSource('t1', 't2');
    const client = createCustomerClient({ backendUrl: server.origin, fetchToken, plugin: new JuspayCustomerWeb() });
    await expect(client.getCustomer({ customerId: 'cst_1' })).resolves.toMatchObject({ id: 'cst_1' });
    expect(asked(fetchToken)).toStrictEqual([false, true]);
    expect(server.tokens).toStrictEqual(['t1', 't2']);
  });

  it("rejects with the backend's UNAUTHORIZED when the refreshed token is refused too", async () => {
    const server = await backend([]);
    const fetchToken = tokenSource('t1', 't2', 't3');
    const client = createCustomerClient({ backendUrl: server.origin, fetchToken, plugin: new JuspayCustomerWeb() });
    const error = await rejection(client.getCustomer({ customerId: 'cst_1' }));
    expect([error.code, error.message, error.data.status]).toStrictEqual([
      'UNAUTHORIZED',
      'The device token has expired.',
      401,
    ]);
    expect(asked(fetchToken)).toStrictEqual([false, true]);
    expect(server.tokens).toStrictEqual(['t1', 't2']);
  });

  it('shares one token fetch and one refresh among concurrent lookups', async () => {
    const lookups = 5;
    const held: ServerResponse[] = [];
    // The stale token's requests are answered together, once all have arrived, so that every
    // lookup is refused while the others are still waiting.
    const server = await backend(['t2'], (req, res) => {
      if (req.headers.authorization !== 'Bearer t1') return false;
      held.push(res);
      if (held.length === lookups) {
        for (const r of held) r.writeHead(401, { 'content-type': 'application/json' }).end('{}');
      }
      return true;
    });
    const fetchToken = tokenSource('t1', 't2', 't3');
    const client = createCustomerClient({ backendUrl: server.origin, fetchToken, plugin: new JuspayCustomerWeb() });
    // Different customers: the same one would share one request (tested in plugin-calls).
    const ids = Array.from({ length: lookups }, (_, i) => `cst_${i}`);
    const customers = await Promise.all(ids.map((customerId) => client.getCustomer({ customerId })));
    // This backend answers every id with cst_1.
    expect(customers.map((c) => c.id)).toStrictEqual(Array(lookups).fill('cst_1'));
    expect(asked(fetchToken)).toStrictEqual([false, true]);
    expect(server.tokens).toStrictEqual([...Array(lookups).fill('t1'), ...Array(lookups).fill('t2')]);
  });

  it('fetches the next token shortly before expiry, shared by concurrent lookups, without a 401', async () => {
    const server = await backend(['t1', 't2']);
    // t1 expires 150 ms after the skew starts; t2 lives an hour (an ISO string, as the
    // reference backend's expires_at).
    const skew = 1000;
    const issued = [
      () => ({ token: 't1', expiresAt: Date.now() + skew + 150 }),
      () => ({ token: 't2', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }),
    ];
    let next = 0;
    const fetchToken = vi.fn(async (request: FetchTokenRequest) => {
      void request;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return issued[Math.min(next++, issued.length - 1)]();
    });
    const client = createCustomerClient({
      backendUrl: server.origin,
      fetchToken,
      refreshSkewMs: skew,
      plugin: new JuspayCustomerWeb(),
    });
    await client.getCustomer({ customerId: 'cst_1' });
    await client.getCustomer({ customerId: 'cst_1' });
    expect(fetchToken.mock.calls.map(([r]) => r.forceRefresh)).toStrictEqual([false]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await Promise.all([1, 2, 3].map((i) => client.getCustomer({ customerId: `cst_${i}` })));
    await client.getCustomer({ customerId: 'cst_1' });
    expect(fetchToken.mock.calls.map(([r]) => r.forceRefresh)).toStrictEqual([false, true]);
    expect(server.tokens).toStrictEqual(['t1', 't1', 't2', 't2', 't2', 't2']);
  });

  it('keeps a plain string token, a token without a usable expiry, and one already within the skew', async () => {
    for (const expiresAt of [undefined, null, 'not a date', Number.NaN, Date.now() + 10]) {
      const server = await backend(['t1']);
      const fetchToken = vi.fn(async () => (expiresAt === undefined ? 't1' : { token: 't1', expiresAt }));
      const client = createCustomerClient({ backendUrl: server.origin, fetchToken, plugin: new JuspayCustomerWeb() });
      await client.getCustomer({ customerId: 'cst_1' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await client.getCustomer({ customerId: 'cst_1' });
      expect(fetchToken, String(expiresAt)).toHaveBeenCalledTimes(1);
      expect(server.tokens).toStrictEqual(['t1', 't1']);
    }
  });

  it('goes on with the current token when the early refresh fails', async () => {
    const server = await backend(['t1']);
    let calls = 0;
    const fetchToken = vi.fn(async () => {
      calls += 1;
      if (calls > 1) throw new Error('backend down');
      return { token: 't1', expiresAt: Date.now() + 60_000 + 30 };
    });
    const client = createCustomerClient({ backendUrl: server.origin, fetchToken, plugin: new JuspayCustomerWeb() });
    await client.getCustomer({ customerId: 'cst_1' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(client.getCustomer({ customerId: 'cst_1' })).resolves.toMatchObject({ id: 'cst_1' });
    expect(calls).toBe(2);
    expect(server.tokens).toStrictEqual(['t1', 't1']);
  });

  it('refuses a refreshSkewMs that is not an integer from 0 to 600000', () => {
    for (const refreshSkewMs of [-1, 1.5, 600_001, Number.NaN, '5' as unknown as number]) {
      expect(() =>
        createCustomerClient({ backendUrl: 'https://x.example', fetchToken: async () => 't', refreshSkewMs }),
      ).toThrow('refreshSkewMs must be an integer between 0 and 600000');
    }
  });

  it('asks the plugin for the client auth token when the lookup does', async () => {
    const seen: (string | undefined)[] = [];
    const server = await listen((req, res) => {
      seen.push(req.url);
      const juspay = { client_auth_token: 'cat_1', client_auth_token_expiry: '2030-01-01T00:15:00Z' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...CUSTOMER, juspay }));
    });
    servers.push(server);
    const client = createCustomerClient({
      backendUrl: server.origin,
      fetchToken: async () => 't1',
      plugin: new JuspayCustomerWeb(),
    });
    const customer = await client.getCustomer({ customerId: 'cst_1', clientAuthToken: true });
    expect(customer.juspay).toStrictEqual({ clientAuthToken: 'cat_1', clientAuthTokenExpiry: '2030-01-01T00:15:00Z' });
    expect((await client.getCustomer({ customerId: 'cst_1' })).juspay).toBeNull();
    expect(seen).toStrictEqual(['/customers/cst_1?options.get_client_auth_token=true', '/customers/cst_1']);
  });

  it('does not refresh again for a lookup refused with a token that was already replaced', async () => {
    let releaseFirst: () => void = () => undefined;
    let firstArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (firstArrived = resolve));
    let stale = 0;
    // The first lookup's request is held until the second has been refused, refreshed and served.
    const server = await backend(['t2'], (req, res) => {
      if (req.headers.authorization !== 'Bearer t1' || stale++ > 0) return false;
      releaseFirst = () => res.writeHead(401, { 'content-type': 'application/json' }).end('{}');
      firstArrived();
      return true;
    });
    const fetchToken = tokenSource('t1', 't2', 't3');
    const client = createCustomerClient({ backendUrl: server.origin, fetchToken, plugin: new JuspayCustomerWeb() });
    const first = client.getCustomer({ customerId: 'cst_1' });
    await arrived;
    // Another customer: the same one would join the first lookup's request. This backend
    // answers every id with cst_1.
    await expect(client.getCustomer({ customerId: 'cst_2' })).resolves.toMatchObject({ id: 'cst_1' });
    releaseFirst();
    await expect(first).resolves.toMatchObject({ id: 'cst_1' });
    expect(asked(fetchToken)).toStrictEqual([false, true]);
    expect(server.tokens).toStrictEqual(['t1', 't1', 't2', 't2']);
  });

  it('rejects with UNAUTHORIZED when fetchToken throws, and asks again next time', async () => {
    const server = await backend(['t1']);
    const fetchToken = vi
      .fn<(r: FetchTokenRequest) => Promise<string>>()
      .mockRejectedValueOnce(new Error('the user is signed out'))
      .mockResolvedValueOnce('t1');
    const client = createCustomerClient({ backendUrl: server.origin, fetchToken, plugin: new JuspayCustomerWeb() });
    const error = await rejection(client.getCustomer({ customerId: 'cst_1' }));
    expect([error.code, error.message, error.data.status, error.data.retryable]).toStrictEqual([
      'UNAUTHORIZED',
      'token provider: the user is signed out',
      null,
      false,
    ]);
    expect(server.tokens).toHaveLength(0);
    await expect(client.getCustomer({ customerId: 'cst_1' })).resolves.toMatchObject({ id: 'cst_1' });
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('rejects with UNAUTHORIZED when the refresh throws', async () => {
    const server = await backend([]);
    const fetchToken = vi.fn(async ({ forceRefresh }: FetchTokenRequest) => {
      if (forceRefresh) throw 'backend down'; // not even an Error
      return 't1';
    });
    const client = createCustomerClient({ backendUrl: server.origin, fetchToken, plugin: new JuspayCustomerWeb() });
    const error = await rejection(client.getCustomer({ customerId: 'cst_1' }));
    expect([error.code, error.message]).toStrictEqual(['UNAUTHORIZED', 'token provider: backend down']);
    expect(server.tokens).toStrictEqual(['t1']);
  });

  it('refuses a token that cannot be sent', async () => {
    const server = await backend(['t1']);
    const client = createCustomerClient({
      backendUrl: server.origin,
      fetchToken: async () => '  ',
      plugin: new JuspayCustomerWeb(),
    });
    const error = await rejection(client.getCustomer({ customerId: 'cst_1' }));
    expect([error.code, error.message]).toStrictEqual(['UNAUTHORIZED', "the token provider's token must not be empty"]);
    expect(server.tokens).toHaveLength(0);
  });

  it('passes other errors through without a refresh', async () => {
    const server = await listen((_req, res) =>
      res.writeHead(404, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error_code: 'object_not_found',
          error_info: { developer_message: 'Customer account not found.' },
        }),
      ),
    );
    servers.push(server);
    const fetchToken = tokenSource('t1');
    const client = createCustomerClient({ backendUrl: server.origin, fetchToken, plugin: new JuspayCustomerWeb() });
    const error = await rejection(client.getCustomer({ customerId: 'cst_unknown' }));
    expect([error.code, error.message]).toStrictEqual(['CUSTOMER_NOT_FOUND', 'Customer account not found.']);
    expect(asked(fetchToken)).toStrictEqual([false]);
  });

  it('reports a bad configuration from the plugin', async () => {
    const client = createCustomerClient({
      backendUrl: 'http://api.merchant.example',
      fetchToken: tokenSource('t1'),
      plugin: new JuspayCustomerWeb(),
    });
    const error = await rejection(client.getCustomer({ customerId: 'cst_1' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/^base URL must use https/);
    expect(() => createCustomerClient({ backendUrl: 'https://a.example' } as never)).toThrow(
      'fetchToken must be a function',
    );
  });
});

describe('cancellation and the deadline', () => {
  it('rejects an already aborted signal with CANCELLED, asking nothing', async () => {
    const server = await backend(['t1']);
    const fetchToken = tokenSource('t1');
    const client = createCustomerClient({ backendUrl: server.origin, fetchToken, plugin: new JuspayCustomerWeb() });
    const error = await rejection(client.getCustomer({ customerId: 'cst_1', signal: AbortSignal.abort() }));
    expect([error.code, error.message]).toStrictEqual(['CANCELLED', 'the lookup was cancelled']);
    expect(fetchToken).not.toHaveBeenCalled();
    expect(server.tokens).toHaveLength(0);
  });

  it('cancels a request in flight through the registered plugin, closing its connection', async () => {
    let connectionClosed: Promise<void> | undefined;
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const server = await backend(['t1'], (req) => {
      connectionClosed = closed(req);
      arrived();
      return true; // never answered
    });
    // No `plugin`: the registered JuspayCustomer, which is the web implementation in Node.
    const client = createCustomerClient({ backendUrl: server.origin, fetchToken: tokenSource('t1') });
    const controller = new AbortController();
    const lookup = client.getCustomer({ customerId: 'cst_1', signal: controller.signal });
    await requestArrived;
    controller.abort();
    const error = await rejection(lookup);
    expect([error.code, error.message, error.data.retryable]).toStrictEqual([
      'CANCELLED',
      'the lookup was cancelled',
      false,
    ]);
    await connectionClosed;
  });

  it('cancels while the token is being fetched, before any request', async () => {
    const server = await backend(['t1']);
    let tokenAsked: () => void = () => undefined;
    const asking = new Promise<void>((resolve) => (tokenAsked = resolve));
    const client = createCustomerClient({
      backendUrl: server.origin,
      fetchToken: () => {
        tokenAsked();
        return new Promise<string>((resolve) => setTimeout(() => resolve('t1'), 50));
      },
      plugin: new JuspayCustomerWeb(),
    });
    const controller = new AbortController();
    const lookup = client.getCustomer({ customerId: 'cst_1', signal: controller.signal });
    await asking;
    controller.abort();
    expect((await rejection(lookup)).code).toBe('CANCELLED');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.tokens).toHaveLength(0);
  });

  it('counts the token fetch in the deadline', async () => {
    const client = createCustomerClient({
      backendUrl: 'https://api.merchant.example',
      fetchToken: () => new Promise<string>(() => undefined),
      timeoutMs: 200,
      plugin: new JuspayCustomerWeb(),
    });
    const error = await rejection(client.getCustomer({ customerId: 'cst_1' }));
    expect([error.code, error.message, error.data.retryable]).toStrictEqual([
      'TIMEOUT',
      'no answer within the 200 ms deadline',
      true,
    ]);
  });
});
