#!/usr/bin/env bash
# The benchmark suite: speed, size and memory, side by side with Juspay's official Node SDK.
# Installs what it needs, builds release binaries, runs every measurement and writes
# BENCHMARKS.md at the repository root. Not part of CI (scripts/test.sh never calls it).
#
#   bash benchmarks/run.sh            everything (about 20-30 minutes on 2 cores from a clean clone, builds included)
#   BENCH_ONLY=latency,size bash benchmarks/run.sh     some steps (the report says what is missing)
#
# Knobs are listed at the top of benchmarks/suite.mjs; BENCH_MAX_LOAD (default 1.5) and
# BENCH_WAIT_MINUTES (default 10) set how long to wait for a quieter machine before measuring.
# Network: package registries only (apt, npm, Maven Central, crates.io); every server is on
# loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
# Apart from the tests' target/debug, so a benchmark build never invalidates or waits for theirs.
export CARGO_TARGET_DIR="$root/target/bench"

step() { echo "== $*" >&2; }

step "tools"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v openssl >/dev/null || missing+=(openssl)
command -v mvn >/dev/null || missing+=(maven)
command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "run.sh: missing ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
for tool in cargo node npm java; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 1; }
done

step "release builds (target/bench)"
# One invocation, so the two cores build shared dependencies once. juspay-customer is named so
# that its (unstripped) release cdylib lands in target/bench/release for the bindings generator.
cargo build --release --locked --quiet -p juspay-benchmarks -p juspay-sandbox -p merchant-backend \
  -p juspay-customer -p uniffi-bindgen
# The shipped mobile artifact: what the size target is about, and what the JVM run loads.
cargo build --profile release-mobile --locked --quiet -p juspay-customer
# What Android ships, as closely as this machine can build it (no NDK): the same library built
# as scripts/build-android.sh builds it (std from source for size, scripts/android-build-flags.sh)
# and with its linker flags (16 KB pages, identical-code folding, Android's packed relocations)
# through rustup's lld, as the NDK links with lld, for x86_64 and, with Debian's cross gcc, for
# aarch64, the closest figure to arm64-v8a. Measured only: packed relocations need Android's loader.
# shellcheck source=scripts/android-build-flags.sh
. scripts/android-build-flags.sh
android_flags="$(host_lld_rustflags) $ANDROID_LINK_RUSTFLAGS $ANDROID_STD_RUSTFLAGS"
rustup target list --installed | grep -qx aarch64-unknown-linux-gnu || rustup target add aarch64-unknown-linux-gnu
android_std_sources
env "${ANDROID_CARGO_ENV[@]}" CARGO_TARGET_DIR="$root/target/bench/android-flags" \
  CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="$android_flags" \
  CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS="$android_flags" \
  CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
  cargo build --profile release-mobile --locked --quiet -p juspay-customer \
    --target x86_64-unknown-linux-gnu --target aarch64-unknown-linux-gnu
# The JVM variant of the Kotlin bindings, from the release build (it keeps the uniffi metadata
# that the stripped release-mobile one has lost), with the config scripts/generate-bindings.sh
# uses for the JVM tests.
bindings=benchmarks/jvm/target/generated-uniffi
rm -rf "$bindings" && mkdir -p "$bindings"
target/bench/release/uniffi-bindgen generate target/bench/release/libjuspay_customer.so \
  --no-format -l kotlin -o "$bindings" --config rust-core/jvm-bindings.toml

step "Juspay's Node SDK (npm, into benchmarks/node/node_modules)"
(cd benchmarks/node && npm ci --no-audit --no-fund --loglevel=error)

step "JVM harness (Maven)"
mvn --batch-mode --quiet --no-transfer-progress -f benchmarks/jvm/pom.xml package \
  -Duniffi.bindings="$root/$bindings"

step "Swift harness (in the Swift root of scripts/test.d/45-swift.sh)"
# The committed Swift bindings over the same release-mobile library the JVM run loads. Needs root
# (chroot, mount); without it the Swift step is reported as not measured.
if [ "$(id -u)" = 0 ]; then
  bash benchmarks/swift/bench.sh build "$root/target/bench/release-mobile/libjuspay_customer.so"
else
  echo "run.sh: not root, so no Swift harness (the report says so)" >&2
fi

step "web bundle tools (root node_modules)"
# The root package's dev tools (tsc, esbuild); installed only when absent, so a working tree
# that others are using is not reinstalled under them.
[ -x node_modules/.bin/tsc ] && [ -d node_modules/esbuild ] || npm ci --no-audit --no-fund --loglevel=error

step "waiting for a quieter machine"
max_load=${BENCH_MAX_LOAD:-1.5}
deadline=$(( $(date +%s) + 60 * ${BENCH_WAIT_MINUTES:-10} ))
while :; do
  load=$(cut -d' ' -f1 /proc/loadavg)
  if awk -v l="$load" -v m="$max_load" 'BEGIN { exit !(l <= m) }'; then
    echo "load average $load <= $max_load: measuring" >&2
    break
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "load average still $load after ${BENCH_WAIT_MINUTES:-10} min: measuring anyway (recorded)" >&2
    break
  fi
  echo "load average $load > $max_load; waiting" >&2
  sleep 20
done

step "measuring"
node benchmarks/suite.mjs
step "writing BENCHMARKS.md"
node benchmarks/report.mjs
