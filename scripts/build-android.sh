#!/usr/bin/env bash
# Builds the Rust core for Android into android/src/main/jniLibs/<abi>/libjuspay_customer.so, for
# arm64-v8a, armeabi-v7a, x86_64 and x86, with the size profile `release-mobile`, std rebuilt for
# size, and 16 KB page alignment (Android 15 devices may use 16 KB pages; a 4 KB-aligned library
# does not load there).
# Run it before packing the npm package; the Android library ships what it leaves there.
#
# Needs: the Android NDK (r23 or newer; r27+ recommended) with ANDROID_NDK_HOME pointing at it,
# rustup, and cargo-ndk (`cargo install cargo-ndk --locked`). The ABIs' Rust targets and rust-src
# are added here.
#
# Usage: ANDROID_NDK_HOME=/path/to/android-sdk/ndk/<version> scripts/build-android.sh [--debug-symbols DIR]
#
# --debug-symbols DIR (the release workflow): build with full debug info, then split it off with
# the NDK's llvm-objcopy into DIR/<abi>/libjuspay_customer.so.dbg (the layout of the
# native-debug-symbols.zip that Play Console and ndk-stack take); the shipped libraries are
# stripped as without it and point at their .dbg by build id and .gnu_debuglink.
set -euo pipefail
cd "$(dirname "$0")/.."

symbols=""
case "${1:-}" in
  "") ;;
  --debug-symbols)
    [ -n "${2:-}" ] || { echo "build-android.sh: --debug-symbols needs a directory" >&2; exit 1; }
    mkdir -p "$2"
    symbols=$(cd "$2" && pwd)
    ;;
  *) echo "build-android.sh: unknown argument $1 (usage: build-android.sh [--debug-symbols DIR])" >&2; exit 1 ;;
esac

# The plugin's minSdk (android/build.gradle): the NDK links against this API level.
readonly api_level=24
readonly out=android/src/main/jniLibs
readonly abis=(arm64-v8a armeabi-v7a x86_64 x86)
readonly triples=(aarch64-linux-android armv7-linux-androideabi x86_64-linux-android i686-linux-android)

if [ -z "${ANDROID_NDK_HOME:-}" ]; then
  echo "build-android.sh: ANDROID_NDK_HOME is not set. Install the Android NDK (Android Studio:" \
    "SDK Manager > SDK Tools > NDK) and export ANDROID_NDK_HOME=<sdk>/ndk/<version>." >&2
  exit 1
fi
if [ ! -d "$ANDROID_NDK_HOME/toolchains/llvm/prebuilt" ]; then
  echo "build-android.sh: ANDROID_NDK_HOME=$ANDROID_NDK_HOME does not look like an NDK" \
    "(no toolchains/llvm/prebuilt in it)." >&2
  exit 1
fi
if ! cargo ndk --version >/dev/null 2>&1; then
  echo "build-android.sh: cargo-ndk is missing: cargo install cargo-ndk --locked" >&2
  exit 1
fi

rustup target add "${triples[@]}"

# Compiler and link flags (scripts/android-build-flags.sh), set per Android target so they never
# reach host build scripts (a RUSTFLAGS in the environment would override them: the alignment
# check below catches that).
# shellcheck source=scripts/android-build-flags.sh
. "$(dirname "$0")/android-build-flags.sh"
for triple in "${triples[@]}"; do
  var="CARGO_TARGET_$(echo "$triple" | tr 'a-z-' 'A-Z_')_RUSTFLAGS"
  export "$var=${!var:-} $ANDROID_LINK_RUSTFLAGS $ANDROID_STD_RUSTFLAGS"
done
android_std_sources

if [ -n "$symbols" ]; then
  # The profile strips; for the split, keep everything and strip after copying the debug info.
  export CARGO_PROFILE_RELEASE_MOBILE_DEBUG=full CARGO_PROFILE_RELEASE_MOBILE_STRIP=none
fi

rm -rf "$out"
targets=()
for abi in "${abis[@]}"; do targets+=(-t "$abi"); done
env "${ANDROID_CARGO_ENV[@]}" cargo ndk "${targets[@]}" -P "$api_level" -o "$out" \
  build --locked -p juspay-customer --profile release-mobile

# Check what was built: one library per ABI, every loadable segment aligned to 16 KB.
readelf=$(ls "$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin/llvm-readelf 2>/dev/null | head -n 1)
objcopy=$(ls "$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin/llvm-objcopy 2>/dev/null | head -n 1)
if [ -n "$symbols" ]; then
  [ -n "$objcopy" ] && [ -n "$readelf" ] || { echo "build-android.sh: --debug-symbols needs the NDK's llvm-objcopy and llvm-readelf" >&2; exit 1; }
  for abi in "${abis[@]}"; do
    lib="$out/$abi/libjuspay_customer.so"
    dbg="$symbols/$abi/libjuspay_customer.so.dbg"
    mkdir -p "$symbols/$abi"
    # Crash tools match a library to its symbols by the build id the NDK's linker writes.
    "$readelf" -n "$lib" | grep 'Build ID' >/dev/null || { echo "build-android.sh: $lib has no build id" >&2; exit 1; }
    "$objcopy" --only-keep-debug "$lib" "$dbg"
    "$objcopy" --strip-all --add-gnu-debuglink="$dbg" "$lib"
    echo "$dbg: $(du -h "$dbg" | cut -f1)"
  done
fi
for abi in "${abis[@]}"; do
  lib="$out/$abi/libjuspay_customer.so"
  [ -f "$lib" ] || { echo "build-android.sh: $lib was not built" >&2; exit 1; }
  if [ -n "$readelf" ]; then
    for align in $("$readelf" -lW "$lib" | awk '$1 == "LOAD" { print $NF }'); do
      if (( align < 16384 )); then
        echo "build-android.sh: $lib has a LOAD segment aligned to $align, not 16 KB" >&2
        exit 1
      fi
    done
  fi
  echo "$lib: $(du -h "$lib" | cut -f1)"
done
