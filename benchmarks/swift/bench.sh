#!/usr/bin/env bash
# The Swift benchmark's harness (Sources/SwiftBench), built and run in the Debian trixie root that
# holds the Swift toolchain (ios/Tests/linux/root.sh; made on first use, about 3.3 GB). Needs root
# (chroot, mount). Called by benchmarks/run.sh (build) and benchmarks/suite.mjs (run).
#
#   bash benchmarks/swift/bench.sh build LIBRARY.so   the harness, release, linked against LIBRARY.so
#   bash benchmarks/swift/bench.sh run latency ...    runs it; arguments as in Sources/SwiftBench
#
# Mounts are made in a private mount namespace (unshare), so they end with the command.
set -euo pipefail
cd "$(dirname "$0")/../.."

[ "$(id -u)" = 0 ] || { echo "swift/bench.sh: needs root (chroot and mount into the Swift root)" >&2; exit 1; }
# shellcheck source=../../ios/Tests/linux/root.sh
source ios/Tests/linux/root.sh
trap 'exit 130' INT TERM HUP
swift_root_acquire swift/bench.sh
work=/var/juspay-swift-bench # inside the root
host=${SWIFT_ROOT:?}$work  # the same folder, seen from here

# Runs "$@" in the root with /proc and /dev mounted, in a mount namespace of its own.
in_root() {
  # shellcheck disable=SC2016 # expanded by the inner shell, from its arguments
  unshare --mount --propagation private -- /bin/sh -c '
    root=$1; shift
    mount -t proc proc "$root/proc" && mount --bind /dev "$root/dev" &&
      exec chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"' \
    sh "$SWIFT_ROOT" "$@"
}

case "${1:-}" in
  build)
    library=${2:?usage: bench.sh build LIBRARY.so}
    [ -f "$library" ] || { echo "swift/bench.sh: no library at $library" >&2; exit 1; }
    # The package: this folder's manifest and harness, with the committed bindings copied beside
    # them. The build folder is kept for the next run.
    rm -rf "${host:?}/pkg" "${host:?}/lib"
    mkdir -p "$host/pkg/Sources" "$host/lib" "$host/build"
    cp benchmarks/swift/Package.swift "$host/pkg/"
    cp -r benchmarks/swift/Sources/SwiftBench ios/Sources/JuspayCustomerCore "$host/pkg/Sources/"
    cp -r ios/ffi "$host/pkg/FFI"
    cp "$library" "$host/lib/libjuspay_customer.so"
    in_root swift --version 2>&1 | head -n 1 >"$host/toolchain.txt"
    in_root swift build -c release --package-path "$work/pkg" --scratch-path "$work/build" \
      -Xlinker -L"$work/lib" -Xlinker -rpath -Xlinker "$work/lib" -Xswiftc -warnings-as-errors
    echo "swift/bench.sh: built with $(cat "$host/toolchain.txt")" >&2
    ;;
  run)
    shift
    binary=$work/build/release/SwiftBench
    [ -x "$SWIFT_ROOT$binary" ] || { echo "swift/bench.sh: not built (bench.sh build LIBRARY.so)" >&2; exit 1; }
    in_root "$binary" "$@" --toolchain "$(cat "$host/toolchain.txt")"
    ;;
  *)
    echo "usage: bench.sh build LIBRARY.so | bench.sh run latency ..." >&2
    exit 2
    ;;
esac
