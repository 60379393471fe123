/**
 * Debian's chromium, driven by playwright-core, kept off the network: it only ever talks to the
 * loopback servers the tests start.
 */

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page, Request, Response } from 'playwright-core';

const APP = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const OUTPUT = resolve(APP, process.env.E2E_OUTPUT ?? 'test-results');
mkdirSync(OUTPUT, { recursive: true });

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // As root there is no sandbox; the rest stop chromium's own calls home (updates, sync,
    // field trials), which this machine's closed network would refuse at every start.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication',
    ],
  });
}

/** A phone-sized page in a fixed locale and time zone, so dates read the same on every machine. */
export async function phone(browser: Browser, scale = 1): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: scale,
    isMobile: false,
    locale: 'en-GB',
    timezoneId: 'UTC',
    colorScheme: 'light',
  });
}

/** Everything the page sent and received, with bodies, for assertions about the wire. */
export class Traffic {
  readonly requests: Request[] = [];
  readonly responses: { response: Response; body: Buffer | null }[] = [];
  private readonly pending: Promise<unknown>[] = [];

  constructor(context: BrowserContext) {
    context.on('request', (request) => this.requests.push(request));
    context.on('response', (response) => {
      const entry = { response, body: null as Buffer | null };
      this.responses.push(entry);
      this.pending.push(
        response.body().then(
          (body) => (entry.body = body),
          () => undefined,
        ),
      );
    });
  }

  /** Requests to `origin` (e.g. the backend), in order, as `METHOD /path`. */
  to(origin: string): string[] {
    return this.requests
      .filter((r) => r.url().startsWith(`${origin}/`))
      .map((r) => `${r.method()} ${new URL(r.url()).pathname}`);
  }

  /** Responses from `origin`, as `METHOD /path STATUS`. */
  answersFrom(origin: string): string[] {
    return this.responses
      .filter(({ response }) => response.url().startsWith(`${origin}/`))
      .map(({ response }) => `${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`);
  }

  async settled(): Promise<this> {
    await Promise.all(this.pending);
    return this;
  }
}

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (loaded from node_modules, no network) against WCAG 2.x A and AA rules. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }
    ).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact ?? '?'} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
    .join('\n');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = resolve(OUTPUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
