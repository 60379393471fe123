// The pack guard, tested with the real npm: a copy of the package (package.json, its `files`,
// the guard) without the native payloads, then with stand-ins of them: little ELF files with
// the right class, machine and LOAD alignment per ABI, and an xcframework whose Info.plist is
// laid out as xcodebuild writes it. Run by scripts/test.d/55-package.sh.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ABIS, JNI_DIR, LIBRARY, XCFRAMEWORK } from './native-payloads.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// npm must not reach a registry in these tests: anything that tried would fail at once.
const npmEnv = { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_update_notifier: 'false' };
for (const key of Object.keys(npmEnv)) if (key.startsWith('npm_lifecycle') || key === 'npm_command') delete npmEnv[key];

function npm(args, cwd) {
  const r = spawnSync('npm', args, { cwd, env: npmEnv, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A minimal little-endian ELF shared object for `abi`: a header and one PT_LOAD. */
function elfStandIn(abi, { align = 16384, machineOf = abi } = {}) {
  const { bits } = ABIS[machineOf];
  const is64 = bits === 64;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const buf = Buffer.alloc(ehsize + phentsize);
  buf.writeUInt32BE(0x7f454c46, 0);
  buf[4] = is64 ? 2 : 1; // EI_CLASS
  buf[5] = 1; // little-endian
  buf[6] = 1; // EV_CURRENT
  buf.writeUInt16LE(3, 16); // ET_DYN
  buf.writeUInt16LE(ABIS[machineOf].machine, 18);
  buf.writeUInt32LE(1, 20);
  if (is64) {
    buf.writeBigUInt64LE(BigInt(ehsize), 32); // e_phoff
    buf.writeUInt16LE(ehsize, 52);
    buf.writeUInt16LE(phentsize, 54);
    buf.writeUInt16LE(1, 56);
    buf.writeUInt32LE(1, ehsize); // PT_LOAD
    buf.writeBigUInt64LE(BigInt(align), ehsize + 48);
  } else {
    buf.writeUInt32LE(ehsize, 28);
    buf.writeUInt16LE(ehsize, 40);
    buf.writeUInt16LE(phentsize, 42);
    buf.writeUInt16LE(1, 44);
    buf.writeUInt32LE(1, ehsize);
    buf.writeUInt32LE(align, ehsize + 28);
  }
  return buf;
}

const SLICES = {
  device: { id: 'ios-arm64', archs: ['arm64'], variant: null, magic: Buffer.from('!<arch>\n') },
  simulator: {
    id: 'ios-arm64_x86_64-simulator',
    archs: ['arm64', 'x86_64'],
    variant: 'simulator',
    magic: Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]),
  },
};

/** An xcframework laid out as `xcodebuild -create-xcframework` makes it, with stand-in libraries. */
function writeXcframework(dir, slices = ['device', 'simulator']) {
  const root = join(dir, XCFRAMEWORK);
  const dicts = slices.map((name) => {
    const s = SLICES[name];
    mkdirSync(join(root, s.id, 'Headers'), { recursive: true });
    writeFileSync(join(root, s.id, 'libjuspay_customer.a'), Buffer.concat([s.magic, Buffer.alloc(64)]));
    writeFileSync(join(root, s.id, 'Headers', 'module.modulemap'), 'module JuspayCustomerFFI {}\n');
    writeFileSync(join(root, s.id, 'Headers', 'JuspayCustomerFFI.h'), '#pragma once\n');
    return `\t\t<dict>
\t\t\t<key>BinaryPath</key>
\t\t\t<string>libjuspay_customer.a</string>
\t\t\t<key>HeadersPath</key>
\t\t\t<string>Headers</string>
\t\t\t<key>LibraryIdentifier</key>
\t\t\t<string>${s.id}</string>
\t\t\t<key>LibraryPath</key>
\t\t\t<string>libjuspay_customer.a</string>
\t\t\t<key>SupportedArchitectures</key>
\t\t\t<array>
${s.archs.map((a) => `\t\t\t\t<string>${a}</string>`).join('\n')}
\t\t\t</array>
\t\t\t<key>SupportedPlatform</key>
\t\t\t<string>ios</string>${s.variant ? `\n\t\t\t<key>SupportedPlatformVariant</key>\n\t\t\t<string>${s.variant}</string>` : ''}
\t\t</dict>`;
  });
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, 'Info.plist'),
    `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>AvailableLibraries</key>
\t<array>
${dicts.join('\n')}
\t</array>
\t<key>CFBundlePackageType</key>
\t<string>XFWK</string>
\t<key>XCFrameworkFormatVersion</key>
\t<string>1.0</string>
</dict>
</plist>
`,
  );
}

