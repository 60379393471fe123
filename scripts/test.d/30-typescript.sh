#!/usr/bin/env bash
# TypeScript plugin package: install exactly the lock file, lint (eslint, prettier, tsc over the
# tests), build (docgen, tsc, rollup), then vitest: every shared vector against the web
# implementation over loopback HTTP, the token client, and the npm package itself (contents,
# source maps, SSR import of the built files, size budget).
set -euo pipefail
cd "$(dirname "$0")/../.."

npm ci --no-audit --no-fund
npm run lint

# docgen writes the README's API section from src-ts/definitions.ts: a stale one fails here.
readme_before=$(mktemp)
trap 'rm -f "$readme_before"' EXIT
cp README.md "$readme_before"
npm run build
if ! cmp -s README.md "$readme_before"; then
  echo "README.md's API section did not match src-ts/definitions.ts; the build has rewritten it: commit README.md" >&2
  exit 1
fi

npm test
npm run --silent size
