#!/usr/bin/env bash
# Shipping: the npm pack guard, and the Swift package's release manifest.
#  1. scripts/package/native-payloads.test.mjs (node's test runner, the real npm): packing or
#     publishing without the Android libraries and the xcframework fails and names each one;
#     with stand-ins it packs and lists them; `npm run pack:no-native` makes an unpublishable,
#     marked package.
#  2. scripts/release/swiftpm-binary-target.sh against SwiftPM itself, in the Swift root of
#     45-swift.sh (made there when missing): the checksum of a zipped stand-in xcframework is
#     what `swift package compute-checksum` computes, and the rewritten Package.swift loads in
#     `swift package dump-package` with that url and checksum. Needs root (chroot, mount).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

node --test scripts/package/

[ "$(id -u)" = 0 ] || { echo "55-package: needs root (chroot and mount into the Swift root)" >&2; exit 1; }
command -v zip >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zip >/dev/null; }

# shellcheck source=../../ios/Tests/linux/root.sh
source ios/Tests/linux/root.sh
trap 'exit 130' INT TERM HUP
swift_root_acquire 55-package

work=$SWIFT_ROOT/var/juspay-package
cleanup() {
  swift_root_unmount_all "$SWIFT_ROOT" || echo "55-package: mounts remain under $SWIFT_ROOT" >&2
  rm -rf "$work"
}
trap cleanup EXIT
rm -rf "$work"
mkdir -p "$work/xcf/JuspayCustomerFFI.xcframework/ios-arm64/Headers" "$work/released" "$work/local"
mount -t proc proc "$SWIFT_ROOT/proc"
mount --bind /dev "$SWIFT_ROOT/dev"
in_root() {
  chroot "$SWIFT_ROOT" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"
}
script=$repo/scripts/release/swiftpm-binary-target.sh
fail() { echo "55-package: $*" >&2; exit 1; }

# A stand-in xcframework: what is zipped matters to the checksum, not what it holds.
xcf=$work/xcf/JuspayCustomerFFI.xcframework
printf '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict/></plist>\n' >"$xcf/Info.plist"
head -c 65536 /dev/urandom >"$xcf/ios-arm64/libjuspay_customer.a"
cp ios/ffi/JuspayCustomerFFI.h ios/ffi/module.modulemap "$xcf/ios-arm64/Headers/"
ln -s libjuspay_customer.a "$xcf/ios-arm64/liblink.a"

ours=$(bash "$script" zip "$xcf" "$work/JuspayCustomerFFI.xcframework.zip")
swiftpm=$(in_root swift package compute-checksum /var/juspay-package/JuspayCustomerFFI.xcframework.zip)
echo "55-package: checksum $ours (ours), $swiftpm (swift package compute-checksum)"
[ "$ours" = "$swiftpm" ] || fail "the checksums differ"
[ "$(bash "$script" checksum "$work/JuspayCustomerFFI.xcframework.zip")" = "$ours" ] || fail "checksum and zip disagree"
# The xcframework is the zip's top-level entry, and the symlink stayed a link.
unzip -Z1 "$work/JuspayCustomerFFI.xcframework.zip" | grep -x 'JuspayCustomerFFI.xcframework/Info.plist' >/dev/null ||
  fail "the zip does not hold JuspayCustomerFFI.xcframework/ at its top level"
unzip -Z -l "$work/JuspayCustomerFFI.xcframework.zip" | grep '^l.*liblink.a' >/dev/null || fail "the zip did not keep a symlink"
# A changed library is a changed checksum, for SwiftPM as for the script.
printf x >>"$xcf/ios-arm64/libjuspay_customer.a"
changed=$(bash "$script" zip "$xcf" "$work/JuspayCustomerFFI.xcframework.zip")
[ "$changed" != "$ours" ] || fail "a changed xcframework kept its checksum"
[ "$changed" = "$(in_root swift package compute-checksum /var/juspay-package/JuspayCustomerFFI.xcframework.zip)" ] ||
  fail "the checksums differ after a change"

