/**
 * The real processes the tests drive: the reference merchant backend (with its embedded Juspay
 * emulator unless told otherwise), the standalone emulator, and the app's web server (`vite
 * preview` over the built app). Each is started on 127.0.0.1, ready once it prints its URL, and
 * stopped by the test that started it; the Rust ones also stop when this process dies (their
 * stdin closes), and every pid goes to E2E_PIDFILE so the stage script can clean up after a crash.
 */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const APP = resolve(ROOT, 'example-app');

export const BINARIES = {
  backend: process.env.E2E_BACKEND_BIN ?? resolve(ROOT, 'target/debug/merchant-backend'),
  sandbox: process.env.E2E_SANDBOX_BIN ?? resolve(ROOT, 'target/debug/juspay-sandbox'),
};

/** Variables that would switch the backend away from its zero-setup mode. */
const BACKEND_SETTINGS = [
  'JUSPAY_API_KEY',
  'JUSPAY_BASE_URL',
  'JUSPAY_MERCHANT_ID',
  'TOKEN_SECRET',
  'TOKEN_TTL',
  'CORS_ORIGINS',
  'DEMO_SIGN_IN',
  'SANDBOX_SEED',
  'BACKEND_LISTEN',
  'UPSTREAM_DEADLINE',
  'UPSTREAM_RETRIES',
  'SANDBOX_FAULTS',
  'HEADER_TIMEOUT',
  'BODY_TIMEOUT',
  'MAX_BODY_BYTES',
  'MAX_CONNECTIONS',
  'TOKEN_SECRET_PREVIOUS',
  'LOOKUP_RATE_LIMIT',
  'LOOKUP_BURST',
  'SIGN_IN_RATE_LIMIT',
  'SIGN_IN_BURST',
  'FORWARDED_HOPS',
];

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface Running {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  /** Everything the process wrote to stderr so far (its log). */
  log(): string;
  stop(): Promise<void>;
}

interface StartOptions {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Finds the URL in a line of stdout. */
  ready: RegExp;
  name: string;
}

async function start({ command, args, env, cwd, ready, name }: StartOptions): Promise<Running> {
  const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  if (process.env.E2E_PIDFILE && child.pid) appendFileSync(process.env.E2E_PIDFILE, `${child.pid}\n`);
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  exited.then(() => live.delete(child));

  const url = await new Promise<string>((found, failed) => {
    const timer = setTimeout(() => failed(new Error(`${name} did not start within 30 s:\n${stdout}${stderr}`)), 30_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // Vite colours its output on a terminal only; strip colours anyway.
      const match = ready.exec(stdout.replace(/\x1b\[[0-9;]*m/g, ''));
      if (match) {
        clearTimeout(timer);
        found(match[1].replace(/\/+$/, ''));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      failed(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${stdout}${stderr}`));
    });
  });

  return {
    url,
    port: Number(new URL(url).port),
    log: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // The Rust servers read stdin for --stop-on-stdin-eof on a blocking thread that holds up
      // their exit after SIGTERM until stdin closes; closing it lets them exit at once.
      child.stdin?.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      if (child.signalCode === 'SIGKILL') throw new Error(`${name} did not stop within 10 s of SIGTERM:\n${stderr}`);
    },
  };
}

export interface BackendOptions {
  /** The web origin the app is served from, allowed by CORS. */
  appOrigin: string;
  /** 0 (default) picks a free port; a port number restarts a backend where it was. */
  port?: number;
  /** Further settings (TOKEN_TTL, TOKEN_SECRET, SANDBOX_SEED, JUSPAY_API_KEY, ...). */
  env?: Record<string, string>;
}

export interface Backend extends Running {
  /**
   * Requests the backend has finished, from its access log (one line per request). The log is
   * written in batches, tens of milliseconds late: poll for a count that should go up.
   */
  requestCount(): number;
  /** The count once the log has caught up: unchanged for 200 ms (ten of its batches). */
  settledRequestCount(): Promise<number>;
}

export async function startBackend({ appOrigin, port = 0, env = {} }: BackendOptions): Promise<Backend> {
  const base = { ...process.env };
  for (const name of BACKEND_SETTINGS) delete base[name];
  const running = await start({
    name: 'merchant-backend',
    command: BINARIES.backend,
    args: ['--listen', `127.0.0.1:${port}`, '--stop-on-stdin-eof'],
    env: { ...base, RUST_LOG: 'info', NO_COLOR: '1', CORS_ORIGINS: appOrigin, ...env },
    ready: /listening on (http:\/\/\S+)/,
  });
  const requestCount = () =>
    running
      .log()
      .split('\n')
      .filter((line) => line.includes('request finished')).length;
  return {
    ...running,
    requestCount,
    settledRequestCount: async () => {
      let count = requestCount();
      for (;;) {
        await new Promise((resolveWait) => setTimeout(resolveWait, 200));
        const now = requestCount();
        if (now === count) return now;
        count = now;
      }
    },
  };
}

/** The key the standalone emulator's control endpoints (`/__sandbox/*`) want, as `x-sandbox-control-key`. */
export const SANDBOX_CONTROL_KEY = 'e2e-control-key';

export async function startSandbox(apiKey: string): Promise<Running> {
  return start({
    name: 'juspay-sandbox',
    command: BINARIES.sandbox,
    args: ['--listen', '127.0.0.1:0', '--api-key', apiKey, '--control-key', SANDBOX_CONTROL_KEY, '--stop-on-stdin-eof'],
    env: { ...process.env, RUST_LOG: 'info', NO_COLOR: '1' },
    ready: /listening on (http:\/\/\S+)/,
  });
}

/** `vite preview` of the built app (dist/), as the demo serves it. */
export async function startAppServer(): Promise<Running> {
  return start({
    name: 'vite preview',
    command: process.execPath,
    args: [
      resolve(APP, 'node_modules/vite/bin/vite.js'),
      'preview',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--strictPort',
    ],
    cwd: APP,
    env: { ...process.env, NO_COLOR: '1' },
    ready: /Local:\s+(http:\/\/\S+)/,
  });
}
