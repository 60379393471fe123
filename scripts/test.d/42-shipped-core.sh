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
rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
triple=x86_64-unknown-linux-gnu
link="-C link-arg=-fuse-ld=lld -C link-arg=-B$(rustc --print sysroot)/lib/rustlib/$triple/bin/gcc-ld"
# The Android link flags but the packed relocations.
android_link=${ANDROID_LINK_RUSTFLAGS/-C link-arg=-Wl,--pack-dyn-relocs=android/}
[ "$android_link" != "$ANDROID_LINK_RUSTFLAGS" ] || { echo "42-shipped-core: no --pack-dyn-relocs in the Android flags to leave out" >&2; exit 1; }
env "${ANDROID_CARGO_ENV[@]}" CARGO_TARGET_DIR=target/shipped \
  CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="$link $android_link $ANDROID_STD_RUSTFLAGS" \
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
