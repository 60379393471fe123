#!/usr/bin/env bash
# Rust: formatting, lints, every workspace test, and the committed bindings' freshness.
set -euo pipefail
cd "$(dirname "$0")/../.."

rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
scripts/generate-bindings.sh --check
