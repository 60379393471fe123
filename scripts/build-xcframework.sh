#!/usr/bin/env bash
# Builds ios/Frameworks/JuspayCustomerFFI.xcframework, the Rust core for iOS: static libraries
# for devices (arm64) and the simulator (arm64 + x86_64, one fat library), each with the FFI
# header and module map that the generated Swift bindings import as `JuspayCustomerFFI`.
# Package.swift (binaryTarget) and CapacitorJuspayCustomer.podspec (vendored_frameworks) use it.
#
# macOS with Xcode only. Usage: scripts/build-xcframework.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)" != "Darwin" ]; then
  echo "build-xcframework.sh needs macOS with Xcode (xcodebuild, lipo and the iOS SDKs);" >&2
  echo "on $(uname -s), build the Android libraries instead (scripts/build-android.sh)." >&2
  exit 1
fi
for tool in xcodebuild lipo xcrun cargo rustup; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build-xcframework.sh: $tool not found (install Xcode and rustup)" >&2
    exit 1
  fi
done

profile=release-mobile
device=aarch64-apple-ios
simulators="aarch64-apple-ios-sim x86_64-apple-ios"
lib=libjuspay_customer.a
out=ios/Frameworks/JuspayCustomerFFI.xcframework
# Same floor as Package.swift and the podspec, so the objects don't claim a newer iOS than the
# app links them into.
export IPHONEOS_DEPLOYMENT_TARGET=15.0

# shellcheck disable=SC2086 # the target lists are word lists on purpose
rustup target add $device $simulators
for target in $device $simulators; do
  echo "building $target ($profile)"
  # Only the staticlib: the crate's cdylib is for Android and the JVM tests.
  cargo rustc --locked -p juspay-customer --lib --profile "$profile" --target "$target" --crate-type staticlib
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/device" "$work/simulator" "$work/headers"
cp "target/$device/$profile/$lib" "$work/device/$lib"
sim_libs=""
for target in $simulators; do sim_libs="$sim_libs target/$target/$profile/$lib"; done
# shellcheck disable=SC2086
lipo -create $sim_libs -output "$work/simulator/$lib"

# The header and module map come from ios/ffi, written only by generate-bindings.sh. The module
# map's `use "_Builtin_stdbool"` / `use "_Builtin_stdint"` lines are left out of the packed copy:
# Xcode 26's explicit module builds reject those builtin module names (uniffi-rs issue #2917),
# and the header's #includes reach the same headers through Darwin without them.
cp ios/ffi/JuspayCustomerFFI.h "$work/headers/"
grep -v '^[[:space:]]*use "_Builtin_' ios/ffi/module.modulemap >"$work/headers/module.modulemap"

rm -rf "$out"
mkdir -p "$(dirname "$out")"
xcodebuild -create-xcframework \
  -library "$work/device/$lib" -headers "$work/headers" \
  -library "$work/simulator/$lib" -headers "$work/headers" \
  -output "$out"
echo "wrote $out"
