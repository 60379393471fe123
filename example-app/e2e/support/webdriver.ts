/**
 * WebKitGTK (Debian's WebKitWebDriver starting MiniBrowser) and Firefox ESR (geckodriver), driven
 * over W3C WebDriver with selenium-webdriver. Roles and accessible names come from the engine's
 * own accessibility tree (WebDriver's computed role and label), so `getByRole` checks what
 * WebKit's and Gecko's assistive technology would see. Actions wait for their element as
 * Playwright's do: present, displayed and the only match.
 */

import { spawn } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

import { Builder, error, Key } from 'selenium-webdriver';
import type { WebDriver, WebElement } from 'selenium-webdriver';

import type { E2EBrowser, E2ELocator, E2EPage, NameOptions, Role, Tab } from './driver';

const WAIT_MS = 15_000;
const POLL_MS = 50;

/** The elements that can have each role the scenarios ask for, natively or by `role=`. */
const ROLE_CANDIDATES: Record<Role, string> = {
  button: 'button, input[type=button], input[type=submit], input[type=reset], [role=button]',
  heading: 'h1, h2, h3, h4, h5, h6, [role=heading]',
  dialog: 'dialog, [role=dialog]',
  group: 'fieldset, details, [role=group]',
};

const KEYS: Record<string, string> = { Enter: Key.ENTER, Tab: Key.TAB, Escape: Key.ESCAPE, Space: ' ' };

function key(name: string): string {
  const found = KEYS[name];
  if (!found) throw new Error(`no WebDriver key for ${name}`);
  return found;
}

function nameMatches(actual: string, wanted: string | RegExp | undefined, exact = false): boolean {
  if (wanted === undefined) return true;
  if (wanted instanceof RegExp) return wanted.test(actual);
  const normal = actual.replace(/\s+/g, ' ').trim();
  return exact ? normal === wanted : normal.toLowerCase().includes(wanted.toLowerCase());
}

async function until<T>(what: string, timeout: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

/** The page's own script, as `function (arguments[0]) {...}`, with its value awaited (WebDriver does). */
function script(fn: (...args: never[]) => unknown): string {
  return `return (${fn.toString()})(arguments[0]);`;
}

type Resolve = () => Promise<WebElement[]>;

/**
 * Finds again when the page re-rendered between two steps of a lookup (an element went stale),
 * as Playwright's locators do.
 */
function refinding(resolve: Resolve): Resolve {
  return async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await resolve();
      } catch (e) {
        if (!(e instanceof error.StaleElementReferenceError) || attempt === 5) throw e;
      }
    }
  };
}

class Locator implements E2ELocator {
  private readonly resolve: Resolve;

  constructor(
    private readonly driver: WebDriver,
    resolve: Resolve,
    private readonly what: string,
  ) {
    this.resolve = refinding(resolve);
  }

  private within(what: string, find: (root: WebElement | null) => Promise<WebElement[]>): Locator {
    return new Locator(
      this.driver,
      async () => (await Promise.all((await this.resolve()).map(find))).flat(),
      `${this.what} >> ${what}`,
    );
  }

  locator(css: string): Locator {
    return this.within(css, (root) => findCss(this.driver, root, css));
  }

  getByTestId(id: string): Locator {
    return this.locator(`[data-testid="${id}"]`);
  }

  getByText(text: string): Locator {
    return this.within(`text=${text}`, (root) => findText(this.driver, root, text));
  }

  getByRole(role: Role, options: NameOptions = {}): Locator {
    return this.within(`role=${role}[name=${options.name ?? '*'}]`, (root) =>
      findRole(this.driver, root, role, options),
    );
  }

  /** The one element this locator means, once it is there (and displayed, to act on it). */
  private async one(displayed = false): Promise<WebElement> {
    return until(this.what, WAIT_MS, async () => {
      const all = await this.resolve();
      if (all.length > 1) throw new Error(`${this.what} matches ${all.length} elements, not one`);
      return all.length === 1 && (!displayed || (await shown(this.driver, all))[0]) ? all[0] : undefined;
    });
  }

