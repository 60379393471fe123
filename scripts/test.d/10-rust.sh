#!/usr/bin/env bash
# Rust: formatting, lints, every workspace test, and the committed bindings' freshness.
set -euo pipefail
cd "$(dirname "$0")/../.."

# The backend's fleet-wide rate-limit tests (example-app/backend/tests/fleet_rate_limits.rs)
# start a real redis-server of their own.
command -v redis-server >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
}

rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
scripts/generate-bindings.sh --check
