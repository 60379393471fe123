import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { isCustomerError } from '../errors';
import { JuspayCustomerWeb } from '../web';

import { RUST_CORE_DIR } from './support/vectors';

/**
 * Differential test, Rust core against this web implementation: `juspay-differential` (in
 * rust-core/differential) generates hostile answers from a seed, serves them over loopback, and
 * records the core's outcome for each; here the web implementation looks up every case against
 * the same server, and the two outcomes (customer fields, or code, message and every error-data
 * key) must be identical, as must the number of requests. A new seed each run, printed, so that
 * runs explore; `DIFFERENTIAL_SEED` replays one, `DIFFERENTIAL_CASES` sets the count.
 */

interface Record {
  case: {
    kind: string;
    customerId: string;
    clientAuthToken: boolean;
    status: number;
    headers: [string, string][];
    body: string;
  };
  core: unknown;
  coreRequests: number;
}

const SEED = process.env.DIFFERENTIAL_SEED ?? String(Math.floor(Math.random() * 2 ** 32));
const COUNT = Number(process.env.DIFFERENTIAL_CASES ?? 10_000);
const CONCURRENCY = 32;

let child: ChildProcess;
let baseUrl: string;
let document: { seed: number; deadlineMs: number; records: Record[] };
const dir = mkdtempSync(join(tmpdir(), 'juspay-differential-'));

beforeAll(async () => {
  const out = join(dir, 'cases.json');
  // cargo builds the generator when needed (the Rust stage has usually built it already).
  child = spawn(
    'cargo',
    [
      'run',
      '--quiet',
      '--locked',
      '-p',
      'juspay-differential',
      '--',
      '--seed',
      SEED,
      '--count',
      String(COUNT),
      '--out',
      out,
    ],
    { cwd: join(RUST_CORE_DIR, '..'), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const stdout = child.stdout;
  if (stdout === null) throw new Error('juspay-differential has no stdout');
  baseUrl = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`juspay-differential exited with ${String(code)}`)));
    createInterface({ input: stdout }).on('line', (line) => {
      const m = /^listening on (http:\/\/\S+)$/.exec(line);
      if (m) resolve(m[1]);
    });
  });
  document = JSON.parse(readFileSync(out, 'utf8')) as typeof document;
}, 600_000);

afterAll(() => {
  child?.stdin?.end();
  rmSync(dir, { recursive: true, force: true });
});

async function webOutcome(index: number, customerId: string, clientAuthToken: boolean): Promise<unknown> {
  const plugin = new JuspayCustomerWeb();
  await plugin.configure({
    backendUrl: `${baseUrl}/${index}`,
    token: 'differential-device-token',
    timeoutMs: document.deadlineMs,
    maxRetries: 0,
  });
  try {
    return { customer: await plugin.getCustomer({ customerId, clientAuthToken }) };
  } catch (error) {
    if (!isCustomerError(error)) throw error;
    return { error: { code: error.code, message: error.message, data: error.data } };
  }
}

/**
 * The outcome as JSON with sorted keys. NETWORK messages name the platform's own error; everything
 * else must match to the letter.
 */
function comparable(outcome: unknown): string {
  const error = (outcome as { error?: { code: string; message?: string } }).error;
  const value = error?.code === 'NETWORK' ? { error: { ...error, message: '(platform-specific)' } } : outcome;
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

it(`the web implementation and the Rust core agree on ${COUNT} generated answers`, async () => {
  const records = document.records;
  expect(records).toHaveLength(COUNT);
  const web: unknown[] = new Array(records.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < records.length) {
        const i = next++;
        web[i] = await webOutcome(i, records[i].case.customerId, records[i].case.clientAuthToken);
      }
    }),
  );
  const totals = (await (await fetch(`${baseUrl}/__requests`)).json()) as number[];

  const disagreements: string[] = [];
  records.forEach((record, i) => {
    const webRequests = totals[i] - record.coreRequests;
    const { status } = record.case;
    // Two statuses the Fetch standard answers itself, before the implementation sees them: a 421
    // is retried once on a new connection, and a 407 becomes a network error without its status
    // or body. The core reports 407 as NETWORK too, so there only the code is compared.
    const sameRequests =
      webRequests === record.coreRequests || (status === 421 && webRequests === record.coreRequests + 1);
    const sameOutcome =
      status === 407
        ? (web[i] as { error?: { code: string } }).error?.code ===
          (record.core as { error?: { code: string } }).error?.code
        : comparable(web[i]) === comparable(record.core);
    const same = sameOutcome && sameRequests;
    if (!same && disagreements.length < 10) {
      disagreements.push(
        [
          `case ${i} (${record.case.kind}): ${JSON.stringify({ ...record.case, body: Buffer.from(record.case.body, 'base64').toString('latin1').slice(0, 300) })}`,
          `  core (${record.coreRequests} requests): ${JSON.stringify(record.core)}`,
          `  web  (${webRequests} requests): ${JSON.stringify(web[i])}`,
        ].join('\n'),
      );
    }
  });
  const kinds = new Set(records.map((r) => r.case.kind));
  // What the cases reached, so that a generator that stopped covering something shows.
  const reached = new Map<string, number>();
  for (const { core } of records) {
    const { customer, error } = core as { customer?: { juspay: unknown }; error?: { code: string } };
    const key = customer ? (customer.juspay ? 'customer with a client auth token' : 'customer') : String(error?.code);
    reached.set(key, (reached.get(key) ?? 0) + 1);
  }
  console.log(`differential: outcomes ${JSON.stringify(Object.fromEntries([...reached].sort()))}`);
  console.log(
    `differential: seed ${SEED}, ${records.length} cases of ${kinds.size} kinds, ${disagreements.length === 0 ? 'no' : 'some'} disagreements`,
  );
  expect(
    disagreements,
    `seed ${SEED} (replay with DIFFERENTIAL_SEED=${SEED}):\n${disagreements.join('\n')}`,
  ).toStrictEqual([]);
}, 600_000);
