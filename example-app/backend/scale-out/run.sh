#!/usr/bin/env bash
# The scale-out test of the reference backend (too slow for every CI run; see README.md beside
# this script). Three backend instances on loopback with one TOKEN_SECRET and one standalone
# Juspay emulator, HAProxy (Debian's, installed when missing) in front with health checks on
# /healthz and retries/redispatch, and 256 devices (the Rust core in device mode, tokens minted
# on every instance) looking up their customers through HAProxy for 30 s. One instance is
# killed with SIGKILL at 10 s and started again at 20 s. Writes RESULTS.md beside this script.
#
#   bash example-app/backend/scale-out/run.sh
#
# PROFILE=debug builds faster and measures a debug build; DEVICES and SECONDS_OF_LOAD change
# the load (the kill and the restart stay at a third and two thirds of it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../../.."

profile=${PROFILE:-release}
devices=${DEVICES:-256}
seconds=${SECONDS_OF_LOAD:-30}

command -v haproxy >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null
}
command -v curl >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl >/dev/null
}

build_started=$(date +%s)
if [ "$profile" = release ]; then
  cargo build --locked --quiet --release -p merchant-backend -p juspay-sandbox -p juspay-benchmarks --bin merchant-backend --bin juspay-sandbox --bin juspay-fleet-load
else
  cargo build --locked --quiet -p merchant-backend -p juspay-sandbox -p juspay-benchmarks --bin merchant-backend --bin juspay-sandbox --bin juspay-fleet-load
