#!/usr/bin/env bash
# The Debian trixie root that holds the Swift toolchain on Linux (Debian trixie packages swiftlang
# 6.0.3; the host's bookworm has none). Sourced by scripts/test.d/45-swift.sh; needs root.
#
# The root lives outside the clone (CI clones afresh every run; a root is about 2.7 GB), at
# $JUSPAY_SWIFT_ROOT or /var/cache/juspay-customer/swift-trixie. It is made in "$ROOT.partial"
# and renamed only when complete, so a run that died halfway leaves no root that looks usable;
# the next run unmounts whatever is left mounted in the partial one and starts it again.
# Sourced: the caller sets the shell options (set -euo pipefail).

SWIFT_ROOT=${JUSPAY_SWIFT_ROOT:-/var/cache/juspay-customer/swift-trixie}
SWIFT_PACKAGES="swiftlang libc6-dev libstdc++-14-dev libcurl4-openssl-dev libxml2-dev ca-certificates"

# Unmounts every mount at or below $1, deepest first. Returns non-zero if any is left.
swift_root_unmount_all() {
  local dir mounts m
  dir=$(realpath -m "$1")
  mounts=$(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r)
  for m in $mounts; do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
  ! awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { found = 1 } END { exit !found }' /proc/self/mounts
}

# Creates the root when it is missing; reuses it otherwise.
swift_root_ensure() {
  # The marker is written last, once the toolchain is installed (usr/bin/swift is an absolute
  # symlink, meaningful only inside the root).
  if [ -f "$SWIFT_ROOT/.juspay-swift-root-complete" ]; then
    return 0
  fi
  if [ -e "$SWIFT_ROOT" ]; then
    echo "45-swift: $SWIFT_ROOT exists but is not a complete Swift root; remove it or set JUSPAY_SWIFT_ROOT" >&2
    return 1
  fi
  [ "$(id -u)" = 0 ] || { echo "45-swift: creating the Swift root needs root (debootstrap, chroot)" >&2; return 1; }
  local partial="$SWIFT_ROOT.partial"
  if [ -e "$partial" ]; then
    echo "45-swift: removing the unfinished root $partial of an earlier run"
    swift_root_unmount_all "$partial" || { echo "45-swift: mounts remain under $partial; not removing it" >&2; return 1; }
    rm -rf --one-file-system "$partial"
  fi
  command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  mkdir -p "$(dirname "$SWIFT_ROOT")"
  echo "45-swift: creating the trixie root in $partial (debootstrap, then swiftlang)"
  local started=$SECONDS
  debootstrap --variant=minbase trixie "$partial" >"$partial.log" 2>&1 || {
    tail -20 "$partial.log" >&2; swift_root_unmount_all "$partial" || true; return 1; }
  # apt inside the root: its maintainer scripts want /proc. Unmounted on any exit of the subshell.
  (
    trap 'swift_root_unmount_all "$partial"' EXIT
    trap 'exit 130' INT TERM HUP
    mount -t proc proc "$partial/proc"
    chroot "$partial" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086 # a word list on purpose
    chroot "$partial" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends $SWIFT_PACKAGES >>"$partial.log" 2>&1
    chroot "$partial" apt-get clean
  ) || { tail -20 "$partial.log" >&2; return 1; }
  swift_root_unmount_all "$partial" || { echo "45-swift: mounts remain under $partial" >&2; return 1; }
  touch "$partial/.juspay-swift-root-complete"
  mv "$partial.log" "$partial/.juspay-swift-root.log"
  mv "$partial" "$SWIFT_ROOT"
  echo "45-swift: the root $SWIFT_ROOT is ready after $(( SECONDS - started )) s"
}

# For the other stages that run tools in the root (55-package, scripts/lint/native.sh): one run
# at a time (flock on fd 9, held until the calling shell exits), the root made when missing, and
# nothing left mounted by a run killed outright. $1 names the caller in messages.
swift_root_acquire() {
  mkdir -p "$(dirname "$SWIFT_ROOT")"
  exec 9>"$SWIFT_ROOT.lock"
  flock 9
  swift_root_ensure
  swift_root_unmount_all "$SWIFT_ROOT" || { echo "$1: cannot unmount what is left under $SWIFT_ROOT" >&2; return 1; }
}
