/**
 * The example app in a real browser (E2E_ENGINE: chromium, webkit, firefox) against the real
 * reference backend and its embedded Juspay emulator: what a user sees for each outcome the
 * plugin can report, and what went over the wire for it.
 */

import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { AppPage } from './support/app';
import { axe, describeViolations, screenshot } from './support/browser';
import { ENGINE, launch } from './support/driver';
import type { E2EBrowser, E2EPage, Tab } from './support/driver';
import { startAppServer, startBackend } from './support/processes';
import type { Backend, Running } from './support/processes';
import { Wire } from './support/wire';

const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Every lookup of the app asks for Juspay's client auth token. */
const CLIENT_AUTH_TOKEN_QUERY = '?options.get_client_auth_token=true';

let app: Running;
let backend: Backend;
let browser: E2EBrowser;
const tabs: Tab[] = [];
const wires: Wire[] = [];
const extraBackends: Backend[] = [];

beforeAll(async () => {
  app = await startAppServer();
  // SANDBOX_FAULTS: some tests make the embedded emulator fail with x-sandbox-fault.
  [backend, browser] = await Promise.all([
    startBackend({ appOrigin: app.url, env: { SANDBOX_FAULTS: 'true' } }),
    launch(),
  ]);
});

afterEach(async () => {
  const open = tabs.splice(0);
  const errors = (await Promise.all(open.map((t) => t.errors()))).flat();
  await Promise.all(open.map((t) => t.close()));
  await Promise.all([...wires.splice(0).map((w) => w.stop()), ...extraBackends.splice(0).map((b) => b.stop())]);
  // An uncaught exception in the app fails the test that caused it.
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([backend?.stop(), app?.stop()]);
});

/**
 * A fresh phone-sized page on the app, pointed through Settings at a recording wire in front of
 * `backendUrl`.
 */
async function openApp(backendUrl = backend.url, scale = 1): Promise<{ page: E2EPage; ui: AppPage; wire: Wire }> {
  const wire = await Wire.start(backendUrl);
  wires.push(wire);
  const tab = await browser.newTab(scale);
  tabs.push(tab);
  const ui = new AppPage(tab.page);
  await ui.open(app.url, wire.url);
  return { page: tab.page, ui, wire };
}

/** The page's resource fetches so far (Resource Timing), to any origin. */
function fetchesSoFar(page: E2EPage): Promise<number> {
  return page.evaluate(() => performance.getEntriesByType('resource').length);
}

async function extraBackend(env: Record<string, string> = {}, port = 0): Promise<Backend> {
  const started = await startBackend({ appOrigin: app.url, env, port });
  extraBackends.push(started);
  return started;
}

