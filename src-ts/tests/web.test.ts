import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { CustomerError } from '../definitions';
import { isCustomerError } from '../errors';
import { JuspayCustomerWeb } from '../web';

import { closed, closedPort, listen } from './support/loopback';
import type { Loopback } from './support/loopback';
import { paddedCustomer } from './support/vectors';

const CUSTOMER = { id: 'cst_1', object: 'customer', email_address: 'jane@example.com', mobile_number: '99999999' };
const NO_DETAILS = {
  status: null,
  errorCode: null,
  errorInfoCode: null,
  userMessage: null,
  developerMessage: null,
  requestId: null,
  retryable: false,
  retryAfterMs: null,
};

const servers: Loopback[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A loopback server that records each request and answers with `answer`. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse, index: number) => void, port?: number) {
  const requests: { path: string; authorization?: string; at: number }[] = [];
  const server = await listen((req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization, at: Date.now() });
    answer(req, res, requests.length - 1);
  }, port);
  servers.push(server);
  return { ...server, requests };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

async function rejection(promise: Promise<unknown>): Promise<CustomerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isCustomerError(error)) throw new Error(`expected a customer error, got ${String(error)}`);
  return error;
}

async function configured(backendUrl: string, options: { timeoutMs?: number; maxRetries?: number } = {}) {
  const plugin = new JuspayCustomerWeb();
  await plugin.configure({ backendUrl, token: 'tok-1', ...options });
  return plugin;
}

describe('configure', () => {
  it.each([
    [{ timeoutMs: 0 }, 'timeoutMs must be between 1 and 600000, got 0'],
    [{ timeoutMs: 600_001 }, 'timeoutMs must be between 1 and 600000, got 600001'],
    [{ timeoutMs: 1.5 }, 'timeoutMs must be an integer between 1 and 600000, got 1.5'],
    [{ timeoutMs: '5000' }, 'timeoutMs must be an integer between 1 and 600000, got "5000"'],
    [{ connectTimeoutMs: 0 }, 'connectTimeoutMs must be between 1 and 600000, got 0'],
    [{ maxRetries: 11 }, 'maxRetries must be between 0 and 10, got 11'],
    [{ maxRetries: -1 }, 'maxRetries must be between 0 and 10, got -1'],
    [{ backendUrl: undefined }, 'backendUrl is required'],
    [{ backendUrl: 'not a url' }, 'base URL is not a valid URL'],
    [{ backendUrl: 'file:///etc/hosts' }, 'base URL has no host'],
    [
      { backendUrl: 'http://api.example.com' },
      'base URL must use https (plain http is allowed only for 127.0.0.1, localhost and [::1])',
    ],
    [
      { backendUrl: 'http://10.0.0.1' },
      'base URL must use https (plain http is allowed only for 127.0.0.1, localhost and [::1])',
    ],
    [{ backendUrl: 'ftp://example.com' }, 'base URL must use https, not ftp'],
    [{ backendUrl: 'https://key:@api.juspay.in' }, 'base URL must not contain credentials: pass them in `credentials`'],
    [{ backendUrl: 'https://api.juspay.in/?x=1' }, 'base URL must not have a query or fragment'],
    [{ backendUrl: 'https://api.juspay.in/#' }, 'base URL must not have a query or fragment'],
    [{ token: ' ' }, 'token must not be empty'],
    [{ token: 'a\r\nX-Injected: 1' }, 'token must be printable ASCII without line breaks'],
  ])('refuses %j with INVALID_ARGUMENT', async (bad, message) => {
    const plugin = new JuspayCustomerWeb();
    const error = await rejection(plugin.configure({ backendUrl: 'https://api.merchant.example', ...bad } as never));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(message);
    expect(error.data).toStrictEqual(NO_DETAILS);
  });

  it('accepts https and loopback http', async () => {
    const plugin = new JuspayCustomerWeb();
    for (const url of [
      'https://api.merchant.example',
      'https://api.merchant.example:8443/juspay/',
      'http://127.8.9.10',
      'http://localhost:3000',
      'http://[::1]:9000/a/b//',
      '  https://api.merchant.example/x  ',
    ]) {
      await expect(plugin.configure({ backendUrl: url, token: 't' })).resolves.toBeUndefined();
    }
  });

  it('keeps the port and path prefix, and drops trailing slashes', async () => {
    const server = await serve((_req, res) => json(res, 200, CUSTOMER));
    await (await configured(`${server.origin}/merchant/juspay//`)).getCustomer({ customerId: 'cst_1' });
    const viaLocalhost = `http://localhost:${server.port}`;
    await (await configured(viaLocalhost)).getCustomer({ customerId: 'cst_2' });
    expect(server.requests.map((r) => r.path)).toStrictEqual(['/merchant/juspay/customers/cst_1', '/customers/cst_2']);
  });

  it('keeps the previous configuration when a new one is refused', async () => {
    const server = await serve((_req, res) => json(res, 200, CUSTOMER));
    const plugin = await configured(server.origin);
    await expect(plugin.configure({ backendUrl: 'http://api.example.com', token: 'tok-2' })).rejects.toThrow();
    await plugin.getCustomer({ customerId: 'cst_1' });
    expect(server.requests.map((r) => r.authorization)).toStrictEqual(['Bearer tok-1']);
  });
});

