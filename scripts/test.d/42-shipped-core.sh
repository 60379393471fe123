#!/usr/bin/env bash
# The core as Android ships it, loaded by a real JVM: std built from source for size, panic
# locations left out, release-mobile (fat LTO, opt-level z, stripped), linked by lld with 16 KB
# pages and identical-code folding (scripts/android-build-flags.sh), here for x86_64 Linux (no
# NDK on this machine). Android's packed relocations are left out: only Android's loader reads
# them. The JVM tests of 40-jvm.sh then run against this library instead of the debug build, so
# the size settings cannot break lookups, TLS, cancellation or the blocking entry point unseen.
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=scripts/android-build-flags.sh
. scripts/android-build-flags.sh
android_std_sources
triple=x86_64-unknown-linux-gnu
env "${ANDROID_CARGO_ENV[@]}" CARGO_TARGET_DIR=target/shipped \
  CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="$(host_lld_rustflags) $ANDROID_PORTABLE_LINK_RUSTFLAGS $ANDROID_STD_RUSTFLAGS" \
  cargo build --locked --quiet -p juspay-customer --profile release-mobile --target "$triple"
lib=$PWD/target/shipped/$triple/release-mobile/libjuspay_customer.so
# It is the std-from-source build: std's backtrace symbolizer is not in it.
if strings "$lib" | grep -q 'gimli'; then
  echo "42-shipped-core: $lib still carries std's backtrace symbolizer (gimli)" >&2
  exit 1
fi
echo "42-shipped-core: $lib, $(stat -c %s "$lib") B"

capacitor=node_modules/@capacitor/android
[ -d "$capacitor/capacitor/src/main/java" ] || capacitor=android/jvm-tests/target/npm/node_modules/@capacitor/android
mvn --batch-mode --no-transfer-progress -f android/jvm-tests/pom.xml test \
  -Dcapacitor.android.dir="$PWD/$capacitor" -Dcore.library="$lib"