function writeJniLibs(dir, abis = Object.keys(ABIS), options = {}) {
  for (const abi of abis) {
    mkdirSync(join(dir, JNI_DIR, abi), { recursive: true });
    writeFileSync(join(dir, JNI_DIR, abi, LIBRARY), elfStandIn(abi, options[abi]));
  }
}

const libPaths = Object.keys(ABIS).map((abi) => `${JNI_DIR}/${abi}/${LIBRARY}`);
const xcPaths = [
  `${XCFRAMEWORK}/Info.plist`,
  `${XCFRAMEWORK}/ios-arm64/libjuspay_customer.a`,
  `${XCFRAMEWORK}/ios-arm64_x86_64-simulator/libjuspay_customer.a`,
];

let work;
let pkg;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'juspay-guard-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

// A fresh copy of the package for every test: package.json, README, LICENSE, what `files` names
// (without any native payload the working tree may hold), the guard, and a stand-in dist/.
beforeEach(() => {
  pkg = mkdtempSync(join(work, 'pkg-'));
  for (const entry of [...manifest.files, 'package.json', 'README.md', 'LICENSE']) {
    if (entry.startsWith('dist')) continue;
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(pkg, entry), { recursive: true });
  }
  rmSync(join(pkg, JNI_DIR), { recursive: true, force: true });
  rmSync(join(pkg, 'ios/Frameworks'), { recursive: true, force: true });
  mkdirSync(join(pkg, 'scripts/package'), { recursive: true });
  for (const f of ['native-payloads.mjs', 'check-native-payloads.mjs', 'pack-no-native.mjs']) {
    cpSync(join(ROOT, 'scripts/package', f), join(pkg, 'scripts/package', f));
  }
  mkdirSync(join(pkg, 'dist/esm'), { recursive: true });
  writeFileSync(join(pkg, 'dist/esm/index.js'), 'export {};\n');
});

const tarballs = (dir) => readdirSync(dir).filter((f) => f.endsWith('.tgz'));

describe('npm pack and publish without the native payloads', () => {
  it('package.json runs the guard before pack and publish', () => {
    assert.match(manifest.scripts.prepack, /check-native-payloads\.mjs/);
    assert.match(manifest.scripts.prepublishOnly, /^node scripts\/package\/check-native-payloads\.mjs && /);
  });

  it('npm pack fails, naming every missing library and slice, and writes no tarball', () => {
    const r = npm(['pack'], pkg);
    assert.notEqual(r.status, 0, r.stdout);
    for (const path of libPaths) assert.match(r.stderr, new RegExp(`${path} is missing`));
    for (const abi of Object.keys(ABIS)) assert.match(r.stderr, new RegExp(`the Android library for ${abi}\\b`));
    assert.match(r.stderr, /Info\.plist is missing/);
    assert.match(r.stderr, /npm pack: refused/);
    assert.deepEqual(tarballs(pkg), []);
  });

  it('npm publish fails in the guard before anything else', () => {
    const r = npm(['publish', '--dry-run'], pkg);
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stderr, /npm publish: refused, the native payloads are missing/);
    assert.match(r.stderr, /arm64-v8a\/libjuspay_customer\.so is missing/);
  });

  it('names only what is missing: one ABI, the simulator slice', () => {
    writeJniLibs(pkg, ['arm64-v8a', 'armeabi-v7a', 'x86_64']);
    writeXcframework(pkg, ['device']);
    const r = npm(['pack'], pkg);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /jniLibs\/x86\/libjuspay_customer\.so is missing/);
    assert.doesNotMatch(r.stderr, /(arm64-v8a|armeabi-v7a|x86_64)\/libjuspay_customer\.so/);
    assert.match(r.stderr, /the iOS simulator slice \(arm64 \+ x86_64\) is missing from Info\.plist/);
    assert.doesNotMatch(r.stderr, /device slice/);
  });

  it('refuses a library of another ABI and one aligned to 4 KB pages', () => {
    writeJniLibs(pkg, Object.keys(ABIS), {
      'armeabi-v7a': { machineOf: 'arm64-v8a' },
      x86_64: { align: 4096 },
    });
    writeXcframework(pkg);
    const r = npm(['pack'], pkg);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /armeabi-v7a\/libjuspay_customer\.so is AArch64 64-bit, not ARM 32-bit/);
    assert.match(r.stderr, /x86_64\/libjuspay_customer\.so has a LOAD segment aligned to 4096 bytes, not 16 KB/);
    assert.doesNotMatch(r.stderr, /(arm64-v8a|\/x86)\/libjuspay_customer\.so (is|has)/);
  });

  it('refuses a simulator slice without x86_64 and a library that is not an archive', () => {
    writeJniLibs(pkg);
    writeXcframework(pkg);
    const plist = join(pkg, XCFRAMEWORK, 'Info.plist');
    writeFileSync(plist, readFileSync(plist, 'utf8').replace(/\s*<string>x86_64<\/string>/, ''));
    writeFileSync(join(pkg, XCFRAMEWORK, 'ios-arm64/libjuspay_customer.a'), 'not a library');
    const r = npm(['pack'], pkg);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /simulator slice \(arm64 \+ x86_64\) lacks x86_64 \(has arm64\)/);
    assert.match(r.stderr, /device slice \(arm64\): ios-arm64\/libjuspay_customer\.a is not a static library/);
  });
});

