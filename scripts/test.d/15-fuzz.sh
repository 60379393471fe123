#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo fuzz, libFuzzer) of what hostile peers send: customer ids,
# response bodies and the error mapping, Retry-After, and the backend's device tokens. Each
# target runs for FUZZ_SECONDS (default 20) from the committed corpus in rust-core/fuzz/corpus;
# new inputs go to a scratch folder, so the tree stays clean. A crash fails the stage and leaves
# the input in rust-core/fuzz/artifacts/. See rust-core/fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${FUZZ_SECONDS:-20}
# Outside the clone, so that CI's fresh clones on one machine reuse the instrumented build.
target_dir=${FUZZ_TARGET_DIR:-/var/cache/juspay-customer/fuzz-target}
cargo_fuzz_version=0.13.1

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $cargo_fuzz_version" ]; then
  cargo install --locked --quiet cargo-fuzz --version "$cargo_fuzz_version"
fi

cd rust-core
mkdir -p "$target_dir"
cargo +nightly fuzz build --sanitizer none --target-dir "$target_dir"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in $(cargo +nightly fuzz list); do
  mkdir -p "$scratch/$target"
  log="$scratch/$target.log"
  if ! cargo +nightly fuzz run --sanitizer none --target-dir "$target_dir" "$target" \
    "$scratch/$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=70000 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "15-fuzz: $target failed; the input is in rust-core/fuzz/artifacts/$target/" >&2
    exit 1
  fi
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
  cov=$(grep -oE '#[0-9]+[[:space:]]+DONE[[:space:]]+cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo 'cov: ?')
  echo "15-fuzz: $target: $runs executions in ${seconds}s, $cov, 0 crashes"
done
