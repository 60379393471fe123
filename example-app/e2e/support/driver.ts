/**
 * The browser as the scenarios see it, whichever engine runs them (E2E_ENGINE): Chromium through
 * playwright-core, WebKitGTK and Firefox ESR through WebDriver (support/webdriver.ts). The
 * interfaces are the part of Playwright's Page and Locator the scenarios use, so a Playwright
 * page is one as it is and the WebDriver side implements only this.
 */

import { launchChromium } from './chromium';
import { launchWebDriver } from './webdriver';

export type Engine = 'chromium' | 'webkit' | 'firefox';
export const ENGINE = (process.env.E2E_ENGINE ?? 'chromium') as Engine;
if (!['chromium', 'webkit', 'firefox'].includes(ENGINE)) throw new Error(`E2E_ENGINE=${ENGINE}: not an engine`);

export type Role = 'button' | 'heading' | 'dialog' | 'group';
export interface NameOptions {
  name?: string | RegExp;
  exact?: boolean;
}

export interface E2ELocator {
  click(): Promise<void>;
  fill(value: string): Promise<void>;
  press(key: string): Promise<void>;
  focus(): Promise<void>;
  textContent(): Promise<string | null>;
  innerText(): Promise<string>;
  inputValue(): Promise<string>;
  getAttribute(name: string): Promise<string | null>;
  count(): Promise<number>;
  isVisible(): Promise<boolean>;
  allTextContents(): Promise<string[]>;
  waitFor(options?: { state?: 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  evaluateAll<R>(fn: (elements: Element[]) => R): Promise<R>;
  getByRole(role: Role, options?: NameOptions): E2ELocator;
  getByTestId(id: string): E2ELocator;
  getByText(text: string): E2ELocator;
  locator(css: string): E2ELocator;
}

export interface E2EPage {
  goto(url: string): Promise<unknown>;
  reload(): Promise<unknown>;
  getByRole(role: Role, options?: NameOptions): E2ELocator;
  getByLabel(text: string): E2ELocator;
  getByTestId(id: string): E2ELocator;
  getByText(text: string): E2ELocator;
  locator(css: string): E2ELocator;
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
  waitForFunction(fn: () => boolean, arg: undefined, options: { timeout: number }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  screenshot(options: { path: string; fullPage: boolean }): Promise<unknown>;
  content(): Promise<string>;
  addScriptTag(options: { path: string }): Promise<unknown>;
}

/** One isolated browsing session (a Playwright context, a WebDriver session) with one page. */
export interface Tab {
  page: E2EPage;
  /** Uncaught exceptions and unhandled rejections in the page so far. */
  errors(): Promise<string[]>;
  close(): Promise<void>;
}

export interface E2EBrowser {
  /** A phone-sized page in en-GB and UTC, so dates read the same on every machine. */
  newTab(scale?: number): Promise<Tab>;
  close(): Promise<void>;
}

export function launch(): Promise<E2EBrowser> {
  return ENGINE === 'chromium' ? launchChromium() : launchWebDriver(ENGINE);
}