describe('npm pack with the native payloads', () => {
  it('packs and lists every library and both slices, in the tarball too', () => {
    writeJniLibs(pkg);
    writeXcframework(pkg);
    const r = npm(['pack', '--json'], pkg);
    assert.equal(r.status, 0, r.stderr);
    const [packed] = JSON.parse(r.stdout);
    const listed = packed.files.map((f) => f.path);
    for (const path of [...libPaths, ...xcPaths]) assert.ok(listed.includes(path), `${path} not packed`);
    assert.equal(packed.filename, `${manifest.name}-${manifest.version}.tgz`);
    const inTar = execFileSync('tar', ['-tzf', join(pkg, packed.filename)], { encoding: 'utf8' }).split('\n');
    for (const path of [...libPaths, ...xcPaths])
      assert.ok(inTar.includes(`package/${path}`), `${path} not in the tarball`);
    assert.match(r.stderr, /native payloads: .* are present/);
    // The release workflow's check of the tarball it publishes passes on it.
    const check = spawnSync('bash', [join(ROOT, 'scripts/release/check-npm-package.sh'), join(pkg, packed.filename)], {
      encoding: 'utf8',
    });
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /native payloads complete/);
  });
});

describe('npm run pack:no-native, the development switch', () => {
  it('packs an unpublishable package that says in its name and metadata what it lacks', () => {
    writeJniLibs(pkg, ['arm64-v8a']);
    const out = join(pkg, 'out');
    const r = npm(['run', '--silent', 'pack:no-native', '--', out], pkg);
    assert.equal(r.status, 0, r.stderr);
    const file = `${manifest.name}-${manifest.version}-no-native.tgz`;
    assert.equal(r.stdout.trim(), join(out, file));
    assert.deepEqual(tarballs(pkg), []);
    const unpacked = join(pkg, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(out, file), '-C', unpacked]);
    const meta = JSON.parse(readFileSync(join(unpacked, 'package/package.json'), 'utf8'));
    assert.equal(meta.version, `${manifest.version}-no-native`);
    assert.equal(meta.private, true);
    assert.equal(meta.scripts, undefined);
    assert.ok(meta.nativePayloadsMissing.some((m) => m.includes('x86/libjuspay_customer.so is missing')));
    assert.ok(!meta.nativePayloadsMissing.some((m) => m.includes('arm64-v8a')));
    assert.ok(meta.nativePayloadsMissing.some((m) => m.includes('Info.plist is missing')));
    assert.ok(existsSync(join(unpacked, `package/${JNI_DIR}/arm64-v8a/${LIBRARY}`)));
    // The release workflow's check refuses it.
    const check = spawnSync('bash', [join(ROOT, 'scripts/release/check-npm-package.sh'), join(out, file)], {
      encoding: 'utf8',
    });
    assert.notEqual(check.status, 0);
    assert.match(check.stderr, /refused, the native payloads are missing/);
    // npm itself refuses to publish it, scripts or not (a real publish, not --dry-run, which
    // skips that check; a made-up token gets it past the login check to the refusal, before any
    // request, and the registry address is unreachable anyway).
    const publish = npm(
      ['publish', '--ignore-scripts', '--tag', 'dev', '--//127.0.0.1:9/:_authToken=not-a-token'],
      join(unpacked, 'package'),
    );
    assert.notEqual(publish.status, 0);
    assert.match(publish.stderr, /This package has been marked as private/);
  });
});