fi
build_seconds=$(( $(date +%s) - build_started ))
target=$(cargo metadata --format-version 1 --no-deps --locked | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target/$profile"

run=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$run"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits for a process's ready line (`listening on http://...`) in $1 and prints the URL.
ready() {
  for _ in $(seq 600); do
    if grep -qs '^listening on ' "$1"; then
      sed -n 's/^listening on //p' "$1"
      return
    fi
    sleep 0.1
  done
  echo "scale-out: no ready line in $1" >&2
  exit 1
}

key=$(python3 -c 'import secrets; print("sk_" + secrets.token_hex(16))')
secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')

RUST_LOG=warn "$bin/juspay-sandbox" --listen 127.0.0.1:0 --api-key "$key" \
  --merchant-id scale_out_merchant --max-connections 2048 >"$run/juspay.out" 2>"$run/juspay.err" &
pids+=($!)
juspay=$(ready "$run/juspay.out")

ports=("$(free_port)" "$(free_port)" "$(free_port)")
backend_pids=(0 0 0)
start_backend() {
  local i=$1
  # Rate limits off: this measures the fleet, not the limiter. HEADER_TIMEOUT (10 s) stays
  # above HAProxy's idle keep-alive (5 s), so HAProxy closes idle connections first.
  env -u RATE_LIMIT_REDIS_URL -u METRICS_LISTEN \
    JUSPAY_API_KEY="$key" JUSPAY_BASE_URL="$juspay" JUSPAY_MERCHANT_ID=scale_out_merchant \
    TOKEN_SECRET="$secret" DEMO_SIGN_IN=true FORWARDED_HOPS=1 \
    LOOKUP_RATE_LIMIT=off SIGN_IN_RATE_LIMIT=off RUST_LOG=warn \
    "$bin/merchant-backend" --listen "127.0.0.1:${ports[$i]}" \
    >"$run/backend$i.out" 2>>"$run/backend$i.err" &
  backend_pids[i]=$!
  pids+=($!)
  ready "$run/backend$i.out" >/dev/null
}
for i in 0 1 2; do
  start_backend "$i"
done

lb_port=$(free_port)
stats_port=$(free_port)
cat >"$run/haproxy.cfg" <<EOF
global
  maxconn 4096

defaults
  mode http
  timeout connect 500ms
  timeout client 30s
  timeout server 15s
  timeout http-keep-alive 5s
  # A connection refused or reset by a dead instance, or closed without an answer, is tried
  # again, on another instance (redispatch), up to 3 times. Lookups are GETs: safe to repeat.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout
  option forwardfor

frontend api
  bind 127.0.0.1:$lb_port
  default_backend backends

backend backends
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  http-reuse safe
  default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2 maxconn 400
  server b0 127.0.0.1:${ports[0]} check
  server b1 127.0.0.1:${ports[1]} check
  server b2 127.0.0.1:${ports[2]} check

frontend stats
  bind 127.0.0.1:$stats_port
  stats enable
  stats uri /stats
EOF
haproxy -f "$run/haproxy.cfg" -db >"$run/haproxy.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$stats_port/stats;csv" 2>/dev/null | grep -q '^backends,b2,.*,UP,' && break
  sleep 0.1
done

"$bin/juspay-fleet-load" --base-url "http://127.0.0.1:$lb_port" \
  --sign-in-url "http://127.0.0.1:${ports[0]}" \
  --sign-in-url "http://127.0.0.1:${ports[1]}" \
  --sign-in-url "http://127.0.0.1:${ports[2]}" \
  --concurrency "$devices" --duration-s "$seconds" >"$run/load.json" 2>"$run/load.err" &
load=$!
pids+=($load)
# The timeline starts when the load does, once every device has signed in.
for _ in $(seq 600); do
  grep -qs '^load started' "$run/load.err" && break
  kill -0 "$load" 2>/dev/null || { cat "$run/load.err" >&2; exit 1; }
  sleep 0.1
done
sleep $(( seconds / 3 ))
# (Reaped here, so the shell does not report the kill as a job that died.)
{ kill -KILL "${backend_pids[1]}" && wait "${backend_pids[1]}"; } 2>/dev/null || true
killed_at=$(date -u +%H:%M:%S)
sleep $(( seconds / 3 ))
start_backend 1
restarted_at=$(date -u +%H:%M:%S)
wait "$load" || { cat "$run/load.err" >&2; exit 1; }

curl -sf "http://127.0.0.1:$stats_port/stats;csv" >"$run/stats.csv"
for i in 0 1 2; do
  curl -sf "http://127.0.0.1:${ports[$i]}/metrics" >"$run/metrics$i.txt"
done

python3 - "$run" "$here/RESULTS.md" "$profile" "$build_seconds" "$devices" "$seconds" "$killed_at" "$restarted_at" <<'EOF'
import csv, json, os, platform, subprocess, sys, datetime
run, out, profile, build_seconds, devices, seconds, killed_at, restarted_at = sys.argv[1:]
load = json.load(open(f"{run}/load.json"))
rows = list(csv.reader(open(f"{run}/stats.csv")))
header = [h.lstrip("# ") for h in rows[0]]
servers = [dict(zip(header, r)) for r in rows[1:] if r[0] == "backends" and r[1].startswith("b")]
total = sum(int(s["stot"]) for s in servers) or 1

def lookups_200(path):
    for line in open(path):
        if line.startswith('backend_http_requests_total{') and 'route="/customers/{id}"' in line and 'status="200"' in line:
            return int(float(line.rsplit(" ", 1)[1]))
    return 0

cpu = "unknown"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
lines = [
    "# Scale-out test: last figures",
    "",
    "Generated by `bash example-app/backend/scale-out/run.sh` (see [README.md](README.md)); do not edit.",
    "",
    f"- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
    f"- machine: {os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}; "
    "HAProxy, the emulator, three backends and the load all on this machine",
    f"- build: {profile} (this run's `cargo build`: {build_seconds} s)",
    f"- load: {devices} devices (the Rust core in device mode, one lookup in flight each) for {seconds} s "
    f"through HAProxy; instance b1 SIGKILLed at {killed_at} UTC (~{int(seconds)//3} s) and started again at {restarted_at} UTC (~{2*int(seconds)//3} s)",
    "",
    "| figure | value |",
    "|---|---|",
    f"| lookups done | {load['lookups']} ({load['lookups_per_second']:.0f}/s) |",
    f"| failed lookups | {load['failed']} {json.dumps(load['failures']) if load['failed'] else ''} |",
    f"| p50 latency | {load['p50_ms']:.1f} ms |",
    f"| p99 latency | {load['p99_ms']:.1f} ms |",
    f"| max latency | {load['max_ms']:.1f} ms |",
    "",
    "Per instance (HAProxy's counts; the backends' `/metrics` counts of `GET /customers/{id}` 200s, "
    "b1's since its restart):",
    "",
    "| instance | requests via HAProxy | share | HAProxy retries / redispatches | lookups in its /metrics |",
    "|---|---|---|---|---|",
]
for i, s in enumerate(servers):
    lines.append(
        f"| {s['svname']} | {s['stot']} | {100 * int(s['stot']) / total:.1f} % | "
        f"{s.get('wretr', '')} / {s.get('wredis', '')} | {lookups_200(f'{run}/metrics{i}.txt')} |"
    )
lines += [
    "",
    "Lookups per second of the run (the kill at ~1/3, the restart at ~2/3):",
    "",
    "```",
    " ".join(str(n) for n in load["per_second"]),
    "```",
    "",
    "Failed lookups per second:",
    "",
    "```",
    " ".join(str(n) for n in load["failed_per_second"]),
    "```",
    "",
]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
EOF
