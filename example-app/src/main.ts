/**
 * The example app: sign in as a demo customer, then look customers up through the plugin.
 *
 * How the plugin is used (the part worth copying):
 *  - one `createCustomerClient` per signed-in session, with the backend URL and a `fetchToken`
 *    that returns the session's token with its expiry and signs in again when asked to refresh
 *    (after a 401, or a minute before the expiry);
 *  - `getCustomer({ customerId, clientAuthToken: true, signal })`: the customer and Juspay's
 *    client auth token for Juspay's SDK, and `isCustomerError` to show `code`, Juspay's user
 *    message and request id, with a retry for the codes that say a retry may help.
 */

import './styles.css';

import { createCustomerClient, isCustomerError, JuspayCustomer } from 'capacitor-juspay-customer';
import type { CustomerClient } from 'capacitor-juspay-customer';

import { customerCard } from './customer-card';
import { DEMO_CUSTOMER_IDS } from './demo-customers';
import { byId, h } from './dom';
import { errorCard } from './error-card';
import { formatTime } from './format';
import { notice } from './notice';
import { DEFAULT_BACKEND_URL, loadSettings, parsePins, sameSettings, saveSettings } from './settings';
import type { AppSettings } from './settings';
import { signIn, SignInError } from './sign-in';
import type { Session } from './sign-in';

const ui = {
  signInForm: byId<HTMLFormElement>('sign-in-form'),
  signInId: byId<HTMLInputElement>('sign-in-id'),
  signInButton: byId<HTMLButtonElement>('sign-in-button'),
  signInOutcome: byId('sign-in-outcome'),
  demoCustomers: byId('demo-customers'),
  signedIn: byId('signed-in'),
  sessionName: byId('session-name'),
  sessionMeta: byId('session-meta'),
  sessionHeading: byId('session-heading'),
  signOut: byId<HTMLButtonElement>('sign-out'),
  lookupForm: byId<HTMLFormElement>('lookup-form'),
  lookupFieldset: byId<HTMLFieldSetElement>('lookup-fieldset'),
  lookupHint: byId('lookup-hint'),
  customerId: byId<HTMLInputElement>('customer-id'),
  lookupButton: byId<HTMLButtonElement>('lookup-button'),
  fillJuspayId: byId<HTMLButtonElement>('fill-juspay-id'),
  fillReferenceId: byId<HTMLButtonElement>('fill-reference-id'),
  outcome: byId('outcome'),
  openSettings: byId<HTMLButtonElement>('open-settings'),
  settingsDialog: byId<HTMLDialogElement>('settings-dialog'),
  settingsForm: byId<HTMLFormElement>('settings-form'),
  backendUrl: byId<HTMLInputElement>('backend-url'),
  backendUrlError: byId('backend-url-error'),
  cacheSeconds: byId<HTMLInputElement>('cache-seconds'),
  cacheSecondsError: byId('cache-seconds-error'),
  pins: byId<HTMLTextAreaElement>('pins'),
  pinsError: byId('pins-error'),
  resetBackendUrl: byId<HTMLButtonElement>('reset-backend-url'),
  cancelSettings: byId<HTMLButtonElement>('cancel-settings'),
};

let settings = loadSettings();
let { backendUrl } = settings;
let session: Session | null = null;
let client: CustomerClient | null = null;
let lookup: AbortController | null = null;

/**
 * A client for one session. Its `fetchToken` hands out the session's token and, when the backend
 * has refused it (expired, or the backend restarted with a new secret), signs in again as the
 * same customer: the user never sees the refresh.
 */
function clientFor(current: Session): CustomerClient {
  return createCustomerClient({
    backendUrl,
    // Settings' "Keep customers for": in memory only, and gone with this client.
    cacheTtlMs: settings.cacheSeconds * 1000,
    pins: settings.pins,
    fetchToken: async ({ forceRefresh }) => {
      if (session !== current) throw new Error('signed out');
      if (forceRefresh) {
        const renewed = await signIn(backendUrl, current.signInId);
        // Signed out (or in as someone else) while renewing: that session is over.
        if (session !== current) throw new Error('signed out');
        current.token = renewed.token;
        current.expiresAt = renewed.expiresAt;
        showSession();
      }
      // With its expiry, the client renews it a minute before it runs out, not after a 401.
      return { token: current.token, expiresAt: current.expiresAt ? current.expiresAt.getTime() : null };
    },
  });
}

