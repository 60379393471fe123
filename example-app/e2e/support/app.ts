/**
 * The example app as a user works it: through labels, roles and the keyboard, the way the tests
 * also check that every control has an accessible name.
 */

import type { E2ELocator as Locator, E2EPage as Page } from './driver';

const WAIT_MS = 15_000;

export class AppPage {
  constructor(readonly page: Page) {}

  get signInField(): Locator {
    return this.page.getByLabel('Customer to sign in as');
  }

  get lookupField(): Locator {
    return this.page.getByLabel('Juspay id or reference id');
  }

  get lookupButton(): Locator {
    return this.page.getByRole('button', { name: /^(Look up|Looking up…)$/ });
  }

  get outcome(): Locator {
    return this.page.locator('#outcome');
  }

  get card(): Locator {
    return this.page.getByTestId('customer-card');
  }

  get error(): Locator {
    return this.outcome.getByTestId('error');
  }

  get signInError(): Locator {
    return this.page.locator('#sign-in-outcome').getByTestId('error');
  }

  async open(appUrl: string, backendUrl: string): Promise<void> {
    await this.page.goto(appUrl);
    await this.useBackend(backendUrl);
  }

  /** Sets the backend URL in the Settings dialog, as a user would. */
  async useBackend(backendUrl: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Settings' }).click();
    const field = this.page.getByLabel('Backend URL');
    await field.fill(backendUrl);
    await field.press('Enter');
    await this.page.getByRole('dialog').waitFor({ state: 'hidden', timeout: WAIT_MS });
  }

  async signIn(customerId: string): Promise<void> {
    await this.signInField.fill(customerId);
    await this.signInField.press('Enter');
    await this.page.getByText('Signed in as').waitFor({ timeout: WAIT_MS });
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    await this.signInField.waitFor({ timeout: WAIT_MS });
  }

  /** Types an id, presses Enter and waits until the lookup has finished either way. */
  async lookUp(customerId: string): Promise<'card' | 'error'> {
    await this.lookupField.fill(customerId);
    await this.lookupField.press('Enter');
    return this.settled();
  }

  /** Waits for the end of the lookup in progress: a card or an error in the result region. */
  async settled(): Promise<'card' | 'error'> {
    await this.page.waitForFunction(
      () => {
        const outcome = document.getElementById('outcome');
        return (
          outcome?.getAttribute('aria-busy') === 'false' &&
          outcome.querySelector('[data-testid="customer-card"], [data-testid="error"]') !== null
        );
      },
      undefined,
      { timeout: WAIT_MS },
    );
    return (await this.card.count()) > 0 ? 'card' : 'error';
  }

  /** The customer card's rows, label → text. */
  async cardFields(): Promise<Record<string, string>> {
    return this.card.locator('.fields__row').evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((row) => [
          row.querySelector('dt')?.textContent?.trim() ?? '',
          // The reveal button's text is not part of the value.
          (row.querySelector('[data-field]') ?? row.querySelector('dd'))?.textContent?.trim() ?? '',
        ]),
      ),
    );
  }

  async errorCode(where: Locator = this.error): Promise<string> {
    return (await where.getAttribute('data-code')) ?? '';
  }

  /** Every error code the result region shows from now on, for "never showed X" checks. */
  async recordShownCodes(): Promise<() => Promise<string[]>> {
    await this.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __shownCodes: string[] }).__shownCodes = seen;
      const outcome = document.getElementById('outcome') as HTMLElement;
      new MutationObserver(() => {
        for (const el of outcome.querySelectorAll('[data-code]')) seen.push(el.getAttribute('data-code') ?? '');
      }).observe(outcome, { childList: true, subtree: true });
    });
    return () => this.page.evaluate(() => (window as unknown as { __shownCodes: string[] }).__shownCodes);
  }

  /** The page's visible text, for "never shown" checks on personal data. */
  async text(): Promise<string> {
    return this.page.evaluate(() => document.body.innerText);
  }
}
