import { afterEach, expect, it } from 'vitest';

import type { JuspayCustomerPlugin } from '../definitions';
import { isCustomerError } from '../errors';
import { JuspayCustomerWeb } from '../web';

import { NO_DETAILS } from './support/error-data';
import {
  CASE_CLIENT_AUTH_EXPIRY,
  caseClientAuthToken,
  loadPluginCalls,
  startCaseServer,
  withServer,
} from './support/plugin-calls';
import type { Outcome } from './support/plugin-calls';

// Every case of src-ts/contract/plugin-calls.json against the web implementation, over loopback
// HTTP; the JVM and XCTest suites run the same file against the Android and iOS adapters.

const { wireCustomer, customer, cases } = loadPluginCalls();
const LIMIT_MS = 5000;

type Settled = { value: unknown } | { error: unknown };

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** The outcome of `promise`, or a failure when it has none within LIMIT_MS. */
function settle(promise: Promise<unknown>, what: string): Promise<Settled> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no outcome within ${LIMIT_MS} ms`)), LIMIT_MS);
  });
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return Promise.race([outcome, late]).finally(() => clearTimeout(timer));
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + LIMIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${LIMIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

it('finds the plugin-call cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(50);
});

it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
  const server = await startCaseServer(wireCustomer);
  servers.push(server);
  const plugin = new JuspayCustomerWeb();
  const started = new Map<string, Promise<Settled>>();

  const check = (what: string, got: Settled, want: Outcome) => {
    if (want === 'resolve') {
      expect(got, what).toStrictEqual({ value: undefined });
    } else if ('customer' in want) {
      const juspay = want.clientAuthToken
        ? { clientAuthToken: caseClientAuthToken(want.customer), clientAuthTokenExpiry: CASE_CLIENT_AUTH_EXPIRY }
        : null;
      expect(got, what).toStrictEqual({ value: { ...customer, id: want.customer, juspay } });
      if (want.token !== undefined) {
        const sent = server.requests.filter((r) => r.id === want.customer).map((r) => r.authorization);
        expect(sent, `${what}: Authorization`).toStrictEqual([`Bearer ${want.token}`]);
      }
    } else {
      const error = 'error' in got ? got.error : undefined;
      if (!isCustomerError(error)) throw new Error(`${what}: expected ${want.code}, got ${JSON.stringify(got)}`);
      expect({ code: error.code, message: error.message, data: error.data }, what).toStrictEqual({
        ...want,
        data: NO_DETAILS,
      });
    }
  };

  for (const [index, step] of c.calls.entries()) {
    const what = `step ${index + 1} ${JSON.stringify(step)}`;
    if ('call' in step) {
      const method = step.call as keyof JuspayCustomerPlugin;
      const options = withServer(step.options, server.origin) as never;
      const outcome = settle(plugin[method](options), what);
      if ('start' in step) started.set(step.start, outcome);
      else check(what, await outcome, step.expect);
    } else if ('await' in step) {
      const outcome = started.get(step.await);
      if (!outcome) throw new Error(`${what}: nothing was started as ${step.await}`);
      started.delete(step.await);
      check(what, await outcome, step.expect);
    } else {
      await until(() => server.requests.length >= step.waitForRequests, `${what}: the requests`);
    }
  }

  expect([...started.keys()], 'lookups started and never awaited').toStrictEqual([]);
  if (c.requests !== undefined) expect(server.requests.length, 'requests the server received').toBe(c.requests);
  await until(() => server.held() === 0, 'closing every held connection');
});
