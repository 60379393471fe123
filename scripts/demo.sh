#!/usr/bin/env bash
# The demo: builds what is missing, starts the reference merchant backend (with its embedded
# Juspay sandbox emulator: no API key, no network) and the example app's web server on
# 127.0.0.1, prints the URL to open, and stops both on Ctrl-C.
#
#   bash scripts/demo.sh                     app on :5173, backend on :8787
#   APP_PORT=8080 BACKEND_PORT=9000 bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"

APP_PORT=${APP_PORT:-5173}
BACKEND_PORT=${BACKEND_PORT:-8787}
backend_url="http://127.0.0.1:$BACKEND_PORT"
app_url="http://127.0.0.1:$APP_PORT"

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
# Runs a build step quietly; on failure shows everything it printed.
quietly() {
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "demo: failed: $*" >&2
    return 1
  fi
  rm -f "$log"
}

# ---- install and build what is missing ------------------------------------------------------
if [ ! -f dist/esm/index.js ]; then
  step "building the plugin package (npm ci, npm run build)"
  quietly npm ci --no-audit --no-fund
  quietly npm run build
fi
# npm writes node_modules/.package-lock.json on install: older than the lock file means stale.
if [ ! -f example-app/node_modules/.package-lock.json ] ||
  [ example-app/package-lock.json -nt example-app/node_modules/.package-lock.json ]; then
  step "installing the example app (npm ci)"
  (cd example-app && quietly npm ci --no-audit --no-fund)
fi
step "building the reference backend (cargo build)"
cargo build --locked --quiet -p merchant-backend
backend_bin="$(cargo metadata --format-version 1 --no-deps --locked |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).target_directory))')/debug/merchant-backend"
step "building the app (vite build)"
# The app's default backend URL; Settings in the app can change it later.
(cd example-app && export VITE_BACKEND_URL=$backend_url && quietly npm run build)

# ---- start both, stop both ------------------------------------------------------------------
run_dir=$(mktemp -d)
backend_pid=
app_pid=
stop() {
  trap - EXIT INT TERM
  for pid in $app_pid $backend_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $app_pid $backend_pid; do
    # Each gets a few seconds to finish what it is doing, then is killed.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$run_dir"
}
trap 'stop; echo; echo "demo stopped"; exit 0' INT TERM
trap stop EXIT

# Waits until `file` has a line matching `pattern`, or fails if `pid` died or 30 s passed.
wait_for() {
  local pid=$1 file=$2 pattern=$3 what=$4
  for _ in $(seq 300); do
    if grep -qE "$pattern" "$file" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "demo: the $what did not start" >&2
      cat "$file" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  echo "demo: the $what did not start within 30 s" >&2
  return 1
}

# The servers run in their own sessions, so Ctrl-C reaches only this script, whose trap stops
# them in order (otherwise the terminal's SIGINT races the trap).
step "starting the backend on $backend_url"
# No JUSPAY_API_KEY: the backend starts its embedded emulator and the demo sign-in. Its log
# (one line per request, with the request id; no customer data) shows in this terminal.
env -u JUSPAY_API_KEY -u JUSPAY_BASE_URL -u SANDBOX_SEED -u DEMO_SIGN_IN \
  CORS_ORIGINS="$app_url,http://localhost:$APP_PORT" \
  setsid "$backend_bin" --listen "127.0.0.1:$BACKEND_PORT" >"$run_dir/backend.out" &
backend_pid=$!
if ! wait_for "$backend_pid" "$run_dir/backend.out" '^listening on ' backend; then
  echo "demo: is port $BACKEND_PORT taken? Try BACKEND_PORT=8788 bash scripts/demo.sh" >&2
  exit 1
fi

step "starting the app on $app_url"
(cd example-app && exec setsid node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port "$APP_PORT" --strictPort) \
  >"$run_dir/app.log" 2>&1 &
app_pid=$!
if ! wait_for "$app_pid" "$run_dir/app.log" 'Local:' 'app server'; then
  echo "demo: is port $APP_PORT taken? Try APP_PORT=5174 bash scripts/demo.sh" >&2
  exit 1
fi

demo_ids=$(grep -oE "^  '[^']+'" example-app/src/demo-customers.ts | tr -d "' " | paste -sd ' ')
cat <<EOF

  Customer lookup demo is running.

    Open        $app_url   (a phone-sized window suits it best)
    Backend     $backend_url   (reference merchant backend + embedded Juspay sandbox emulator)

  Sign in as a demo customer, then look them up by Juspay id (cst_…) or reference id:
    $demo_ids
  Then try: another customer's id (FORBIDDEN), an id of 301 characters or ".." (refused before
  any request), Settings with a wrong port (NETWORK, with Try again).

  Press Ctrl-C to stop.

EOF
# Runs until Ctrl-C (the INT trap stops both), or until either server exits on its own.
wait -n "$backend_pid" "$app_pid" || true
echo "demo: a server stopped unexpectedly; stopping the other" >&2
exit 1
