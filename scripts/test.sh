#!/usr/bin/env bash
# Runs every test suite of the repository, installing what it needs. This is the README's test
# command and what CI runs (.ci/run). Each suite is one script in scripts/test.d/, run in order;
# the first failure stops the run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Tests run on a debug build; cargo from rustup lives here on a fresh machine.
export PATH="$HOME/.cargo/bin:$PATH"
# One full build per run: incremental state would only add gigabytes to the target directory.
export CARGO_INCREMENTAL=0

started=$(date +%s)
for suite in scripts/test.d/*.sh; do
  name=$(basename "$suite" .sh)
  echo "=== $name"
  suite_start=$(date +%s)
  bash "$suite"
  echo "=== $name passed in $(( $(date +%s) - suite_start ))s"
done
echo "all suites passed in $(( $(date +%s) - started ))s"