// ---- sign-in -------------------------------------------------------------------------------

for (const id of DEMO_CUSTOMER_IDS) {
  ui.demoCustomers.append(
    h(
      'button',
      {
        type: 'button',
        class: 'chip',
        onclick: () => {
          ui.signInId.value = id;
          ui.signInId.focus();
        },
      },
      id,
    ),
  );
}

ui.signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void startSession(ui.signInId.value.trim());
});

async function startSession(signInId: string): Promise<void> {
  if (isBusy(ui.signInButton)) return;
  ui.signInOutcome.replaceChildren();
  if (signInId === '') {
    ui.signInOutcome.append(
      notice({ code: 'INVALID_ARGUMENT', title: 'Enter a customer id', message: 'Type one, or pick a demo customer.' }),
    );
    ui.signInId.focus();
    return;
  }
  setBusy(ui.signInButton, true, 'Signing in…');
  try {
    const started = await signIn(backendUrl, signInId);
    endSession();
    session = started;
    client = clientFor(started);
    showSession();
    ui.customerId.value = started.customerId;
    ui.outcome.replaceChildren();
    ui.customerId.focus();
  } catch (e) {
    const failure = e instanceof SignInError ? e : new SignInError(String(e), 'ERROR');
    ui.signInOutcome.append(
      notice({
        code: failure.code,
        title: 'Could not sign in',
        message: failure.message,
        status: failure.status,
        requestId: failure.requestId,
        actions:
          failure.code === 'NETWORK' ? [{ label: 'Settings', onClick: openSettings, kind: 'secondary' }] : undefined,
      }),
    );
  } finally {
    setBusy(ui.signInButton, false, 'Sign in');
  }
}

function endSession(): void {
  lookup?.abort();
  lookup = null;
  ui.outcome.setAttribute('aria-busy', 'false');
  setBusy(ui.lookupButton, false, 'Look up');
  session = null;
  client = null;
}

ui.signOut.addEventListener('click', () => {
  endSession();
  showSession();
  ui.outcome.replaceChildren();
  ui.signInId.focus();
});

function showSession(): void {
  const signedIn = session !== null;
  ui.signInForm.hidden = signedIn;
  ui.signedIn.hidden = !signedIn;
  ui.lookupFieldset.disabled = !signedIn;
  ui.sessionHeading.textContent = signedIn ? 'Your session' : 'Sign in';
  if (!session) {
    ui.lookupHint.textContent = 'Sign in first.';
    return;
  }
  ui.sessionName.textContent = session.objectReferenceId ?? session.customerId;
  ui.sessionMeta.textContent = session.expiresAt
    ? `Token valid until ${formatTime(session.expiresAt)}`
    : 'Token issued';
  ui.lookupHint.textContent =
    'Your own customer, by either id. Any other id shows what the backend answers when a token is used for someone else.';
  ui.fillReferenceId.hidden = session.objectReferenceId === null;
}

// ---- lookup --------------------------------------------------------------------------------

ui.fillJuspayId.addEventListener('click', () => fillLookup(session?.customerId));
ui.fillReferenceId.addEventListener('click', () => fillLookup(session?.objectReferenceId));

function fillLookup(id: string | null | undefined): void {
  if (!id) return;
  ui.customerId.value = id;
  ui.customerId.focus();
}

ui.lookupForm.addEventListener('submit', (event) => {
  event.preventDefault();
  // Surrounding blanks come from pasting; anything inside is the id as typed.
  void runLookup(ui.customerId.value.trim());
});

async function runLookup(customerId: string): Promise<void> {
  if (!client || isBusy(ui.lookupButton)) return;
  const controller = new AbortController();
  lookup = controller;
  setBusy(ui.lookupButton, true, 'Looking up…');
  ui.outcome.setAttribute('aria-busy', 'true');
  ui.outcome.replaceChildren(loading(() => controller.abort()));
  try {
    // Also asks for Juspay's client auth token, which Juspay's SDK on the device signs in with.
    const customer = await client.getCustomer({ customerId, clientAuthToken: true, signal: controller.signal });
    if (lookup !== controller) return;
    ui.outcome.replaceChildren(customerCard(customer));
  } catch (e) {
    if (lookup !== controller) return;
    ui.outcome.replaceChildren(
      isCustomerError(e)
        ? errorCard(e, {
            retry: () => void runLookup(customerId),
            signInAgain: () => {
              const again = session?.signInId;
              endSession();
              showSession();
              if (again) void startSession(again);
            },
            openSettings,
          })
        : // Not the plugin's: a bug in this app. Shown rather than left spinning.
          notice({ code: 'ERROR', title: 'Something went wrong', message: String(e) }),
    );
  } finally {
    if (lookup === controller) lookup = null;
    // Unless another lookup has started since (this one was abandoned by a sign-out).
    if (lookup === null) {
      ui.outcome.setAttribute('aria-busy', 'false');
      setBusy(ui.lookupButton, false, 'Look up');
    }
  }
}

