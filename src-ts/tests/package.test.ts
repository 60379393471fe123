import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RETRYABLE } from '../generated/core-contract';
import { measureBundle } from '../tools/bundle-size.mjs';

import { listen } from './support/loopback';
import type { Loopback } from './support/loopback';
import { RUST_CORE_DIR } from './support/vectors';

// These tests check the build output: `npm run build` first (scripts/test.d/30-typescript.sh does).
const ROOT = normalize(join(RUST_CORE_DIR, '..'));
const run = promisify(execFile);

let packed: string[] = [];

/** The paths `npm pack` would publish from the package in `dir`. */
async function packList(dir: string): Promise<string[]> {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir });
  return (JSON.parse(stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/esm/index.js'))) throw new Error('no dist/: run `npm run build` first');
  packed = await packList(ROOT);
});

const has = (path: string) => packed.indexOf(path) >= 0;
const under = (dir: string) => packed.filter((p) => p.startsWith(`${dir}/`));

describe('npm package contents', () => {
  it('has the web build at the paths package.json names', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const path of [
      manifest.main,
      manifest.module,
      manifest.types,
      manifest.unpkg,
      'dist/esm/web.js',
      'README.md',
    ]) {
      expect(packed, path).toContain(path);
    }
    expect(manifest.capacitor).toStrictEqual({ ios: { src: 'ios' }, android: { src: 'android' } });
  });

  it('has what Capacitor needs to build the Android plugin', () => {
    expect(packed, 'android/build.gradle').toContain('android/build.gradle');
    expect(under('android/src/main').filter((p) => p.endsWith('.kt')).length).toBeGreaterThan(0);
  });

  // The native libraries are built outside git (scripts/build-android.sh, build-xcframework.sh)
  // and must still be published. `files` makes npm ignore the root .gitignore, which lists them,
  // but a nested .gitignore or .npmignore would drop them silently. Checked in a copy of the
  // package with placeholders, so the working tree (which others use) is left alone.
  it('publishes the native build outputs when they are present', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    const dir = mkdtempSync(join(tmpdir(), 'juspay-pack-'));
    try {
      for (const entry of [...manifest.files, 'package.json', 'README.md', 'LICENSE']) {
        if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
      }
      const outputs = [
        'android/src/main/jniLibs/arm64-v8a/libjuspay_customer.so',
        'ios/Frameworks/JuspayCustomerFFI.xcframework/Info.plist',
      ];
      for (const output of outputs) {
        mkdirSync(dirname(join(dir, output)), { recursive: true });
        writeFileSync(join(dir, output), 'placeholder');
      }
      const inCopy = await packList(dir);
      expect(outputs.filter((output) => inCopy.indexOf(output) < 0)).toStrictEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has every path that Package.swift and the podspec point at', () => {
    expect(packed).toContain('Package.swift');
    expect(packed).toContain('CapacitorJuspayCustomer.podspec');
    expect(under('ios/Sources').filter((p) => p.endsWith('.swift')).length).toBeGreaterThan(0);
    const manifest = readFileSync(join(ROOT, 'Package.swift'), 'utf8');
    // SwiftPM checks the path of every declared target, test targets included, so a path missing
    // from the package breaks `cap sync` for every SwiftPM app. The xcframework is built on macOS
    // only; where it was built, it must be packed too.
    const targetPaths = [...manifest.matchAll(/path:\s*"([^"]+)"/g)].map((m) => m[1]);
    const missing = targetPaths
      .filter((path) => !path.startsWith('ios/Frameworks/') || existsSync(join(ROOT, path)))
      .filter((path) => !has(path) && under(path).length === 0);
    expect(missing, 'Package.swift target paths missing from the package').toStrictEqual([]);
  });

  it('has no sources of the plugin, tests, fixtures or keys', () => {
    const unwanted = packed.filter(
      (p) =>
        /^(src-ts|rust-core|example-app|scripts|target|node_modules)\//.test(p) ||
        /(^|\/)(tests?|__tests__|jvm-tests|fixtures|vectors)\//i.test(p) ||
        /\.(test|spec)\.[cm]?[jt]s$|\.(pem|key|p12|jks|keystore|mobileprovision)$|(^|\/)\.env/i.test(p),
    );
    expect(unwanted).toStrictEqual([]);
    const secrets = [
      /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
      /\b(sk|rk)_(live|test)_[A-Za-z0-9]{8,}/,
      /\bAKIA[0-9A-Z]{16}\b/,
      /\bJUSPAY_API_KEY\s*[=:]\s*["']?[A-Za-z0-9]{8,}/,
      /Authorization:\s*Basic\s+[A-Za-z0-9+/=]{12,}/i,
    ];
    const leaking = packed.filter((p) => {
      const text = readFileSync(join(ROOT, p), 'latin1');
      return secrets.some((pattern) => pattern.test(text));
    });
    expect(leaking).toStrictEqual([]);
  });

  it('has source maps that stay inside the package and carry their sources', () => {
    const maps = packed.filter((p) => p.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const mapPath of maps) {
      const map = JSON.parse(readFileSync(join(ROOT, mapPath), 'utf8')) as {
        sourceRoot?: string;
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      for (const [i, source] of map.sources.entries()) {
        const path = join(map.sourceRoot ?? '', source);
        expect(isAbsolute(path) || /^[a-z]+:/i.test(path), `${mapPath}: ${source}`).toBe(false);
        // Resolved against the map's folder, a source must not climb out of the package.
        expect(normalize(join(dirname(mapPath), path)).startsWith('..'), `${mapPath}: ${source}`).toBe(false);
        expect(typeof map.sourcesContent?.[i], `${mapPath}: content of ${source}`).toBe('string');
      }
    }
  });
});