describe('a successful lookup', () => {
  test('finds the signed-in customer by Juspay id and by object_reference_id, personal data masked until revealed', async () => {
    const { page, ui, wire } = await openApp(backend.url, 2);

    // The demo customer chip fills the field; Enter submits.
    await page.getByRole('button', { name: 'customer-id-007' }).click();
    expect(await ui.signInField.inputValue()).toBe('customer-id-007');
    await ui.signInField.press('Enter');
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('#session-name').textContent()).toBe('customer-id-007');
    // Sign-in fills the lookup field with the customer's Juspay id.
    expect(await ui.lookupField.inputValue()).toBe('cst_7hq2m9xk4v1p8zta');

    await ui.lookupField.press('Enter');
    expect(await ui.settled()).toBe('card');
    expect(await ui.card.getByRole('heading').textContent()).toBe('Priya Raghavan');
    expect(await ui.card.textContent()).toContain('Customer since 11 Feb 2024');
    const { 'Juspay SDK token': sdkToken, ...fields } = await ui.cardFields();
    expect(fields).toEqual({
      'Juspay id': 'cst_7hq2m9xk4v1p8zta',
      'Reference id': 'customer-id-007',
      Email: 'p•••••n@example.com',
      Mobile: '+91 ••••••3210',
      Created: '11 Feb 2024, 09:15',
      'Last updated': '3 Jun 2025, 17:48',
    });
    // Juspay's client auth token, asked for with the lookup: masked, with its expiry 15 minutes on
    // (the emulator's tokens are tkn_ and 32 hex digits; the page runs in en-GB, UTC).
    const shown = /^tkn_•{6}[0-9a-f]{4}, expires (\d\d:\d\d)$/.exec(sdkToken);
    if (!shown) throw new Error(`the client auth token is not shown masked: ${sdkToken}`);
    const hhmm = (at: number) =>
      new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: 'UTC' }).format(new Date(at));
    const in15 = Date.now() + 15 * 60_000;
    expect([hhmm(in15 - 60_000), hhmm(in15)]).toContain(shown[1]);
    const lookupAnswer = wire.own().find((e) => e.method === 'GET' && e.url.startsWith('/customers/cst_'));
    expect(lookupAnswer?.url).toBe(`/customers/cst_7hq2m9xk4v1p8zta${CLIENT_AUTH_TOKEN_QUERY}`);
    // The page shows the token masked and never holds it whole.
    const token = (JSON.parse(String(lookupAnswer?.body)) as { juspay: { client_auth_token: string } }).juspay
      .client_auth_token;
    expect(sdkToken.startsWith(`${token.slice(0, 4)}••••••${token.slice(-4)},`)).toBe(true);
    expect(await page.content()).not.toContain(token);
    // Masked means not on the page at all, not merely hidden.
    const before = await ui.text();
    expect(before).not.toContain('priya.raghavan');
    expect(before).not.toContain('9876543210');
    expect(await page.content()).not.toContain('priya.raghavan');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const shot = await screenshot(page, 'customer-card');
    // The README's picture, refreshed on request only: a rendering differs a little per machine.
    if (process.env.E2E_UPDATE_DOCS === '1' && ENGINE === 'chromium')
      copyFileSync(shot, resolve(APP_DIR, 'docs/screenshot.png'));

    await ui.card.getByRole('button', { name: 'Show email address' }).click();
    await ui.card.getByRole('button', { name: 'Show mobile number' }).click();
    expect(await ui.cardFields()).toMatchObject({ Email: 'priya.raghavan@example.com', Mobile: '+91 9876543210' });
    await ui.card.getByRole('button', { name: 'Hide email address' }).click();
    expect((await ui.cardFields()).Email).toBe('p•••••n@example.com');
    await screenshot(page, 'customer-card-revealed');

    // The same customer by the merchant's own id.
    await page.getByRole('button', { name: 'My reference id' }).click();
    expect(await ui.lookupField.inputValue()).toBe('customer-id-007');
    expect(await ui.lookUp('customer-id-007')).toBe('card');
    expect((await ui.cardFields())['Juspay id']).toBe('cst_7hq2m9xk4v1p8zta');

    expect(wire.sent()).toEqual([
      'POST /auth/device-token',
      'GET /customers/cst_7hq2m9xk4v1p8zta',
      'GET /customers/customer-id-007',
    ]);
  });

  test('every demo customer on the sign-in screen exists in the backend and is found by its reference id', async () => {
    const { page, ui } = await openApp();
    const chips = await page.getByRole('group', { name: 'Demo customers' }).getByRole('button').allTextContents();
    expect(chips.length).toBeGreaterThanOrEqual(3);
    for (const id of chips) {
      await page.getByRole('button', { name: id, exact: true }).click();
      await ui.signInField.press('Enter');
      await page.getByText('Signed in as').waitFor();
      expect(await ui.lookUp(id)).toBe('card');
      const fields = await ui.cardFields();
      expect(fields['Reference id']).toBe(id);
      expect(fields['Juspay id']).toMatch(/^cst_[a-z0-9]{16}$/);
      await ui.signOut();
    }
  });

  test('works with the keyboard alone, with a visible focus ring', async () => {
    const { page, ui } = await openApp();
    // From the top of a fresh page (the backend URL stays saved).
    await page.reload();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('open-settings');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sign-in-id');
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(ring.style).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(2);

    await page.keyboard.type('user-10042');
    await page.keyboard.press('Enter');
    await page.getByText('Signed in as').waitFor();
    // Focus moves on to the lookup field, already filled in.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('customer-id');
    await page.keyboard.press('Enter');
    expect(await ui.settled()).toBe('card');
    expect(await ui.card.getByRole('heading').textContent()).toBe('Aarav Mehta');

    // Reveal by keyboard: Tab to the first reveal button, Space presses it.
    await ui.card.getByRole('button', { name: 'Show email address' }).focus();
    await page.keyboard.press('Space');
    expect((await ui.cardFields()).Email).toBe('aarav.mehta@example.com');
  });
});

