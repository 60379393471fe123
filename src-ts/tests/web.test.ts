import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { CustomerError } from '../definitions';
import { isCustomerError } from '../errors';
import { JuspayCustomerWeb } from '../web';

import { NO_DETAILS } from './support/error-data';
import { closedPort, listen } from './support/loopback';
import type { Loopback } from './support/loopback';
import { paddedCustomer } from './support/vectors';

const CUSTOMER = { id: 'cst_1', object: 'customer', email_address: 'jane@example.com', mobile_number: '99999999' };

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

async function configured(
  backendUrl: string,
  options: { timeoutMs?: number; maxRetries?: number; cacheTtlMs?: number } = {},
) {
  const plugin = new JuspayCustomerWeb();
  await plugin.configure({ backendUrl, token: 'tok-1', ...options });
  return plugin;
}

// What every platform answers to each call (option checks, their order, messages, cancel) is
// in src-ts/contract/plugin-calls.json, run by plugin-calls.test.ts; these are the web's own.
describe('configure', () => {
  it('keeps the port and path prefix, and drops trailing slashes', async () => {
    const server = await serve((_req, res) => json(res, 200, CUSTOMER));
    await (await configured(`${server.origin}/merchant/juspay//`)).getCustomer({ customerId: 'cst_1' });
    const viaLocalhost = `http://localhost:${server.port}`;
    await (await configured(viaLocalhost)).getCustomer({ customerId: 'cst_2' });
    expect(server.requests.map((r) => r.path)).toStrictEqual(['/merchant/juspay/customers/cst_1', '/customers/cst_2']);
  });
});

describe('pins', () => {
  it('are refused on the web, where fetch cannot pin, and an empty list is no pinning', async () => {
    const plugin = new JuspayCustomerWeb();
    const pin = `sha256/${'A'.repeat(43)}=`;
    const error = await rejection(plugin.configure({ backendUrl: 'https://api.merchant.invalid', pins: [pin] }));
    expect([error.code, error.message]).toStrictEqual([
      'INVALID_ARGUMENT',
      'pins are not supported on the web: fetch cannot pin certificates',
    ]);
    await plugin.configure({ backendUrl: 'https://api.merchant.invalid', pins: [] });
  });
});

describe('getCustomer', () => {
  // JSON cannot carry a lone surrogate to the native plugins, so this one is the web's alone.
  it('refuses an id that is not valid Unicode, before any request', async () => {
    const server = await serve((_req, res) => json(res, 200, CUSTOMER));
    const plugin = await configured(server.origin);
    const surrogate = await rejection(plugin.getCustomer({ customerId: 'a\ud800b' }));
    expect([surrogate.code, surrogate.message, surrogate.data]).toStrictEqual([
      'INVALID_ARGUMENT',
      'customer_id must be valid Unicode text',
      NO_DETAILS,
    ]);
    expect(server.requests).toHaveLength(0);
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

  it('reports an exception no rule foresaw as INTERNAL, not as a fault of the server', async () => {
    // A fetch that breaks its own contract: the lookup code then throws a TypeError of its own.
    vi.stubGlobal('fetch', async () => null);
    try {
      const error = await rejection((await configured('http://127.0.0.1:9')).getCustomer({ customerId: 'cst_1' }));
      expect([error.code, error.data]).toStrictEqual(['INTERNAL', NO_DETAILS]);
      expect(error.message).toMatch(/^internal error: .*null/);
    } finally {
      vi.unstubAllGlobals();
    }
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

describe('shared lookups and the cache', () => {
  const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('gives 50 concurrent lookups of one customer one request, and each caller its own object', async () => {
    const server = await serve((_req, res) => void later(100).then(() => json(res, 200, CUSTOMER)));
    const plugin = await configured(server.origin);
    const customers = await Promise.all(Array.from({ length: 50 }, () => plugin.getCustomer({ customerId: 'cst_1' })));
    expect(server.requests).toHaveLength(1);
    expect(new Set(customers.map((c) => c.id))).toStrictEqual(new Set(['cst_1']));
    expect(new Set(customers).size).toBe(50);
    // Once it has ended, the next lookup is a request of its own.
    await plugin.getCustomer({ customerId: 'cst_1' });
    expect(server.requests).toHaveLength(2);
  });

  it('gives every waiter the error, and keeps no error', async () => {
    const server = await serve((_req, res) => void later(100).then(() => json(res, 404, {})));
    const plugin = await configured(server.origin, { cacheTtlMs: 60_000 });
    const errors = await Promise.all(
      Array.from({ length: 50 }, () => rejection(plugin.getCustomer({ customerId: 'cst_1' }))),
    );
    expect(new Set(errors.map((e) => e.code))).toStrictEqual(new Set(['ENDPOINT_NOT_FOUND']));
    expect(server.requests).toHaveLength(1);
    await rejection(plugin.getCustomer({ customerId: 'cst_1' }));
    expect(server.requests).toHaveLength(2);
  });

  it('keeps a customer for cacheTtlMs and no longer, and gives each caller its own copy', async () => {
    const server = await serve((_req, res) => json(res, 200, CUSTOMER));
    const plugin = new JuspayCustomerWeb();
    await plugin.configure({ backendUrl: server.origin, token: 'tok-1', cacheTtlMs: 200 });
    const first = await plugin.getCustomer({ customerId: 'cst_1' });
    first.firstName = 'changed by the caller';
    const second = await plugin.getCustomer({ customerId: 'cst_1' });
    expect(second.firstName).toBeNull();
    expect(server.requests).toHaveLength(1);
    await later(250);
    await plugin.getCustomer({ customerId: 'cst_1' });
    expect(server.requests).toHaveLength(2);
  });
});
