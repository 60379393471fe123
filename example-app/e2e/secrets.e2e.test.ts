/**
 * The one rule of security: the Juspay API key never reaches the browser. The embedded emulator's
 * key is generated inside the backend and cannot be observed, so here the backend runs as it
 * would in production, with JUSPAY_API_KEY set, against a standalone emulator whose key the test
 * chose; then everything the page received, stored and was served is searched for that key.
 */

import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, expect, test } from 'vitest';

import { AppPage } from './support/app';
import { launch } from './support/driver';
import type { E2EBrowser } from './support/driver';
import { SANDBOX_CONTROL_KEY, startAppServer, startBackend, startSandbox } from './support/processes';
import type { Backend, Running } from './support/processes';
import { Wire } from './support/wire';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');
const MERCHANT_ID = 'sandbox_merchant';
const apiKey = `e2e_${randomBytes(18).toString('hex')}`;
/** The key as it could leak: plain, and in both Basic-auth encodings (with and without the colon). */
const forms = [apiKey, Buffer.from(`${apiKey}:`).toString('base64'), Buffer.from(apiKey).toString('base64')];

let app: Running;
let sandbox: Running;
let backend: Backend;
let browser: E2EBrowser;
/** Everything between the page and the app's server, and the page and the backend. */
let appWire: Wire;
let backendWire: Wire;

beforeAll(async () => {
  [app, sandbox, browser] = await Promise.all([startAppServer(), startSandbox(apiKey), launch()]);
  appWire = await Wire.start(app.url);
  backend = await startBackend({
    appOrigin: appWire.url,
    env: {
      JUSPAY_API_KEY: apiKey,
      JUSPAY_BASE_URL: sandbox.url,
      JUSPAY_MERCHANT_ID: MERCHANT_ID,
      // Off by default with a real key; the test needs a way to sign in.
      DEMO_SIGN_IN: 'true',
    },
  });
  backendWire = await Wire.start(backend.url);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([appWire?.stop(), backendWire?.stop(), backend?.stop(), sandbox?.stop(), app?.stop()]);
});

function leaks(text: string): string[] {
  return forms.filter((form) => text.includes(form));
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

test('the API key is in no response, header, storage or page the browser sees, nor in the built app', async () => {
  const tab = await browser.newTab();
  const { page } = tab;
  const ui = new AppPage(page);
  await ui.open(appWire.url, backendWire.url);

  // Every kind of answer: sign-in refused and accepted, a customer by both ids, someone else's.
  await ui.signInField.fill('nobody-by-this-id');
  await ui.signInField.press('Enter');
  await ui.signInError.waitFor();
  await ui.signIn('customer-id-007');
  expect(await ui.lookUp('cst_7hq2m9xk4v1p8zta')).toBe('card');
  await ui.card.getByRole('button', { name: 'Show email address' }).click();
  expect(await ui.lookUp('customer-id-007')).toBe('card');
  expect(await ui.lookUp('user-10042')).toBe('error');
  expect(await ui.errorCode()).toBe('FORBIDDEN');

  // The backend really used the key: the emulator saw Basic auth and the merchant id.
  const log = await fetch(`${sandbox.url}/__sandbox/requests`, {
    headers: { 'x-sandbox-control-key': SANDBOX_CONTROL_KEY },
  });
  const seen = (await log.json()) as {
    headers: [string, string][] | Record<string, string>;
  }[];
  expect(seen.length).toBeGreaterThanOrEqual(3);
  const headerOf = (request: (typeof seen)[number], name: string) =>
    Array.isArray(request.headers)
      ? request.headers.find(([n]) => n === name)?.[1]
      : (request.headers as Record<string, string>)[name];
  expect(seen.every((r) => headerOf(r, 'authorization') === 'Basic [redacted]')).toBe(true);
  expect(seen.every((r) => headerOf(r, 'x-merchantid') === MERCHANT_ID)).toBe(true);

  // The browser talked to the app's server and the backend only, never to Juspay (Resource
  // Timing lists every fetch of the page, to any origin).
  const origins = new Set(
    await page.evaluate(() => [
      location.origin,
      ...performance.getEntriesByType('resource').map((e) => new URL(e.name).origin),
    ]),
  );
  expect([...origins].sort()).toEqual([appWire.url, backendWire.url].sort());
  expect(appWire.own().length).toBeGreaterThan(1);
  // The search below reads bodies as the page did, not as gzip on the wire.
  expect(appWire.own().some((e) => e.body.toString().includes('<title>Customer lookup</title>'))).toBe(true);
  expect(backendWire.own().length).toBeGreaterThanOrEqual(5);

  const found: string[] = [];
  for (const exchange of [...appWire.exchanges, ...backendWire.exchanges]) {
    const answered = JSON.stringify(exchange.responseHeaders) + exchange.body.toString('latin1');
    if (leaks(answered).length) found.push(`response ${exchange.url}`);
    const sent = JSON.stringify(exchange.requestHeaders) + exchange.requestBody.toString('latin1');
    if (leaks(sent).length) found.push(`request ${exchange.url}`);
    // No Basic credentials of any kind ever leave the page.
    if (/"authorization":"basic /i.test(sent)) found.push(`basic auth sent to ${exchange.url}`);
  }
  const stored = await page.evaluate(() =>
    JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookies: document.cookie }),
  );
  if (leaks(stored).length) found.push('web storage or cookies');
  if (leaks(await page.content()).length) found.push('page DOM');
  for (const file of files(DIST)) {
    const text = readFileSync(file).toString('latin1');
    if (leaks(text).length || text.includes('JUSPAY_API_KEY')) found.push(`dist file ${file}`);
  }
  expect(found).toEqual([]);
  await tab.close();
});

test('the search itself works: the key is found where it is', () => {
  // Guards the test above against passing because it searches for the wrong thing.
  expect(leaks(`{"authorization":"Basic ${Buffer.from(`${apiKey}:`).toString('base64')}"}`)).toEqual([forms[1]]);
  expect(leaks(`Basic ${Buffer.from(apiKey).toString('base64')}`)).toEqual([forms[2]]);
  expect(leaks(`x${apiKey}x`)).toEqual([apiKey]);
});
