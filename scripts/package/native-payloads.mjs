// What the npm package must carry besides JavaScript: the Rust core built for Android (one
// libjuspay_customer.so per ABI, 16 KB-aligned) and for iOS (the xcframework with a device and
// a simulator slice). Neither is in git; scripts/build-android.sh and build-xcframework.sh make
// them. Used by the pack guard (check-native-payloads.mjs) and by pack-no-native.mjs.
import { existsSync, openSync, readSync, closeSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const JNI_DIR = 'android/src/main/jniLibs';
export const XCFRAMEWORK = 'ios/Frameworks/JuspayCustomerFFI.xcframework';
export const LIBRARY = 'libjuspay_customer.so';
const PAGE = 16384;

// ELF class (1: 32-bit, 2: 64-bit) and e_machine of each Android ABI.
export const ABIS = {
  'arm64-v8a': { bits: 64, machine: 183, arch: 'AArch64' },
  'armeabi-v7a': { bits: 32, machine: 40, arch: 'ARM' },
  x86_64: { bits: 64, machine: 62, arch: 'x86-64' },
  x86: { bits: 32, machine: 3, arch: 'i386' },
};
const MACHINE_NAMES = Object.fromEntries(Object.values(ABIS).map((a) => [a.machine, a.arch]));

function readHead(path, length) {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Why the Android library at `path` is not right for `abi`, or null when it is. */
function elfProblem(path, abi) {
  const want = ABIS[abi];
  const size = statSync(path).size;
  const head = readHead(path, Math.min(size, 1 << 20));
  if (head.length < 52 || head.readUInt32BE(0) !== 0x7f454c46) return 'is not an ELF file';
  const bits = head[4] === 2 ? 64 : head[4] === 1 ? 32 : 0;
  if (head[5] !== 1) return 'is not little-endian';
  const machine = head.readUInt16LE(18);
  if (machine !== want.machine || bits !== want.bits) {
    return `is ${MACHINE_NAMES[machine] ?? `machine ${machine}`} ${bits}-bit, not ${want.arch} ${want.bits}-bit`;
  }
  const phoff = bits === 64 ? Number(head.readBigUInt64LE(32)) : head.readUInt32LE(28);
  const phentsize = head.readUInt16LE(bits === 64 ? 54 : 42);
  const phnum = head.readUInt16LE(bits === 64 ? 56 : 44);
  let loads = 0;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + phentsize > head.length) return 'has program headers past its first MiB (truncated?)';
    if (head.readUInt32LE(at) !== 1) continue; // PT_LOAD
    loads++;
    const align = bits === 64 ? Number(head.readBigUInt64LE(at + 48)) : head.readUInt32LE(at + 28);
    if (align < PAGE)
      return `has a LOAD segment aligned to ${align} bytes, not 16 KB (Android 15 devices with 16 KB pages cannot load it)`;
  }
  return loads === 0 ? 'has no LOAD segment' : null;
}

// The xcframework's Info.plist, as xcodebuild -create-xcframework writes it (XML). Each library
// is a dict without nested dicts: take the innermost dicts and read their keys.
function plistLibraries(xml) {
  const str = (dict, key) => dict.match(new RegExp(`<key>${key}</key>\\s*<string>([^<]*)</string>`))?.[1] ?? null;
  const arr = (dict, key) => {
    const body = dict.match(new RegExp(`<key>${key}</key>\\s*<array>([\\s\\S]*?)</array>`))?.[1] ?? '';
    return [...body.matchAll(/<string>([^<]*)<\/string>/g)].map((m) => m[1]);
  };
  return [...xml.matchAll(/<dict>((?:(?!<dict>)[\s\S])*?)<\/dict>/g)]
    .map((m) => m[1])
    .filter((d) => d.includes('<key>LibraryIdentifier</key>'))
    .map((d) => ({
      id: str(d, 'LibraryIdentifier'),
      path: str(d, 'LibraryPath'),
      headers: str(d, 'HeadersPath'),
      platform: str(d, 'SupportedPlatform'),
      variant: str(d, 'SupportedPlatformVariant'),
      archs: arr(d, 'SupportedArchitectures'),
    }));
}

const AR_MAGIC = Buffer.from('!<arch>\n');
const FAT_MAGICS = [0xcafebabe, 0xbebafeca];

function xcframeworkProblems(root) {
  const dir = join(root, XCFRAMEWORK);
  const plist = join(dir, 'Info.plist');
  if (!existsSync(plist)) return [`${XCFRAMEWORK}/Info.plist is missing (run scripts/build-xcframework.sh on macOS)`];
  const libs = plistLibraries(readFileSync(plist, 'utf8'));
  const problems = [];
  const slices = [
    { name: 'device', variant: null, archs: ['arm64'] },
    { name: 'simulator', variant: 'simulator', archs: ['arm64', 'x86_64'] },
  ];
  for (const slice of slices) {
    const lib = libs.find((l) => l.platform === 'ios' && l.variant === slice.variant);
    const label = `${XCFRAMEWORK}: the iOS ${slice.name} slice (${slice.archs.join(' + ')})`;
    if (!lib?.id || !lib.path) {
      problems.push(`${label} is missing from Info.plist`);
      continue;
    }
    const lacking = slice.archs.filter((a) => !lib.archs.includes(a));
    if (lacking.length) problems.push(`${label} lacks ${lacking.join(', ')} (has ${lib.archs.join(', ') || 'none'})`);
    const binary = join(dir, lib.id, lib.path);
    if (!existsSync(binary) || !statSync(binary).isFile()) {
      problems.push(`${label}: ${lib.id}/${lib.path} is missing`);
    } else {
      const head = readHead(binary, 8);
      const isAr = head.length === 8 && head.equals(AR_MAGIC);
      const isFat = head.length >= 4 && FAT_MAGICS.includes(head.readUInt32BE(0));
      if (!isAr && !isFat) problems.push(`${label}: ${lib.id}/${lib.path} is not a static library`);
    }
    if (!lib.headers || !existsSync(join(dir, lib.id, lib.headers, 'module.modulemap'))) {
      problems.push(`${label}: its headers have no module.modulemap`);
    }
  }
  return problems;
}

/** Every reason the package in `root` lacks a native payload; empty when it has them all. */
export function nativePayloadProblems(root) {
  const problems = [];
  for (const abi of Object.keys(ABIS)) {
    const rel = `${JNI_DIR}/${abi}/${LIBRARY}`;
    const path = join(root, rel);
    if (!existsSync(path))
      problems.push(`${rel} is missing (the Android library for ${abi}; run scripts/build-android.sh)`);
    else {
      const problem = elfProblem(path, abi);
      if (problem) problems.push(`${rel} ${problem}`);
    }
  }
  return problems.concat(xcframeworkProblems(root));
}