describe('the built package in plain Node (SSR)', () => {
  let server: Loopback;
  let seen: string[];

  beforeAll(async () => {
    seen = [];
    server = await listen((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"cst_ssr","object":"customer"}');
    });
  });
  afterAll(() => server.close());

  // Imports the package with no DOM, then looks up a customer through the registered plugin,
  // which in Node is the web implementation.
  const script = (load: string) => `
    const lookup = async (pkg) => {
      if (typeof window !== 'undefined' || typeof document !== 'undefined') throw new Error('DOM present');
      const client = pkg.createCustomerClient({ backendUrl: process.env.BACKEND, fetchToken: async () => 'ssr-token' });
      const customer = await client.getCustomer({ customerId: 'cst_ssr' });
      const codes = pkg.CUSTOMER_ERROR_CODES.length;
      console.log(JSON.stringify({ id: customer.id, codes, guard: typeof pkg.isCustomerError, plugin: typeof pkg.JuspayCustomer }));
    };
    ${load}.then(lookup).catch((e) => { console.error(e); process.exit(1); });
  `;
  const expected = { id: 'cst_ssr', codes: Object.keys(RETRYABLE).length, guard: 'function', plugin: 'object' };

  it('requires the CommonJS main', async () => {
    const { stdout } = await run(
      process.execPath,
      ['-e', script(`Promise.resolve(require(${JSON.stringify(ROOT)}))`)],
      {
        env: { ...process.env, BACKEND: server.origin },
      },
    );
    expect(JSON.parse(stdout)).toStrictEqual(expected);
    expect(seen).toContain('/customers/cst_ssr Bearer ssr-token');
  });

  it('imports the ES module build as an SSR bundler would bundle it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'juspay-ssr-'));
    try {
      const entry = join(dir, 'entry.mjs');
      await build({
        entryPoints: [join(ROOT, 'dist/esm/index.js')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: entry,
        logLevel: 'silent',
      });
      const main = join(dir, 'main.mjs');
      writeFileSync(main, script(`import(${JSON.stringify(entry)})`));
      const { stdout } = await run(process.execPath, [main], { env: { ...process.env, BACKEND: server.origin } });
      expect(JSON.parse(stdout)).toStrictEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bundle size', () => {
  it('stays within its budget (min+gzip)', async () => {
    const { total, initial } = await measureBundle();
    // The product's budget for the whole esm bundle, web implementation included: 5 KB, read as
    // 5,000 bytes (the stricter of kB and KiB), raised to 5,500 bytes by Juspay's client auth
    // token and the refresh before expiry (0.2.0, about 270 bytes between them) and by reading
    // bodies exactly as the core does (lone surrogates, number range, nesting depth: about
    // 240 bytes), which the differential test found the web implementation did not; then to
    // 5,700 bytes by INTERNAL for exceptions no rule foresaw (27 bytes), the core's limits and
    // messages as generated constants (about 60 bytes: esbuild cannot inline constants of a
    // lazily evaluated module) and the `pins` option, which the web must check and refuse
    // (about 110 bytes); then to 6,000 bytes by coalesced lookups and the `cacheTtlMs` cache,
    // as the core runs them (about 315 bytes); then to 6,100 bytes by refusing a host not
    // written in ASCII, as the core does now that it has no Unicode host tables (about 85 bytes).
    // Measured at that change: 6,070 bytes.
    expect(total.gzip).toBeLessThanOrEqual(6100);
    // On Android and iOS the web implementation is never loaded.
    expect(initial.gzip).toBeLessThan(3 * 1024);
  });
});
