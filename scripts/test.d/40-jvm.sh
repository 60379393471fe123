#!/usr/bin/env bash
# JVM: the Android library's Kotlin, run for real. First the JVM variant of the generated bindings
# and the plugin's adapter, through the host debug build of the Rust core (JNA), against the real
# scenario server and test servers on loopback. Then the shipped source set (Android variant of the
# bindings, plugin, adapter) compiled against Android 14's framework jar, androidx.annotation and
# @capacitor/android's own classes, and android/src/test run on it under Robolectric. Maven keeps
# what it downloads (the 145 MB android-all jar included) in its local repository (~/.m2).
# See android/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

# The core's host library and the vector player (no-ops when the Rust stage built them).
cargo build --locked --quiet -p juspay-customer -p juspay-scenario-server
# A clean slate, then the bindings: this also writes the JVM variant, which lives only in target/.
rm -rf android/jvm-tests/target android/jvm-tests/robolectric/target
scripts/generate-bindings.sh

# @capacitor/android ships Java sources on npm: the root devDependency when installed, else the
# same version fetched beside the tests.
capacitor=node_modules/@capacitor/android
if [ ! -d "$capacitor/capacitor/src/main/java" ]; then
  version=$(node -p "require('./package.json').devDependencies?.['@capacitor/android'] ?? ''")
  [ -n "$version" ] || { echo "40-jvm: package.json has no @capacitor/android devDependency" >&2; exit 1; }
  prefix=android/jvm-tests/target/npm
  mkdir -p "$prefix"
  npm install --silent --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    --prefix "$prefix" "@capacitor/android@$version"
  capacitor=$prefix/node_modules/@capacitor/android
fi

for pom in android/jvm-tests/pom.xml android/jvm-tests/robolectric/pom.xml; do
  mvn --batch-mode --no-transfer-progress -f "$pom" test -Dcapacitor.android.dir="$PWD/$capacitor"
done
