#!/usr/bin/env bash
# Checks the juspay-customer-core publication before it goes to Maven Central
# (.github/workflows/release.yml): the AAR holds libjuspay_customer.so for the four ABIs, the
# generated bindings and the consumer R8 rules; the POM names the license, the source, and JNA's
# AAR as a dependency.
#
#   scripts/release/check-aar.sh <maven-repo-dir> <version>
set -euo pipefail
repo_dir=${1:?usage: check-aar.sh <maven-repo-dir> <version>}
version=${2:?usage: check-aar.sh <maven-repo-dir> <version>}
base=$repo_dir/io/juspaycustomer/juspay-customer-core/$version
aar=$base/juspay-customer-core-$version.aar
pom=$base/juspay-customer-core-$version.pom
fail() { echo "check-aar.sh: $*" >&2; exit 1; }
[ -f "$aar" ] || fail "no $aar"
[ -f "$pom" ] || fail "no $pom"
[ -f "$base/juspay-customer-core-$version-sources.jar" ] || fail "no sources jar"

entries=$(unzip -Z1 "$aar")
for abi in arm64-v8a armeabi-v7a x86_64 x86; do
  grep -qx "jni/$abi/libjuspay_customer.so" <<<"$entries" || fail "the AAR has no jni/$abi/libjuspay_customer.so"
done
grep -qx proguard.txt <<<"$entries" || fail "the AAR has no consumer R8 rules (proguard.txt)"
grep -q 'keep class io.juspaycustomer.core' <<<"$(unzip -p "$aar" proguard.txt)" || fail "proguard.txt does not keep the bindings"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unzip -q -o "$aar" classes.jar -d "$tmp"
grep -qx 'io/juspaycustomer/core/CustomerClient.class' <<<"$(unzip -Z1 "$tmp/classes.jar")" || fail "classes.jar has no io.juspaycustomer.core.CustomerClient"

POM=$pom python3 - <<'PY'
import os, sys
import xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
root = ET.parse(os.environ["POM"]).getroot()
def text(path):
    el = root.find(path, ns)
    return el.text.strip() if el is not None and el.text else ""
problems = []
if text("m:licenses/m:license/m:name") != "MIT License": problems.append("no MIT license")
if not text("m:scm/m:url").startswith("https://"): problems.append("no scm url")
if not text("m:url").startswith("https://"): problems.append("no project url")
jna = [d for d in root.findall("m:dependencies/m:dependency", ns)
       if d.findtext("m:groupId", "", ns) == "net.java.dev.jna" and d.findtext("m:artifactId", "", ns) == "jna"]
if not jna or jna[0].findtext("m:type", "", ns) != "aar": problems.append("JNA is not a dependency of type aar")
if problems: sys.exit("check-aar.sh: the POM: " + ", ".join(problems))
PY
echo "check-aar.sh: juspay-customer-core $version: four ABIs, bindings, R8 rules; POM with license, source and JNA"