describe('failures the user sees', () => {
  test("another customer's id: FORBIDDEN with the backend's message and request id, and no retry", async () => {
    const { ui, wire } = await openApp();
    await ui.signIn('customer-id-007');
    expect(await ui.lookUp('user-10042')).toBe('error');
    expect(await ui.errorCode()).toBe('FORBIDDEN');
    expect(await ui.error.getByTestId('error-code').innerText()).toContain('FORBIDDEN');
    expect(await ui.error.getByTestId('error-message').textContent()).toBe('Forbidden.');

    const answer = wire.own().find((e) => e.url === `/customers/user-10042${CLIENT_AUTH_TOKEN_QUERY}`);
    expect(answer?.status).toBe(403);
    // The backend's own error: its request id, in the body and as its x-request-id header.
    const requestId = String(answer?.responseHeaders['x-request-id']);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(String(answer?.body)).error_info.request_id).toBe(requestId);
    expect(await ui.error.getByTestId('request-id').textContent()).toBe(requestId);
    expect(await ui.error.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await screenshot(ui.page, 'forbidden');
  });

  test('an unknown customer at sign-in: CUSTOMER_NOT_FOUND with Juspay\u2019s message and request id', async () => {
    const { ui, wire } = await openApp();
    // A Juspay id the merchant stored is not created again (a new merchant id would be).
    await ui.signInField.fill('cst_nobodybythisid00');
    await ui.signInField.press('Enter');
    await ui.signInError.waitFor();
    expect(await ui.errorCode(ui.signInError)).toBe('CUSTOMER_NOT_FOUND');
    expect(await ui.signInError.getByTestId('error-message').textContent()).toBe(
      'Cannot process your request as customer account not found.',
    );
    const answer = wire.own().find((e) => e.url === '/auth/device-token');
    expect(answer?.status).toBe(404);
    const requestId = JSON.parse(String(answer?.body)).error_info.request_id as string;
    expect(await ui.signInError.getByTestId('request-id').textContent()).toBe(requestId);
    expect(await ui.page.getByText('Signed in as').isVisible()).toBe(false);
  });

  test('a customer removed at Juspay after sign-in: the lookup shows CUSTOMER_NOT_FOUND with request id', async () => {
    // The same signing secret across a restart keeps the token valid; the second emulator's
    // data no longer has the customer, as if Juspay had deleted it.
    const secret = 'e2e-secret-'.padEnd(40, 'x');
    const dir = mkdtempSync(join(tmpdir(), 'juspay-e2e-'));
    const seed = join(dir, 'seed.json');
    writeFileSync(
      seed,
      JSON.stringify([
        {
          id: 'cst_e2eleaver00000001',
          object_reference_id: 'e2e-leaver',
          first_name: 'Lee',
          last_name: 'Ver',
          email_address: 'lee.ver@example.com',
          mobile_country_code: '65',
          mobile_number: '81234567',
        },
      ]),
    );
    const first = await extraBackend({ TOKEN_SECRET: secret, SANDBOX_SEED: seed });
    const { ui, wire } = await openApp(first.url);
    await ui.signIn('e2e-leaver');
    expect(await ui.lookUp('e2e-leaver')).toBe('card');

    await first.stop();
    const second = await extraBackend({ TOKEN_SECRET: secret }, first.port);
    expect(await ui.lookUp('e2e-leaver')).toBe('error');
    expect(await ui.errorCode()).toBe('CUSTOMER_NOT_FOUND');
    expect(await ui.error.getByTestId('error-message').textContent()).toBe(
      'Cannot process your request as customer account not found.',
    );
    // The access log arrives a batch at a time.
    await expect.poll(() => second.requestCount(), { timeout: 5_000 }).toBeGreaterThan(0);
    const answer = wire
      .own()
      .filter((e) => e.url === `/customers/e2e-leaver${CLIENT_AUTH_TOKEN_QUERY}`)
      .at(-1);
    expect(answer?.status).toBe(404);
    const requestId = JSON.parse(String(answer?.body)).error_info.request_id as string;
    expect(requestId).toBeTruthy();
    expect(await ui.error.getByTestId('request-id').textContent()).toBe(requestId);
    expect(await ui.error.getByText('HTTP status').count()).toBe(1);
    expect(await ui.error.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await screenshot(ui.page, 'customer-not-found');
  });

  test('an expired token is refreshed without the user noticing', async () => {
    const shortLived = await extraBackend({ TOKEN_TTL: '1s' });
    const { page, ui, wire } = await openApp(shortLived.url);
    await ui.signIn('user-10043');
    const shown = await ui.recordShownCodes();
    // With TOKEN_TTL=1s the token expires within two seconds (its `exp` is rounded up to the
    // second); wait until the backend must refuse it.
    await page.waitForTimeout(2_100);

    expect(await ui.lookUp('user-10043')).toBe('card');
    expect(await ui.card.getByRole('heading').textContent()).toBe('Wei Ling Tan');
    expect(await shown()).toEqual([]);
    expect(await ui.text()).not.toContain('UNAUTHORIZED');
    // The backend did refuse the old token, and the app signed in again by itself.
    expect(wire.answers()).toEqual([
      'POST /auth/device-token 200',
      'GET /customers/user-10043 401',
      'POST /auth/device-token 200',
      'GET /customers/user-10043 200',
    ]);
  });

  test('backend down: NETWORK with a retry that succeeds once the backend is back', async () => {
    const flaky = await extraBackend();
    const { ui, wire } = await openApp(flaky.url);
    await ui.signIn('user-10044');
    expect(await ui.lookUp('user-10044')).toBe('card');

    await flaky.stop();
    expect(await ui.lookUp('user-10044')).toBe('error');
    expect(await ui.errorCode()).toBe('NETWORK');
    expect(await ui.error.getByRole('heading').textContent()).toBe('Cannot reach the backend');
    expect(await ui.error.getByTestId('request-id').count()).toBe(0);
    const retry = ui.error.getByRole('button', { name: 'Try again' });
    await screenshot(ui.page, 'network-error');

    // Back on the same port, with a new signing secret: the retry also renews the token.
    await extraBackend({}, flaky.port);
    await retry.click();
    expect(await ui.settled()).toBe('card');
    expect(await ui.card.getByRole('heading').textContent()).toBe('Nur Aisyah Rahman');
    expect(await ui.error.count()).toBe(0);
    expect(wire.answers().slice(-3)).toEqual([
      'GET /customers/user-10044 401',
      'POST /auth/device-token 200',
      'GET /customers/user-10044 200',
    ]);
  });

  test('a server error is retryable: Try again succeeds once the fault is gone', async () => {
    const { ui, wire } = await openApp();
    await ui.signIn('user-10045');
    // The emulator behind the backend fails this lookup (x-sandbox-fault, honoured only by the
    // embedded emulator with SANDBOX_FAULTS); the backend passes the 500 on, in Juspay's shape.
    wire.setFault('/customers/', 'status=500');
    expect(await ui.lookUp('user-10045')).toBe('error');
    expect(await ui.errorCode()).toBe('SERVER_ERROR');
    expect(await ui.error.getByText('500').count()).toBeGreaterThan(0);
    wire.clearFault();
    await ui.error.getByRole('button', { name: 'Try again' }).click();
    expect(await ui.settled()).toBe('card');
    expect(await ui.card.getByRole('heading').textContent()).toBe('Juan dela Cruz');
  });

  test('invalid ids are refused before any request; 300 characters still go out', async () => {
    const { page, ui, wire } = await openApp();
    await ui.signIn('customer-id-007');
    const sentBefore = wire.received.length;
    const fetchedBefore = await fetchesSoFar(page);
    // The access log arrives a batch at a time: count once earlier requests' lines are in.
    const loggedBefore = await backend.settledRequestCount();

    // The plugin's own words, as the platforms agree on them; the facts are what matter here.
    for (const [id, message] of [
      ['x'.repeat(301), /at most 300 characters/],
      ['..', /"\." or "\.\."/],
      ['.', /"\." or "\.\."/],
    ] as const) {
      expect(await ui.lookUp(id)).toBe('error');
      expect(await ui.errorCode()).toBe('INVALID_ARGUMENT');
      expect(await ui.error.getByRole('heading').textContent()).toBe('Check the customer id');
      expect(await ui.error.getByTestId('error-message').textContent()).toMatch(message);
      expect(await ui.error.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    }
    await screenshot(page, 'invalid-id');
    // Nothing left the page, and the backend saw nothing.
    await page.waitForTimeout(300);
    expect(wire.received.slice(sentBefore)).toEqual([]);
    expect(await fetchesSoFar(page)).toBe(fetchedBefore);
    expect(await backend.settledRequestCount()).toBe(loggedBefore);

    // The limit is 300: that id is sent (and refused by the backend, being someone else's).
    expect(await ui.lookUp('y'.repeat(300))).toBe('error');
    expect(await ui.errorCode()).toBe('FORBIDDEN');
    expect(wire.sent().at(-1)).toBe(`GET /customers/${'y'.repeat(300)}`);
  });
});

describe('the screen itself', () => {
  test('shows a busy state while looking up, and Cancel stops the lookup', async () => {
    const { page, ui, wire } = await openApp();
    await ui.signIn('customer-id-007');
    // The emulator answers after 1.5 s.
    wire.setFault('/customers/', 'delay=1500');
    await ui.lookupField.press('Enter');
    await page.getByTestId('loading').waitFor();
    expect(await ui.lookupButton.getAttribute('aria-busy')).toBe('true');
    expect(await ui.lookupButton.textContent()).toContain('Looking up…');
    expect(await ui.outcome.getAttribute('aria-busy')).toBe('true');
    expect(await ui.outcome.getAttribute('aria-live')).toBe('polite');
    await screenshot(page, 'loading');
    expect(await ui.settled()).toBe('card');
    expect(await ui.lookupButton.getAttribute('aria-busy')).toBe('false');

    await ui.lookupField.press('Enter');
    await page.getByTestId('loading').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await ui.settled()).toBe('error');
    expect(await ui.errorCode()).toBe('CANCELLED');
    expect(await ui.error.getByRole('heading').textContent()).toBe('Lookup cancelled');
  });

  test('settings: the backend URL is checked by the plugin, saved, and kept across reloads', async () => {
    const { page, ui, wire } = await openApp();
    const settings = page.getByRole('button', { name: 'Settings' });
    const field = page.getByLabel('Backend URL');
    const dialog = page.getByRole('dialog', { name: 'Settings' });

    await settings.click();
    expect(await field.inputValue()).toBe(wire.url);
    await field.fill('http://merchant.example');
    await field.press('Enter');
    expect(await page.locator('#backend-url-error').textContent()).toMatch(/^Base URL must use https/);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.isVisible()).toBe(true);
    await screenshot(page, 'settings-invalid');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // A new backend URL ends the session: its token belongs to the old backend.
    await ui.signIn('customer-id-007');
    const other = await extraBackend();
    await ui.useBackend(other.url);
    expect(await page.getByText('Signed in as').isVisible()).toBe(false);
    await page.reload();
    await settings.click();
    expect(await field.inputValue()).toBe(other.url);
    await page.keyboard.press('Escape');
    await ui.signIn('user-10042');
    expect(await ui.lookUp('user-10042')).toBe('card');
    await expect.poll(() => other.requestCount(), { timeout: 5_000 }).toBe(2);
  });

  test('settings: pins are refused on the web; kept customers are shown without asking the backend', async () => {
    const { page, ui, wire } = await openApp();
    const settings = page.getByRole('button', { name: 'Settings' });
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const pins = page.getByLabel('Certificate pins');
    const keep = page.getByLabel('Keep customers for (seconds)');

    await settings.click();
    await pins.fill('sha256/r/mIkG3eEpVdm+u/ko/cwxzOMo1bk4TyHIlByibiA5E=');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('#pins-error').textContent()).toBe(
      'Pins are not supported on the web: fetch cannot pin certificates',
    );
    expect(await pins.getAttribute('aria-invalid')).toBe('true');
    await keep.fill('61');
    await pins.fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('#cache-seconds-error').textContent()).toMatch(/^Keep customers for a whole number/);
    await keep.fill('30');
    await page.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const lookups = () => wire.sent().filter((r) => r.startsWith('GET /customers/')).length;
    await ui.signIn('customer-id-007');
    expect(await ui.lookUp('customer-id-007')).toBe('card');
    expect(await ui.lookUp('customer-id-007')).toBe('card');
    expect(lookups()).toBe(1);
    // Signing out drops the client and what it kept: the next session asks again.
    await ui.signOut();
    await ui.signIn('customer-id-007');
    expect(await ui.lookUp('customer-id-007')).toBe('card');
    expect(lookups()).toBe(2);
    await page.reload();
    await settings.click();
    expect(await keep.inputValue()).toBe('30');
    expect(await pins.inputValue()).toBe('');
  });

  test('has no WCAG 2.2 A/AA violations in any state (axe-core)', async () => {
    const { page, ui } = await openApp();
    const found: string[] = [];
    const check = async (state: string) => {
      const violations = await axe(page);
      if (violations.length) found.push(`${state}:\n${describeViolations(violations)}`);
    };
    await check('signed out');
    await ui.signInField.fill('nobody-by-this-id');
    await ui.signInField.press('Enter');
    await ui.signInError.waitFor();
    await check('sign-in error');
    await ui.signIn('customer-id-007');
    await check('signed in');
    await ui.lookUp('customer-id-007');
    await ui.card.getByRole('button', { name: 'Show email address' }).click();
    await check('customer card');
    await ui.lookUp('user-10042');
    await check('error');
    await page.getByRole('button', { name: 'Settings' }).click();
    await check('settings dialog');
    expect(found.join('\n\n')).toBe('');
  });
});
