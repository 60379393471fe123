#!/usr/bin/env bash
# Runs the Swift package's XCTests on an iOS simulator against the Rust scenario server, which
# plays the shared vectors over loopback. The simulator cannot start processes, so the server
# runs here on the Mac and the tests get its URL through xcodebuild's TEST_RUNNER_ variables.
#
# macOS with Xcode; needs ios/Frameworks/JuspayCustomerFFI.xcframework
# (scripts/build-xcframework.sh). Usage: ios/Tests/run-on-simulator.sh [simulator UDID]
# Written for the bash 3.2 that macOS ships.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(uname -s)" != "Darwin" ]; then
  echo "run-on-simulator.sh needs macOS with Xcode" >&2
  exit 1
fi
if [ ! -d ios/Frameworks/JuspayCustomerFFI.xcframework ]; then
  echo "ios/Frameworks/JuspayCustomerFFI.xcframework is missing: run scripts/build-xcframework.sh" >&2
  exit 1
fi

# The newest available iPhone simulator, unless one is named.
udid=${1:-$(xcrun simctl list devices available --json | python3 -c '
import json, sys
runtimes = json.load(sys.stdin)["devices"]
def version(runtime):
    return [int(p) for p in runtime.rsplit("iOS-", 1)[-1].split("-") if p.isdigit()]
for runtime in sorted((r for r in runtimes if ".iOS-" in r), key=version, reverse=True):
    phones = [d for d in runtimes[runtime] if d["name"].startswith("iPhone")]
    if phones:
        print(phones[0]["udid"])
        break
')}
if [ -z "$udid" ]; then
  echo "no available iPhone simulator (xcodebuild -downloadPlatform iOS installs one)" >&2
  exit 1
fi

cargo build --locked -p juspay-scenario-server
work=$(mktemp -d)
server_pid=""
cleanup() {
  exec 3>&- || true
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
# The server stops when its stdin closes: hold a FIFO open for as long as the tests run.
mkfifo "$work/stdin"
target/debug/juspay-scenario-server --listen 127.0.0.1:0 <"$work/stdin" >"$work/server.log" 2>&1 &
server_pid=$!
exec 3>"$work/stdin"
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$work/server.log" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "the scenario server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
echo "scenario server at $url; simulator $udid"

# With one package and two library products, Xcode names the all-targets scheme <name>-Package.
scheme=CapacitorJuspayCustomer-Package
if ! xcodebuild -list 2>/dev/null | grep -qx "[[:space:]]*$scheme"; then
  scheme=CapacitorJuspayCustomer
fi

TEST_RUNNER_JUSPAY_SCENARIO_SERVER="$url" \
TEST_RUNNER_JUSPAY_VECTORS_DIR="$PWD/rust-core/tests/vectors" \
TEST_RUNNER_JUSPAY_PLUGIN_CALLS="$PWD/src-ts/contract/plugin-calls.json" \
  xcodebuild test \
    -scheme "$scheme" \
    -destination "platform=iOS Simulator,id=$udid" \
    -parallel-testing-enabled NO