# The committed manifest: the xcframework by path (local builds, the npm package).
binary() { python3 -c '
import json, sys
t = [t for t in json.load(sys.stdin)["targets"] if t["name"] == "JuspayCustomerFFI"][0]
print(t["type"], t.get("path"), t.get("url"), t.get("checksum"))'; }
cp Package.swift "$work/local/"
[ "$(in_root sh -c 'cd /var/juspay-package/local && swift package dump-package' | binary)" = \
  "binary ios/Frameworks/JuspayCustomerFFI.xcframework None None" ] || fail "Package.swift does not take the xcframework by path"
# The release's manifest: url and checksum, as SwiftPM reads them.
url=https://github.com/example/capacitor-juspay-customer/releases/download/v9.9.9/JuspayCustomerFFI.xcframework.zip
cp Package.swift "$work/released/"
bash "$script" rewrite "$work/released/Package.swift" "$url" "$changed"
loaded=$(in_root sh -c 'cd /var/juspay-package/released && swift package dump-package' | binary)
echo "55-package: released manifest: $loaded"
[ "$loaded" = "binary None $url $changed" ] || fail "the rewritten Package.swift does not load with that url and checksum"
# Refused: a second rewrite (no path: left), a bad checksum, a non-https url.
! bash "$script" rewrite "$work/released/Package.swift" "$url" "$changed" 2>/dev/null || fail "rewrote twice"
cp Package.swift "$work/released/"
! bash "$script" rewrite "$work/released/Package.swift" "$url" "${changed^^}" 2>/dev/null || fail "took an uppercase checksum"
! bash "$script" rewrite "$work/released/Package.swift" "${url/https/http}" "$changed" 2>/dev/null || fail "took an http url"
cmp -s Package.swift "$work/released/Package.swift" || fail "a refused rewrite changed the manifest"
echo "55-package: the release manifest's checksum and url pass SwiftPM"

# The release workflow's check of the AAR publication, on a stand-in Maven layout: the real
# consumer rules, a stand-in class and libraries, a POM as maven-publish writes one.
aar_repo=$work/maven-repo
make_aar() { # $1: ABIs to include, $2: JNA's <type>
  local base=$aar_repo/io/juspaycustomer/juspay-customer-core/9.9.9 tree=$work/aar-tree
  rm -rf "$aar_repo" "$tree"
  mkdir -p "$base" "$tree/io/juspaycustomer/core"
  for abi in $1; do mkdir -p "$tree/jni/$abi"; printf 'ELF' >"$tree/jni/$abi/libjuspay_customer.so"; done
  cp android/consumer-rules.pro "$tree/proguard.txt"
  printf 'class' >"$tree/io/juspaycustomer/core/CustomerClient.class"
  (cd "$tree" && zip -q -r classes.jar io && rm -rf io && zip -q -r "$base/juspay-customer-core-9.9.9.aar" .)
  printf 'sources' >"$base/juspay-customer-core-9.9.9-sources.jar"
  cat >"$base/juspay-customer-core-9.9.9.pom" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.juspaycustomer</groupId><artifactId>juspay-customer-core</artifactId><version>9.9.9</version>
  <url>https://github.com/example/capacitor-juspay-customer</url>
  <licenses><license><name>MIT License</name></license></licenses>
  <scm><url>https://github.com/example/capacitor-juspay-customer</url></scm>
  <dependencies>
    <dependency><groupId>net.java.dev.jna</groupId><artifactId>jna</artifactId><version>5.18.1</version><type>$2</type></dependency>
  </dependencies>
</project>
POM
}
make_aar "arm64-v8a armeabi-v7a x86_64 x86" aar
bash scripts/release/check-aar.sh "$aar_repo" 9.9.9
make_aar "arm64-v8a armeabi-v7a x86_64" aar
! bash scripts/release/check-aar.sh "$aar_repo" 9.9.9 2>/dev/null || fail "check-aar.sh took an AAR without x86"
make_aar "arm64-v8a armeabi-v7a x86_64 x86" jar
! bash scripts/release/check-aar.sh "$aar_repo" 9.9.9 2>/dev/null || fail "check-aar.sh took JNA's jar"
echo "55-package: check-aar.sh takes a complete publication and refuses incomplete ones"
