#!/usr/bin/env bash
# The Swift package's binary target for a release. In git, Package.swift takes the xcframework
# from `path:` (a local build, or the copy inside the npm package); a release publishes it as a
# zip on the GitHub release, and the manifest that SwiftPM users get at the release's tag names
# it with `url:` and `checksum:` instead. Used by .github/workflows/release.yml.
#
#   swiftpm-binary-target.sh zip <dir.xcframework> <out.zip>    zip it (the xcframework at the
#                                                              zip's top level); prints the checksum
#   swiftpm-binary-target.sh checksum <file.zip>                the checksum as
#                                                              `swift package compute-checksum` gives it
#   swiftpm-binary-target.sh rewrite <Package.swift> <url> <checksum>
#                                                              the JuspayCustomerFFI binaryTarget's
#                                                              `path:` becomes `url:` + `checksum:`
set -euo pipefail

die() { echo "swiftpm-binary-target.sh: $*" >&2; exit 1; }

# SwiftPM's checksum of a binary artifact is the SHA-256 of the file, in lowercase hex.
checksum() {
  [ -f "$1" ] || die "no such file: $1"
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1 # macOS
  fi
}

case "${1:-}" in
  zip)
    [ $# = 3 ] || die "usage: zip <dir.xcframework> <out.zip>"
    xcf=${2%/}
    [ -f "$xcf/Info.plist" ] || die "$xcf is not an xcframework (no Info.plist)"
    case "$xcf" in *.xcframework) ;; *) die "$xcf: the name must end in .xcframework" ;; esac
    out=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
    rm -f "$out"
    # -y keeps symlinks as links (framework bundles use them), -X leaves out extra attributes.
    (cd "$(dirname "$xcf")" && zip -q -r -y -X "$out" "$(basename "$xcf")")
    checksum "$out"
    ;;
  checksum)
    [ $# = 2 ] || die "usage: checksum <file.zip>"
    checksum "$2"
    ;;
  rewrite)
    [ $# = 4 ] || die "usage: rewrite <Package.swift> <url> <checksum>"
    manifest=$2 url=$3 sum=$4
    [[ $url =~ ^https://[^[:space:]\"]+\.zip$ ]] || die "the url must be an https address of a .zip: $url"
    [[ $sum =~ ^[0-9a-f]{64}$ ]] || die "the checksum must be 64 lowercase hex digits: $sum"
    [ -f "$manifest" ] || die "no such file: $manifest"
    MANIFEST=$manifest URL=$url SUM=$sum python3 - <<'PY'
import os, re, sys
path = os.environ["MANIFEST"]
text = open(path, encoding="utf-8").read()
pattern = re.compile(r'(\.binaryTarget\(\s*name:\s*"JuspayCustomerFFI",)(\s*)path:\s*"[^"]*"')
found = pattern.findall(text)
if len(found) != 1:
    sys.exit(f"swiftpm-binary-target.sh: expected one JuspayCustomerFFI binaryTarget with path: in {path}, found {len(found)}")
def repl(m):
    return f'{m.group(1)}{m.group(2)}url: "{os.environ["URL"]}",{m.group(2)}checksum: "{os.environ["SUM"]}"'
open(path, "w", encoding="utf-8").write(pattern.sub(repl, text))
PY
    ;;
  *)
    die "usage: swiftpm-binary-target.sh zip|checksum|rewrite … (see the comment at its top)"
    ;;
esac