  private async read<T>(fn: (el: Element) => T): Promise<T> {
    return this.driver.executeScript<T>(script(fn as (el: never) => T), await this.one());
  }

  async click(): Promise<void> {
    await (await this.one(true)).click();
  }

  async fill(value: string): Promise<void> {
    const el = await this.one(true);
    await el.clear();
    if (value) await el.sendKeys(value);
  }

  async press(name: string): Promise<void> {
    await (await this.one(true)).sendKeys(key(name));
  }

  async focus(): Promise<void> {
    await this.read((el) => (el as HTMLElement).focus());
  }

  textContent(): Promise<string | null> {
    return this.read((el) => el.textContent);
  }

  innerText(): Promise<string> {
    return this.read((el) => (el as HTMLElement).innerText);
  }

  inputValue(): Promise<string> {
    return this.read((el) => (el as HTMLInputElement).value);
  }

  async getAttribute(name: string): Promise<string | null> {
    const el = await this.one();
    return this.driver.executeScript<string | null>('return arguments[0].getAttribute(arguments[1]);', el, name);
  }

  async count(): Promise<number> {
    return (await this.resolve()).length;
  }

  async isVisible(): Promise<boolean> {
    const all = await this.resolve();
    return all.length > 0 && (await shown(this.driver, all))[0];
  }

  async allTextContents(): Promise<string[]> {
    const all = await this.resolve();
    return this.driver.executeScript<string[]>('return [...arguments].map((el) => el.textContent);', ...all);
  }

  async evaluateAll<R>(fn: (elements: Element[]) => R): Promise<R> {
    // One argument each: WebKit does not turn elements nested in an array argument into elements.
    return this.driver.executeScript<R>(`return (${fn.toString()})([...arguments]);`, ...(await this.resolve()));
  }

  async waitFor({ state = 'visible', timeout = WAIT_MS }: { state?: 'visible' | 'hidden'; timeout?: number } = {}) {
    await until(`${this.what} to be ${state}`, timeout, async () => {
      const visible = (await shown(this.driver, await this.resolve())).includes(true);
      return visible === (state === 'visible') ? true : undefined;
    });
  }
}

/**
 * Which elements are shown, as Playwright counts it: a box of some size, not visibility:hidden
 * (one script for all of them; WebDriver's own "is displayed" is a large script per element).
 */
async function shown(driver: WebDriver, elements: WebElement[]): Promise<boolean[]> {
  if (elements.length === 0) return [];
  return driver.executeScript<boolean[]>(
    `return [...arguments].map((el) => {
       const box = el.getBoundingClientRect();
       return box.width > 0 && box.height > 0 && el.checkVisibility({ visibilityProperty: true });
     });`,
    ...elements,
  );
}

function findCss(driver: WebDriver, root: WebElement | null, css: string): Promise<WebElement[]> {
  return driver.executeScript<WebElement[]>(
    'return [...(arguments[0] ?? document).querySelectorAll(arguments[1])];',
    root,
    css,
  );
}

/** Playwright's getByText: the innermost elements whose text contains `text`, any case. */
function findText(driver: WebDriver, root: WebElement | null, text: string): Promise<WebElement[]> {
  return driver.executeScript<WebElement[]>(
    `const [root, text] = arguments;
     const norm = (s) => s.replace(/\\s+/g, ' ').trim().toLowerCase();
     const wanted = norm(text);
     const hits = [...(root ?? document.body).querySelectorAll('*')].filter(
       (el) => !['SCRIPT', 'STYLE'].includes(el.tagName) && norm(el.textContent ?? '').includes(wanted));
     return hits.filter((el) => !hits.some((other) => other !== el && el.contains(other)));`,
    root,
    text,
  );
}

/**
 * The engine's computed role or accessible name. WebKit answers with an error for an element
 * outside its accessibility tree (a dialog while it closes): '' if the element is hidden or
 * gone by then; an error for one still shown, so that a "no such button" check cannot pass by it.
 */