describe('getCustomer', () => {
  it('needs configure and a token first', async () => {
    const server = await serve((_req, res) => json(res, 200, CUSTOMER));
    const plugin = new JuspayCustomerWeb();
    const unconfigured = await rejection(plugin.getCustomer({ customerId: 'cst_1' }));
    expect([unconfigured.code, unconfigured.message]).toStrictEqual([
      'INVALID_ARGUMENT',
      'call configure before getCustomer',
    ]);

    await plugin.configure({ backendUrl: server.origin });
    const tokenless = await rejection(plugin.getCustomer({ customerId: 'cst_1' }));
    expect([tokenless.code, tokenless.message]).toStrictEqual([
      'INVALID_ARGUMENT',
      'no device token: pass token to configure or call setToken',
    ]);
    expect(server.requests).toHaveLength(0);

    await plugin.setToken({ token: 'tok-late' });
    await expect(plugin.getCustomer({ customerId: 'cst_1' })).resolves.toMatchObject({ id: 'cst_1' });
    await plugin.setToken({ token: 'tok-next' });
    await plugin.getCustomer({ customerId: 'cst_1' });
    expect(server.requests.map((r) => r.authorization)).toStrictEqual(['Bearer tok-late', 'Bearer tok-next']);

    const empty = await rejection(plugin.setToken({ token: '' }));
    expect([empty.code, empty.message]).toStrictEqual(['INVALID_ARGUMENT', 'token must not be empty']);
  });

  it('refuses ids that cannot be sent, before any request', async () => {
    const server = await serve((_req, res) => json(res, 200, CUSTOMER));
    const plugin = await configured(server.origin);
    const surrogate = await rejection(plugin.getCustomer({ customerId: 'a\ud800b' }));
    expect([surrogate.code, surrogate.message]).toStrictEqual([
      'INVALID_ARGUMENT',
      'customer_id must be valid Unicode text',
    ]);
    const missing = await rejection(plugin.getCustomer({} as never));
    expect(missing.message).toBe('customerId is required');
    expect(server.requests).toHaveLength(0);
  });

  it('cancels a lookup by its lookupId and closes its connection', async () => {
    let connectionClosed: Promise<void> | undefined;
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const server = await serve((req) => {
      connectionClosed = closed(req);
      arrived();
    });
    const plugin = await configured(server.origin);
    const lookup = plugin.getCustomer({ customerId: 'cst_1', lookupId: 'profile' });
    const reused = await rejection(plugin.getCustomer({ customerId: 'cst_1', lookupId: 'profile' }));
    expect(reused.message).toBe('lookupId "profile" is already used by a lookup in flight');
    await requestArrived;

    await plugin.cancel({ lookupId: 'someone-else' });
    await plugin.cancel({ lookupId: 'profile' });
    const error = await rejection(lookup);
    expect([error.code, error.message]).toStrictEqual(['CANCELLED', 'the lookup was cancelled']);
    expect(error.data).toStrictEqual(NO_DETAILS);
    await connectionClosed;
    expect(server.requests).toHaveLength(1);
  });

  it('bounds the whole lookup, retries included, by one deadline', async () => {
    // Two slow 503s that invite an immediate retry, then an answer that never comes: a deadline
    // per attempt would end at about 1800 ms, the overall one at 1000 ms.
    const server = await serve((_req, res, index) => {
      if (index < 2) setTimeout(() => json(res, 503, {}, { 'retry-after': '0' }), 400);
    });
    const plugin = await configured(server.origin, { timeoutMs: 1000, maxRetries: 10 });
    const started = Date.now();
    const error = await rejection(plugin.getCustomer({ customerId: 'cst_1' }));
    expect([error.code, error.message, error.data.retryable]).toStrictEqual([
      'TIMEOUT',
      'no answer within the 1000 ms deadline',
      true,
    ]);
    expect(server.requests).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(1700);
  });

  it('waits for a Retry-After given as an HTTP date', async () => {
    const server = await serve((_req, res, index) => {
      if (index === 0) json(res, 503, {}, { 'retry-after': new Date(Date.now() + 2000).toUTCString() });
      else json(res, 200, CUSTOMER);
    });
    const plugin = await configured(server.origin);
    await expect(plugin.getCustomer({ customerId: 'cst_1' })).resolves.toMatchObject({ id: 'cst_1' });
    expect(server.requests).toHaveLength(2);
    // The date has whole seconds, so the pause is between 1 and 2 s.
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(900);
  });

  it('retries a connection that could not be made', async () => {
    const port = await closedPort();
    const realFetch = globalThis.fetch;
    // The server comes up only after the first attempt was refused.
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (...args) => {
      try {
        return await realFetch(...args);
      } finally {
        if (fetchSpy.mock.calls.length === 1) await serve((_req, res) => json(res, 200, CUSTOMER), port);
      }
    });
    const plugin = await configured(`http://127.0.0.1:${port}`);
    await expect(plugin.getCustomer({ customerId: 'cst_1' })).resolves.toMatchObject({ id: 'cst_1' });
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  it('gives NETWORK after the retries when no connection can be made', async () => {
    const port = await closedPort();
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const plugin = await configured(`http://127.0.0.1:${port}`, { maxRetries: 1 });
    const error = await rejection(plugin.getCustomer({ customerId: 'secret-customer' }));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/^could not connect to the server: .*ECONNREFUSED/);
    expect(error.message).not.toContain('secret-customer');
    expect(error.data).toStrictEqual({ ...NO_DETAILS, retryable: true });
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  it('does not retry a connection that broke after the request was sent', async () => {
    const server = await serve((req, res, index) => {
      if (index === 0) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"cst_1",');
        setTimeout(() => req.socket.resetAndDestroy(), 20);
      } else json(res, 200, CUSTOMER);
    });
    const error = await rejection((await configured(server.origin)).getCustomer({ customerId: 'cst_1' }));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/^the connection failed: /);
    expect(server.requests).toHaveLength(1);
  });

  it('reads a body of exactly 64 KiB, and refuses a larger declared one unread', async () => {
    const server = await serve((_req, res, index) => {
      const body = paddedCustomer(index === 0 ? 65_536 : 65_537);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) }).end(body);
    });
    const plugin = await configured(server.origin);
    await expect(plugin.getCustomer({ customerId: 'cst_1' })).resolves.toMatchObject({ id: 'cst_oversize' });
    const error = await rejection(plugin.getCustomer({ customerId: 'cst_1' }));
    expect([error.code, error.message, error.data.status]).toStrictEqual([
      'INVALID_RESPONSE',
      'the response body exceeds 65536 bytes',
      200,
    ]);
  });

  it('keeps the code of an error status whose body is too large', async () => {
    const server = await serve((_req, res) => res.writeHead(500).end(paddedCustomer(70_000)));
    const error = await rejection((await configured(server.origin)).getCustomer({ customerId: 'cst_1' }));
    expect([error.code, error.message, error.data.status]).toStrictEqual([
      'SERVER_ERROR',
      'the server failed (HTTP 500)',
      500,
    ]);
  });

  it('logs nothing, so no email or mobile number reaches a log', async () => {
    const logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(() => undefined),
    );
    const server = await serve((_req, res, index) =>
      index === 0 ? json(res, 200, CUSTOMER) : json(res, 404, { error_code: 'object_not_found' }),
    );
    const plugin = await configured(server.origin);
    await plugin.getCustomer({ customerId: 'cst_1' });
    await plugin.getCustomer({ customerId: 'cst_1' }).catch(() => undefined);
    for (const spy of logged) expect(spy).not.toHaveBeenCalled();
  });
});
