#!/usr/bin/env bash
# Checks a packed npm tarball before it is published (.github/workflows/release.yml): unpacked,
# it passes the pack guard (every Android ABI's library, 16 KB-aligned, and the xcframework's
# device and simulator slices), it is not a pack:no-native package, and its Package.swift takes
# the xcframework by path (the copy in the package), which is what `npx cap sync` links.
#
#   scripts/release/check-npm-package.sh <capacitor-juspay-customer-X.Y.Z.tgz>
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tarball=${1:?usage: check-npm-package.sh <tarball>}
[ -f "$tarball" ] || { echo "check-npm-package.sh: no such file: $tarball" >&2; exit 1; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
tar -xzf "$tarball" -C "$dir"
pkg=$dir/package
node "$repo/scripts/package/check-native-payloads.mjs" "$pkg"
node -e '
  const m = require(process.argv[1]);
  const problems = [];
  if (m.private) problems.push("it is private");
  if (/-no-native$/.test(m.version) || m.nativePayloadsMissing) problems.push("it is a pack:no-native package");
  if (problems.length) { console.error(`check-npm-package.sh: ${m.name}@${m.version}: ${problems.join(", ")}`); process.exit(1); }
' "$pkg/package.json"
grep -Eq 'path: "ios/Frameworks/JuspayCustomerFFI.xcframework"' "$pkg/Package.swift" ||
  { echo "check-npm-package.sh: the packed Package.swift does not take the xcframework by path" >&2; exit 1; }
echo "check-npm-package.sh: $(basename "$tarball"): $(tar -tzf "$tarball" | wc -l) files, native payloads complete"
