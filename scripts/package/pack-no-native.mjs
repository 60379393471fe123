#!/usr/bin/env node
// `npm run pack:no-native [-- <destination-dir>]`: the one way to pack this package without its
// native payloads, for local development (trying the web build, or `cap sync` without an NDK or
// a Mac). The tarball is made from a copy of exactly what `npm pack` would take, whose
// package.json says what it is:
//   - version <version>-no-native (so the file is capacitor-juspay-customer-<version>-no-native.tgz),
//   - "private": true, so npm refuses to publish it,
//   - "nativePayloadsMissing": the guard's list of what is missing.
// Apps can install it (npm install ./that.tgz); Android apps then fail at run time and iOS apps
// at link time wherever a payload is missing.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { nativePayloadProblems } from './native-payloads.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const destination = resolve(process.argv[2] ?? '.');
if (!existsSync(join(root, 'dist/esm/index.js'))) {
  console.error('pack:no-native: no dist/: run `npm run build` first');
  process.exit(1);
}

const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const files = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root))[0].files.map((f) => f.path);

const stage = mkdtempSync(join(tmpdir(), 'juspay-no-native-'));
try {
  for (const file of files) {
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    cpSync(join(root, file), join(stage, file));
  }
  const manifest = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'));
  const missing = nativePayloadProblems(stage);
  manifest.version = `${manifest.version.replace(/-no-native$/, '')}-no-native`;
  manifest.private = true;
  manifest.nativePayloadsMissing = missing;
  delete manifest.scripts;
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  mkdirSync(destination, { recursive: true });
  const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', destination], stage))[0];
  console.log(join(destination, packed.filename));
  if (missing.length)
    console.error(`pack:no-native: without ${missing.length} native payload(s):\n  - ${missing.join('\n  - ')}`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
