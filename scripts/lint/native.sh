#!/usr/bin/env bash
# Lint of the hand-written Kotlin and Swift: ktlint (the pinned ktlint-cli fat jar from Maven
# Central; rules in .editorconfig) and swift-format (part of the Swift toolchain, run in the
# Debian trixie root of scripts/test.d/45-swift.sh; rules in .swift-format). Generated bindings
# are left out. Used by scripts/test.d/47-lint.sh; needs root (chroot, mount).
#
#   bash scripts/lint/native.sh          check; fails on any finding
#   bash scripts/lint/native.sh --fix    rewrite the files instead (ktlint --format, swift-format -i)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
fix=0
case "${1:-}" in
  "") ;;
  --fix) fix=1 ;;
  *) echo "native.sh: unknown argument $1 (usage: native.sh [--fix])" >&2; exit 1 ;;
esac

readonly ktlint_version=1.8.0
# What is linted. The JVM suite (android/jvm-tests) and JUnit tests are not, yet: see android/README.md.
kotlin=("android/src/main/kotlin/**/*.kt" "android/core/**/*.kt" "android/**/*.gradle.kts")
mapfile -t swift < <(find ios/Sources ios/Tests benchmarks/swift -name '*.swift' -not -path '*/Generated/*' | sort; echo Package.swift)

# ---- ktlint ---------------------------------------------------------------------------------
jar=$HOME/.m2/repository/com/pinterest/ktlint/ktlint-cli/$ktlint_version/ktlint-cli-$ktlint_version-all.jar
if [ ! -f "$jar" ]; then
  mvn --batch-mode --no-transfer-progress -q dependency:get -Dtransitive=false \
    "-Dartifact=com.pinterest.ktlint:ktlint-cli:$ktlint_version:jar:all"
fi
kt_status=0
if [ "$fix" = 1 ]; then
  java -jar "$jar" --format "${kotlin[@]}" || kt_status=$?
else
  java -jar "$jar" --relative "${kotlin[@]}" || kt_status=$?
fi
[ "$kt_status" = 0 ] && [ "$fix" = 0 ] && echo "native.sh: ktlint $ktlint_version: no findings"

# ---- swift-format ---------------------------------------------------------------------------
# shellcheck source=../../ios/Tests/linux/root.sh
source ios/Tests/linux/root.sh
trap 'exit 130' INT TERM HUP
swift_root_acquire native.sh
trap 'swift_root_unmount_all "$SWIFT_ROOT" || echo "native.sh: mounts remain under $SWIFT_ROOT" >&2' EXIT
mkdir -p "$SWIFT_ROOT/src"
mount -t proc proc "$SWIFT_ROOT/proc"
mount --bind "$repo" "$SWIFT_ROOT/src"
[ "$fix" = 1 ] || mount -o remount,bind,ro "$SWIFT_ROOT/src"
# swift-format 600 misreads absolute paths given from /: it runs from /src on relative ones.
in_root() {
  chroot "$SWIFT_ROOT" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 \
    /bin/sh -c 'cd /src && exec "$@"' sh "$@"
}
sf=/usr/libexec/swift/bin/swift-format
version=$(in_root "$sf" --version)
sw_status=0
if [ "$fix" = 1 ]; then
  in_root "$sf" format --in-place --configuration .swift-format "${swift[@]}" || sw_status=$?
else
  in_root "$sf" lint --strict --configuration .swift-format "${swift[@]}" || sw_status=$?
fi
[ "$sw_status" = 0 ] && [ "$fix" = 0 ] && echo "native.sh: swift-format $version: no findings in ${#swift[@]} files"

if [ "$kt_status" != 0 ] || [ "$sw_status" != 0 ]; then
  [ "$fix" = 1 ] || echo "native.sh: lint findings above; \`bash scripts/lint/native.sh --fix\` rewrites what the tools can" >&2
  exit 1
fi