async function computed(driver: WebDriver, el: WebElement, what: 'role' | 'name'): Promise<string> {
  const ask = () => (what === 'role' ? el.getAriaRole() : el.getAccessibleName());
  try {
    return await ask();
  } catch {
    await new Promise((done) => setTimeout(done, 100));
    // Gone from the page (stale) counts as hidden.
    const still = await shown(driver, [el]).then(
      ([visible]) => visible,
      () => false,
    );
    return still ? ask() : '';
  }
}

async function onlyShown(driver: WebDriver, elements: WebElement[]): Promise<WebElement[]> {
  const visible = await shown(driver, elements);
  return elements.filter((_, i) => visible[i]);
}

async function findRole(
  driver: WebDriver,
  root: WebElement | null,
  role: Role,
  { name, exact }: NameOptions,
): Promise<WebElement[]> {
  const found: WebElement[] = [];
  // Like Playwright's, hidden elements have no role: they are not in the accessibility tree.
  for (const el of await onlyShown(driver, await findCss(driver, root, ROLE_CANDIDATES[role]))) {
    if ((await computed(driver, el, 'role')) !== role) continue;
    if (nameMatches(await computed(driver, el, 'name'), name, exact)) found.push(el);
  }
  return found;
}

async function findLabelled(driver: WebDriver, text: string): Promise<WebElement[]> {
  const found: WebElement[] = [];
  for (const el of await onlyShown(driver, await findCss(driver, null, 'input, textarea, select'))) {
    if (nameMatches(await computed(driver, el, 'name'), text)) found.push(el);
  }
  return found;
}

class Page implements E2EPage {
  private readonly root: Locator;

  constructor(private readonly driver: WebDriver) {
    this.root = new Locator(driver, async () => [null as unknown as WebElement], 'page');
  }

  async goto(url: string): Promise<void> {
    await this.driver.get(url);
    await this.recordErrors();
  }

  async reload(): Promise<void> {
    await this.driver.navigate().refresh();
    await this.recordErrors();
  }

  /** WebDriver has no page-error event: the page collects them itself from the time it loaded. */
  private async recordErrors(): Promise<void> {
    await this.driver.executeScript(`
      const w = window;
      w.__e2eErrors = w.__e2eErrors ?? [];
      w.addEventListener('error', (e) => w.__e2eErrors.push(String(e.error ?? e.message)));
      w.addEventListener('unhandledrejection', (e) => w.__e2eErrors.push(String(e.reason)));`);
  }

  errors(): Promise<string[]> {
    return this.driver.executeScript<string[]>('return window.__e2eErrors ?? [];');
  }

  getByRole(role: Role, options?: NameOptions): E2ELocator {
    return this.root.getByRole(role, options);
  }

  getByLabel(text: string): E2ELocator {
    return new Locator(this.driver, () => findLabelled(this.driver, text), `label=${text}`);
  }

  getByTestId(id: string): E2ELocator {
    return this.root.getByTestId(id);
  }

  getByText(text: string): E2ELocator {
    return this.root.getByText(text);
  }

  locator(css: string): E2ELocator {
    return this.root.locator(css);
  }

  readonly keyboard = {
    press: (name: string) => this.driver.actions().sendKeys(key(name)).perform(),
    type: (text: string) => this.driver.actions().sendKeys(text).perform(),
  };

  evaluate<R>(fn: () => R | Promise<R>): Promise<R> {
    return this.driver.executeScript<R>(script(fn));
  }

  async waitForFunction(fn: () => boolean, _arg: undefined, { timeout }: { timeout: number }): Promise<void> {
    await until(`${fn}`, timeout, async () => ((await this.evaluate(fn)) ? true : undefined));
  }

  waitForTimeout(ms: number): Promise<void> {
    return new Promise((done) => setTimeout(done, ms));
  }

  /** The viewport only: WebDriver's screenshot of the whole page is not in the standard. */
  async screenshot({ path }: { path: string; fullPage: boolean }): Promise<void> {
    writeFileSync(path, Buffer.from(await this.driver.takeScreenshot(), 'base64'));
  }

