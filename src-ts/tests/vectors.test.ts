import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isCustomerError } from '../errors';
import { JuspayCustomerWeb } from '../web';

import { startScenarioServer } from './support/scenario-server';
import type { ScenarioServer } from './support/scenario-server';
import { loadVectors } from './support/vectors';

const TOKEN = 'device-token-for-vectors';
// Headers that fetch adds by itself; anything else must come from the plugin, which may send
// only Authorization and Accept.
const ADDED_BY_FETCH = ['host', 'connection', 'user-agent', 'accept-language', 'accept-encoding', 'sec-fetch-mode'];

const vectors = loadVectors();
let server: ScenarioServer;

beforeAll(async () => {
  server = await startScenarioServer(vectors);
});
afterAll(() => server.close());

it('finds the shared vectors', () => {
  expect(vectors.length).toBeGreaterThanOrEqual(30);
});

describe.concurrent('every shared scenario vector, played by the web implementation', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s', async (_name, vector) => {
    const plugin = new JuspayCustomerWeb();
    // The vectors' defaults (README): 5000 ms and 2 retries.
    await plugin.configure({
      backendUrl: server.baseUrl(vector.name),
      token: TOKEN,
      timeoutMs: vector.config?.deadlineMs ?? 5000,
      maxRetries: vector.config?.maxRetries ?? 2,
    });
    const clientAuthToken = vector.options?.clientAuthToken;
    const outcome = await plugin.getCustomer({ customerId: vector.customerId, clientAuthToken }).then(
      (customer) => ({ customer, error: undefined }),
      (error: unknown) => ({ customer: undefined, error }),
    );

    const want = vector.expect;
    if (want.customer) {
      expect(outcome.error).toBeUndefined();
      expect(outcome.customer).toStrictEqual(want.customer);
    } else {
      const error = outcome.error;
      expect(outcome.customer).toBeUndefined();
      if (!isCustomerError(error)) throw new Error(`not a customer error: ${String(error)}`);
      expect(error.code).toBe(want.error?.code);
      if (want.error?.message !== undefined) expect(error.message).toBe(want.error.message);
      expect(error.data).toStrictEqual(want.error?.data);
    }

    const requests = server.requests(vector.name);
    expect(requests).toHaveLength(want.requests);
    for (const request of requests) {
      expect(request.method).toBe('GET');
      if (want.requestPath !== undefined) expect(request.path).toBe(want.requestPath);
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers.accept).toBe('application/json');
      const extra = Object.keys(request.headers).filter(
        (h) => h !== 'authorization' && h !== 'accept' && ADDED_BY_FETCH.indexOf(h) < 0,
      );
      expect(extra).toStrictEqual([]);
    }
  });
});