function loading(cancel: () => void): HTMLElement {
  return h(
    'div',
    { class: 'loading', 'data-testid': 'loading' },
    h('div', { class: 'loading__bar', 'aria-hidden': 'true' }),
    h('p', { class: 'loading__text' }, 'Looking up the customer…'),
    h('button', { type: 'button', class: 'button button--ghost button--small', onclick: cancel }, 'Cancel'),
  );
}

/** A busy button keeps focus (aria-disabled, not disabled) and says so to assistive technology. */
function setBusy(button: HTMLButtonElement, busy: boolean, label: string): void {
  button.setAttribute('aria-busy', String(busy));
  button.setAttribute('aria-disabled', String(busy));
  button.classList.toggle('is-busy', busy);
  const text = button.querySelector('.button__label');
  if (text) text.textContent = label;
}

function isBusy(button: HTMLButtonElement): boolean {
  return button.getAttribute('aria-busy') === 'true';
}

// ---- settings ------------------------------------------------------------------------------

ui.openSettings.addEventListener('click', openSettings);

function openSettings(): void {
  ui.backendUrl.value = backendUrl;
  ui.cacheSeconds.value = String(settings.cacheSeconds);
  ui.pins.value = settings.pins.join('\n');
  clearSettingsErrors();
  ui.settingsDialog.showModal();
  ui.backendUrl.focus();
}

const settingsFields = () =>
  [
    [ui.backendUrl, ui.backendUrlError],
    [ui.cacheSeconds, ui.cacheSecondsError],
    [ui.pins, ui.pinsError],
  ] as const;

function clearSettingsErrors(): void {
  for (const [field, error] of settingsFields()) {
    error.textContent = '';
    field.removeAttribute('aria-invalid');
  }
}

function showSettingsError(field: HTMLInputElement | HTMLTextAreaElement, message: string): void {
  const [, error] = settingsFields().find(([f]) => f === field) ?? settingsFields()[0];
  error.textContent = capitalised(message);
  field.setAttribute('aria-invalid', 'true');
  field.focus();
}

ui.cancelSettings.addEventListener('click', () => ui.settingsDialog.close());
ui.resetBackendUrl.addEventListener('click', () => {
  ui.backendUrl.value = DEFAULT_BACKEND_URL;
  ui.backendUrl.focus();
});

ui.settingsForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void applySettings();
});

async function applySettings(): Promise<void> {
  clearSettingsErrors();
  const seconds = Number(ui.cacheSeconds.value.trim() || '0');
  if (!(Number.isInteger(seconds) && seconds >= 0 && seconds <= 60)) {
    showSettingsError(ui.cacheSeconds, 'keep customers for a whole number of seconds, 0 to 60');
    return;
  }
  const next: AppSettings = {
    backendUrl: ui.backendUrl.value.trim(),
    cacheSeconds: seconds,
    pins: parsePins(ui.pins.value),
  };
  if (sameSettings(next, settings)) {
    ui.settingsDialog.close();
    return;
  }
  // The plugin checks the settings exactly as it will use them (https, or http to this device
  // only; pins on Android and iOS only). Configuring it here is harmless: the session ends below
  // and the next client configures anew.
  try {
    await JuspayCustomer.configure({
      backendUrl: next.backendUrl,
      cacheTtlMs: next.cacheSeconds * 1000,
      pins: next.pins,
    });
  } catch (e) {
    const message = isCustomerError(e) ? e.message : String(e);
    showSettingsError(/pins/i.test(message) ? ui.pins : ui.backendUrl, message);
    return;
  }
  settings = next;
  backendUrl = next.backendUrl;
  saveSettings(next);
  ui.settingsDialog.close();
  // A token is valid only at the backend that issued it, and the old client's kept customers go
  // with it.
  endSession();
  showSession();
  ui.outcome.replaceChildren();
  ui.signInOutcome.replaceChildren();
  ui.signInId.focus();
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

showSession();
