#!/usr/bin/env bash
# Generates the uniffi bindings of the Rust core from a debug host build (bindgen reads the
# metadata embedded in the library, which a stripped release build no longer has):
#   Kotlin for Android         -> android/src/main/generated/          (committed)
#   Swift                      -> ios/Sources/JuspayCustomerCore/Generated/  (committed)
#   FFI header and modulemap   -> ios/ffi/                              (committed; packed into
#                                                                       the xcframework)
#   Kotlin for a plain JVM     -> android/jvm-tests/target/generated-uniffi/  (tests only)
#
# Usage: scripts/generate-bindings.sh           write into the tree
#        scripts/generate-bindings.sh --check   fail if the committed bindings are stale
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-write}
cargo build --quiet -p juspay-customer
case "$(uname -s)" in
  Darwin) lib=target/debug/libjuspay_customer.dylib ;;
  *) lib=target/debug/libjuspay_customer.so ;;
esac
bindgen() { cargo run --quiet -p uniffi-bindgen -- generate "$lib" --no-format "$@"; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bindgen -l kotlin -o "$out/android"
bindgen -l swift -o "$out/swift"
bindgen -l kotlin -o "$out/jvm" --config rust-core/jvm-bindings.toml

# Lay the output out as the tree holds it.
mkdir -p "$out/tree/android/src/main/generated" "$out/tree/ios/Sources/JuspayCustomerCore/Generated" "$out/tree/ios/ffi"
cp -R "$out/android/." "$out/tree/android/src/main/generated/"
cp "$out/swift/JuspayCustomerCore.swift" "$out/tree/ios/Sources/JuspayCustomerCore/Generated/"
cp "$out/swift/JuspayCustomerFFI.h" "$out/tree/ios/ffi/"
# The xcframework needs the modulemap under this exact name.
cp "$out/swift/JuspayCustomerFFI.modulemap" "$out/tree/ios/ffi/module.modulemap"

committed=(android/src/main/generated ios/Sources/JuspayCustomerCore/Generated ios/ffi)
if [ "$mode" = "--check" ]; then
  stale=0
  for dir in "${committed[@]}"; do
    if ! diff -r "$out/tree/$dir" "$dir" >/dev/null 2>&1; then
      echo "stale bindings in $dir: run scripts/generate-bindings.sh and commit the result" >&2
      stale=1
    fi
  done
  [ "$stale" = 0 ] && echo "bindings are up to date"
  exit "$stale"
fi

for dir in "${committed[@]}"; do
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  cp -R "$out/tree/$dir" "$dir"
done
rm -rf android/jvm-tests/target/generated-uniffi
mkdir -p android/jvm-tests/target/generated-uniffi
cp -R "$out/jvm/." android/jvm-tests/target/generated-uniffi/
echo "bindings written: ${committed[*]} android/jvm-tests/target/generated-uniffi"
