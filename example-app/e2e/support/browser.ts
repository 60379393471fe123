/** Helpers the scenarios share in every engine: axe-core, screenshots. */

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ENGINE } from './driver';
import type { E2EPage } from './driver';

const APP = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Screenshots, one folder per engine. */
export const OUTPUT = resolve(APP, process.env.E2E_OUTPUT ?? 'test-results', ENGINE);
mkdirSync(OUTPUT, { recursive: true });

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (loaded from node_modules, no network) against WCAG 2.x A and AA rules. */
export async function axe(page: E2EPage): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    // A state just entered may still be in a CSS transition (the buttons fade their background
    // in 120 ms): axe would measure the contrast of a colour halfway, so let transitions end first.
    await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
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

export async function screenshot(page: E2EPage, name: string): Promise<string> {
  const path = resolve(OUTPUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
