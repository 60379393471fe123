#!/usr/bin/env bash
# Lint besides TypeScript's (30-typescript): the hand-written Kotlin (ktlint) and Swift
# (swift-format, from the Swift root of 45-swift.sh, made there when missing) through
# scripts/lint/native.sh; the Gradle scripts of android/ parsed as Groovy; and the GitHub
# workflows with actionlint, which runs shellcheck (Debian's) over their run: scripts. Needs root (chroot, mount; apt-get when shellcheck is missing).
set -euo pipefail
cd "$(dirname "$0")/../.."

bash scripts/lint/native.sh

# The Gradle scripts of android/ (no Gradle or Android SDK here): at least they must parse.
readonly groovy_version=4.0.24
groovy=$HOME/.m2/repository/org/apache/groovy/groovy/$groovy_version/groovy-$groovy_version.jar
if [ ! -f "$groovy" ]; then
  mvn --batch-mode --no-transfer-progress -q dependency:get -Dtransitive=false "-Dartifact=org.apache.groovy:groovy:$groovy_version"
fi
mapfile -t gradle_scripts < <(find android -name '*.gradle' -not -path '*/build/*' -not -path '*/jvm-tests/*' | sort)
java -cp "$groovy" groovy.ui.GroovyMain scripts/lint/parse-gradle.groovy "${gradle_scripts[@]}"

# actionlint, built from its Go module at a pinned version, kept outside the clone.
readonly actionlint_version=v1.7.12
cache=/var/cache/juspay-customer/go
actionlint=$cache/bin/actionlint-$actionlint_version
if [ ! -x "$actionlint" ]; then
  # The polyglot machines keep Go here, not always on PATH.
  [ -d /usr/local/go/bin ] && export PATH="/usr/local/go/bin:$PATH"
  command -v go >/dev/null || { echo "47-lint: needs Go to build actionlint" >&2; exit 1; }
  mkdir -p "$cache"
  (cd /tmp && GOPATH=$cache GOBIN=$cache/bin GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_version")
  mv "$cache/bin/actionlint" "$actionlint"
fi
command -v shellcheck >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null; }
"$actionlint" -shellcheck "$(command -v shellcheck)" .github/workflows/*.yml
echo "47-lint: actionlint $actionlint_version (with $(shellcheck --version | sed -n 's/^version: //p' | sed 's/^/shellcheck /')): no findings in $(ls .github/workflows/*.yml | wc -l) workflows"