  content(): Promise<string> {
    return this.driver.getPageSource();
  }

  /** As Playwright's: a script element with the file's text, so it runs as a classic script. */
  async addScriptTag({ path }: { path: string }): Promise<void> {
    await this.driver.executeScript(
      `const s = document.createElement('script'); s.textContent = arguments[0]; document.head.append(s);`,
      readFileSync(path, 'utf8'),
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((found, failed) => {
    const server = createServer();
    server.once('error', failed);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => found(port));
    });
  });
}

/** The WebDriver server for the engine, and the capabilities of a session with it. */
function engineSetup(engine: 'webkit' | 'firefox', port: number) {
  if (engine === 'webkit') {
    return {
      command: process.env.E2E_WEBKITWEBDRIVER ?? 'WebKitWebDriver',
      args: ['--host=127.0.0.1', `--port=${port}`],
      capabilities: {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': {
          binary: process.env.E2E_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
          args: ['--automation'],
        },
      },
    };
  }
  return {
    command: process.env.E2E_GECKODRIVER ?? 'geckodriver',
    args: ['--host', '127.0.0.1', '--port', String(port)],
    capabilities: {
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: process.env.E2E_FIREFOX ?? '/usr/bin/firefox-esr',
        args: ['-headless'],
        prefs: {
          'intl.accept_languages': 'en-GB',
          'intl.locale.requested': 'en-GB',
          // Firefox's own calls home, which the closed network would refuse.
          'network.captive-portal-service.enabled': false,
          'network.connectivity-service.enabled': false,
          'app.update.disabledForTesting': true,
        },
      },
    },
  };
}

export async function launchWebDriver(engine: 'webkit' | 'firefox'): Promise<E2EBrowser> {
  const port = await freePort();
  const { command, args, capabilities } = engineSetup(engine, port);
  // The browser inherits the driver's environment: the page's time zone, and its language from
  // the C library's locale, which E2E_LOCPATH may hold (`localedef`) where none is installed.
  const locale = process.env.E2E_LOCPATH ? { LOCPATH: process.env.E2E_LOCPATH } : {};
  const server = spawn(command, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...locale, TZ: 'UTC', LANG: 'en_GB.UTF-8', LC_ALL: 'en_GB.UTF-8', LANGUAGE: 'en_GB' },
  });
  let log = '';
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  await until(`${command} on ${url}`, 10_000, async () => {
    if (server.exitCode !== null) throw new Error(`${command} exited (${server.exitCode}):\n${log}`);
    return fetch(`${url}/status`).then(
      (r) => (r.ok ? true : undefined),
      () => undefined,
    );
  });
  // A new session costs seconds (Firefox: a new profile, about 7 s on a busy machine), so a
  // tab's session is kept for the next tab, emptied of what the app keeps: its web storage and
  // cookies, and the page itself.
  const idle: WebDriver[] = [];
  const all = new Set<WebDriver>();
  const session = async () => {
    const driver = await new Builder().usingServer(url).withCapabilities(capabilities).build();
    all.add(driver);
    // Phone-sized where resizing keeps the page focused (Firefox stops at a 500 px wide page):
    // without a window manager, a resized MiniBrowser window loses the focus for good (no
    // :focus-visible, no focus events), so WebKit keeps its default window (the app's layout is
    // the same above 390 px).
    if (engine === 'firefox') await driver.manage().window().setRect({ width: 390, height: 844 });
    return driver;
  };
  return {
    async newTab(): Promise<Tab> {
      const driver = idle.pop() ?? (await session());
      const page = new Page(driver);
      return {
        page,
        errors: () => page.errors(),
        close: async () => {
          await driver.executeScript(
            "if (location.protocol.startsWith('http')) { localStorage.clear(); sessionStorage.clear(); }",
          );
          await driver.manage().deleteAllCookies();
          await driver.get('about:blank');
          idle.push(driver);
        },
      };
    },
    async close() {
      await Promise.all([...all].map((driver) => driver.quit()));
      server.kill();
    },
  };
}
