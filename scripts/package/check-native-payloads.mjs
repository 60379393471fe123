#!/usr/bin/env node
// The pack guard: npm runs it before `npm pack` and `npm publish` (package.json `prepack`,
// `prepublishOnly`), and the release workflow on the unpacked tarball. It fails, naming each
// one, when a native payload is missing or wrong, because a package without them installs
// fine and then fails in the app: at run time on Android (no libjuspay_customer.so), at link
// time on iOS (no xcframework).
//
//   node scripts/package/check-native-payloads.mjs [package-dir]   (default: the current dir)
//
// A package for local development without them is made only by `npm run pack:no-native`
// (pack-no-native.mjs), which marks it in its version and metadata and makes it unpublishable.
// `--ignore-scripts` skips npm's lifecycle scripts and with them this guard: the release
// workflow therefore also runs it on the tarball it publishes.
import { resolve } from 'node:path';

import { nativePayloadProblems } from './native-payloads.mjs';

const root = resolve(process.argv[2] ?? '.');
const problems = nativePayloadProblems(root);
if (problems.length > 0) {
  const action = process.env.npm_command ? `npm ${process.env.npm_command}` : 'this package';
  console.error(
    [
      `${action}: refused, the native payloads are missing or wrong:`,
      ...problems.map((p) => `  - ${p}`),
      'Apps built with such a package fail at run time (Android) or link time (iOS).',
      'Build them (scripts/build-android.sh with the NDK, scripts/build-xcframework.sh on macOS),',
      'or, for local development only, `npm run pack:no-native` packs an unpublishable',
      '<version>-no-native package without them (see docs/releasing.md).',
    ].join('\n'),
  );
  process.exit(1);
}
console.error(
  'native payloads: jniLibs for arm64-v8a, armeabi-v7a, x86_64, x86 and the xcframework (device, simulator) are present',
);
