#!/usr/bin/env bash
# Cross-platform contract: the TypeScript API, the Kotlin and Swift plugins, the Rust core, the
# generated bindings, the shared vectors and the packaging name things the same way. Python 3
# standard library only; it reads sources and builds nothing (bindings freshness is 10-rust's).
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s scripts/contract -p 'test_*.py' -v
