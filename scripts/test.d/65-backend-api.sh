#!/usr/bin/env bash
# The reference backend's HTTP API against its own OpenAPI document: schemathesis (PyPI, pinned,
# in a venv cached under /var/cache/juspay-customer/) sends a live backend (embedded emulator, a
# signed-in device token) schema-based requests, valid and invalid, at most
# BACKEND_API_EXAMPLES (default 100) per operation and phase, and fails on any 5xx, any status,
# content type, header or body the document does not describe.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=4.32.5
examples=${BACKEND_API_EXAMPLES:-100}
venv=/var/cache/juspay-customer/schemathesis-$version

if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv --help >/dev/null 2>&1 || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  }
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

cargo build --locked --quiet -p merchant-backend
target=$(cargo metadata --format-version 1 --no-deps --locked | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')

run=$(mktemp -d)
backend_pid=
cleanup() {
  if [ -n "$backend_pid" ]; then
    kill -TERM "$backend_pid" 2>/dev/null || true
    wait "$backend_pid" 2>/dev/null || true
  fi
  rm -rf "$run"
}
trap cleanup EXIT

# Rate limits off: with them on, the fuzzer would mostly see (documented) 429s. The sandbox's
# fault header stays off, as in production.
env -u JUSPAY_API_KEY -u JUSPAY_BASE_URL -u DEMO_SIGN_IN -u RATE_LIMIT_REDIS_URL -u METRICS_LISTEN \
  TOKEN_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(32))')" \
  LOOKUP_RATE_LIMIT=off SIGN_IN_RATE_LIMIT=off RUST_LOG=warn \
  "$target/debug/merchant-backend" --listen 127.0.0.1:0 >"$run/out" 2>"$run/err" &
backend_pid=$!
for _ in $(seq 300); do
  grep -qs '^listening on ' "$run/out" && break
  kill -0 "$backend_pid" 2>/dev/null || { cat "$run/err" >&2; exit 1; }
  sleep 0.1
done
base=$(sed -n 's/^listening on //p' "$run/out")
[ -n "$base" ] || { echo "65-backend-api: the backend did not start" >&2; cat "$run/err" >&2; exit 1; }

token=$(curl -sf -X POST "$base/auth/device-token" -H 'Content-Type: application/json' \
  -d '{"customer_id": "customer"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

# The served document is the committed one (tests/openapi.rs checks that); fuzz what is served.
started=$(date +%s)
# From the scratch folder: schemathesis keeps a cache (.schemathesis/) in its working directory.
if ! (cd "$run" && "$venv/bin/st" run "$base/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --max-examples "$examples" \
  --workers 2 \
  --request-timeout 15 \
  --generation-database none \
  --no-color >"$run/st.log" 2>&1); then
  cp "$run/st.log" /tmp/st-last.log
  cat "$run/st.log" >&2
  echo "65-backend-api: schemathesis found a problem (above); the backend's log:" >&2
  tail -n 50 "$run/err" >&2
  exit 1
fi
[ -z "${BACKEND_API_LOG:-}" ] || cp "$run/st.log" "$BACKEND_API_LOG"
cases=$(grep -oE '[0-9]+ generated, [0-9]+ passed' "$run/st.log" | tail -n 1 || true)
seed=$(grep -oE '^Seed: [0-9]+' "$run/st.log" | tail -n 1 || true)
echo "65-backend-api: schemathesis $version, up to $examples examples per operation, in $(( $(date +%s) - started ))s: $cases, no failures ($seed)"
