/**
 * Debian's chromium, driven by playwright-core, kept off the network: it only ever talks to the
 * loopback servers the tests start. A Playwright page is an E2EPage as it is.
 */

import { chromium } from 'playwright-core';

import type { E2EBrowser, E2EPage, Tab } from './driver';

export async function launchChromium(): Promise<E2EBrowser> {
  const browser = await chromium.launch({
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
  return {
    async newTab(scale = 1): Promise<Tab> {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: scale,
        isMobile: false,
        locale: 'en-GB',
        timezoneId: 'UTC',
        colorScheme: 'light',
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      return { page: page satisfies E2EPage, errors: async () => errors, close: () => context.close() };
    },
    close: () => browser.close(),
  };
}
