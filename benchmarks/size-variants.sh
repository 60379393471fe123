#!/usr/bin/env bash
# Rebuilds the release-mobile host cdylib with other size settings and prints each size, to see
# what a setting buys before adopting it. Each variant is a full fat-LTO build in its own target
# dir (about 3 minutes each on 2 cores); not part of run.sh.
#
#   bash benchmarks/size-variants.sh               the variants below
#   bash benchmarks/size-variants.sh NAME ENV...   one variant, e.g. opt-s CARGO_PROFILE_RELEASE_MOBILE_OPT_LEVEL=s
#
# The linker flags need lld (rustc's default linker on x86_64 Linux since 1.90; the NDK's too).
# RELR relocations (-z pack-relative-relocs) need glibc >= 2.36 on Linux and Android API >= 28
# (older Android: --pack-dyn-relocs=android); Apple platforms have their own compact fixups.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
icf="-C link-arg=-Wl,--icf=all"
relr="-C link-arg=-Wl,-z,pack-relative-relocs"

variant() {
  local name=$1; shift
  local dir=target/size-variants/$name
  if env CARGO_TARGET_DIR="$dir" "$@" cargo build --locked --quiet -p juspay-customer \
      --profile release-mobile >"$dir.log" 2>&1; then
    local lib=$dir/release-mobile/libjuspay_customer.so
    printf '%-16s %10s B   %s\n' "$name" "$(stat -c %s "$lib")" \
      "$(size -A "$lib" | awk '$1 ~ /^\.(text|rodata|eh_frame|eh_frame_hdr|gcc_except_table|rela\.dyn|data\.rel\.ro)$/ {printf "%s=%s ", $1, $2}')"
  else
    printf '%-16s FAILED (see %s.log)\n' "$name" "$dir"
  fi
}

mkdir -p target/size-variants target/bench/run
if [ $# -gt 0 ]; then
  variant "$@"
  exit
fi
# report.mjs adds the last full set to BENCHMARKS.md.
out=target/bench/run/size-variants.txt
{
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet -- rust-core Cargo.toml 2>/dev/null || echo ' + working-tree changes')"
variant baseline
variant opt-s CARGO_PROFILE_RELEASE_MOBILE_OPT_LEVEL=s
variant z-icf RUSTFLAGS="$icf"
variant z-relr RUSTFLAGS="$relr"
variant z-icf-relr RUSTFLAGS="$icf $relr"
variant s-icf-relr CARGO_PROFILE_RELEASE_MOBILE_OPT_LEVEL=s RUSTFLAGS="$icf $relr"
} | tee "$out"
