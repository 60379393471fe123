#!/usr/bin/env bash
# Swift, compiled and run for real on Linux: the generated bindings, the hand-written extension
# beside them and every Capacitor-free file of the plugin, with the Swift 6.0.3 toolchain of a
# Debian trixie root, linked against the host debug build of the core; then the XCTests of
# ios/Tests over loopback (the scenario server plays the shared vectors; the plugin-call cases
# run against a server in the test process). JuspayCustomerPlugin.swift is compiled against
# checked stand-ins of the Capacitor types it uses. Needs root (debootstrap, chroot, mount).
#
# The root is kept outside the clone, at $JUSPAY_SWIFT_ROOT or
# /var/cache/juspay-customer/swift-trixie, made on the first run (about 3.3 GB) and reused by
# later ones. See ios/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

[ "$(id -u)" = 0 ] || { echo "45-swift: needs root (chroot and mount into the Swift root)" >&2; exit 1; }

# The core's host library and the vector player (no-ops when the Rust stage built them).
cargo build --locked --quiet -p juspay-customer -p juspay-scenario-server
target=$(cargo metadata --format-version 1 --no-deps --locked | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug

# shellcheck source=../../ios/Tests/linux/root.sh
source ios/Tests/linux/root.sh
mkdir -p "$(dirname "$SWIFT_ROOT")"
# One run at a time per root: creation, mounts and the build folder inside it are shared.
exec 9>"$SWIFT_ROOT.lock"
flock 9
# A signal ends the script through `exit`, so the EXIT traps below (unmounting) run.
trap 'exit 130' INT TERM HUP
swift_root_ensure
# What a run killed outright (SIGKILL) left mounted.
swift_root_unmount_all "$SWIFT_ROOT" || { echo "45-swift: cannot unmount what is left under $SWIFT_ROOT" >&2; exit 1; }

# The Capacitor iOS sources the stand-ins are checked against: the root devDependency when
# installed, else the same version fetched beside the tests (as 40-jvm does for Android).
capacitor=node_modules/@capacitor/ios
if [ ! -f "$capacitor/package.json" ]; then
  version=$(node -p "require('./package.json').devDependencies?.['@capacitor/ios'] ?? ''")
  [ -n "$version" ] || { echo "45-swift: package.json has no @capacitor/ios devDependency" >&2; exit 1; }
  prefix=target/swift-stage/npm # outside ios/: scripts/contract reads every .swift there
  if [ ! -f "$prefix/node_modules/@capacitor/ios/package.json" ] ||
     [ "$(node -p "require('./$prefix/node_modules/@capacitor/ios/package.json').version")" != "$version" ]; then
    mkdir -p "$prefix"
    npm install --silent --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
      --prefix "$prefix" "@capacitor/ios@$version"
  fi
  capacitor=$prefix/node_modules/@capacitor/ios
fi
python3 ios/Tests/CapacitorStandIns/check_stand_ins.py "$capacitor"

# The package, inside the root: the Linux manifest, symlinks into the repository (bind-mounted
# read-only at /src), and Bridge/, the whole plugin with the attributes that need the
# Objective-C runtime (absent on Linux) taken out. The build folder is kept for the next run.
work=$SWIFT_ROOT/var/juspay-swift
rm -rf "$work/pkg" "$work/lib"
mkdir -p "$work/pkg/Sources" "$work/pkg/Tests" "$work/pkg/Bridge" "$work/lib" "$work/build"
cp ios/Tests/linux/Package.swift "$work/pkg/"
ln -s /src/ios/ffi "$work/pkg/FFI"
ln -s /src/ios/Sources/JuspayCustomerCore "$work/pkg/Sources/JuspayCustomerCore"
ln -s /src/ios/Sources/JuspayCustomerPlugin "$work/pkg/Sources/JuspayCustomerPlugin"
ln -s /src/ios/Tests/CapacitorStandIns "$work/pkg/CapacitorStandIns"
ln -s /src/ios/Tests/JuspayCustomerPluginTests "$work/pkg/Tests/JuspayCustomerPluginTests"
for file in ios/Sources/JuspayCustomerPlugin/*.swift; do
  sed -E 's/@objc(\([A-Za-z_]+\))?( |$)//' "$file" >"$work/pkg/Bridge/$(basename "$file")"
done
! grep -n "@objc" "$work/pkg/Bridge/"*.swift || { echo "45-swift: @objc left in Bridge/" >&2; exit 1; }
cp "$target/libjuspay_customer.so" "$work/lib/"

server_pid=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  swift_root_unmount_all "$SWIFT_ROOT" || echo "45-swift: mounts remain under $SWIFT_ROOT" >&2
  rm -rf "${tmp:-}"
}
trap cleanup EXIT
tmp=$(mktemp -d)

# The scenario server runs on the host: the root shares its network. It stops when its stdin
# closes, so a FIFO is held open for as long as the tests run.
mkfifo "$tmp/stdin"
"$target/juspay-scenario-server" --listen 127.0.0.1:0 <"$tmp/stdin" >"$tmp/server.log" 2>&1 &
server_pid=$!
exec 3>"$tmp/stdin"
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$tmp/server.log" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "45-swift: the scenario server did not start:" >&2; cat "$tmp/server.log" >&2; exit 1; }

# What the toolchain needs inside the root; unmounted by cleanup on any exit.
mkdir -p "$SWIFT_ROOT/src"
mount -t proc proc "$SWIFT_ROOT/proc"
mount --bind /dev "$SWIFT_ROOT/dev"
mount --bind "$repo" "$SWIFT_ROOT/src"
mount -o remount,bind,ro "$SWIFT_ROOT/src"

in_root() {
  chroot "$SWIFT_ROOT" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 \
    JUSPAY_SCENARIO_SERVER="$url" JUSPAY_VECTORS_DIR=/src/rust-core/tests/vectors \
    JUSPAY_PLUGIN_CALLS=/src/src-ts/contract/plugin-calls.json \
    "$@"
}
link=(-Xlinker -L/var/juspay-swift/lib -Xlinker -rpath -Xlinker /var/juspay-swift/lib)
swiftpm=(--package-path /var/juspay-swift/pkg --scratch-path /var/juspay-swift/build)
in_root swift --version 2>&1 | head -n 1
# Every target (the bridge against the stand-ins included), warnings as errors, then the tests.
in_root swift build "${swiftpm[@]}" "${link[@]}" -Xswiftc -warnings-as-errors --build-tests
if in_root swift test "${swiftpm[@]}" "${link[@]}" -Xswiftc -warnings-as-errors 2>&1 | tee "$tmp/test.log"; then
  status=0
else
  status=$?
fi
summary=$(grep -E "Executed [0-9]+ tests?, with" "$tmp/test.log" | tail -n 1 || true)
[ "$status" = 0 ] || { echo "45-swift: swift test failed ($status)" >&2; exit 1; }
echo "$summary" | grep -Eq "Executed [1-9][0-9]* tests?, with 0 failures" ||
  { echo "45-swift: no passing XCTest summary: $summary" >&2; exit 1; }
if echo "$summary" | grep -q "skipped"; then
  echo "45-swift: tests were skipped: $summary" >&2
  exit 1
fi
echo "45-swift: $summary"
