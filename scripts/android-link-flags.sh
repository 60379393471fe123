# shellcheck shell=bash
# The linker flags every Android build of the core gets (sourced by scripts/build-android.sh,
# and by benchmarks/run.sh to measure the size Android ships):
# - 16 KB pages, for Android 15 devices that use them;
# - identical-code folding and packed relocations (minSdk 24 has the loader for them): together
#   9 % smaller on the host build (benchmarks/size-variants.sh), the core's largest size win
#   that changes no code.
# shellcheck disable=SC2034 # used by the scripts that source this file
ANDROID_LINK_RUSTFLAGS="-C link-arg=-Wl,-z,max-page-size=16384 -C link-arg=-Wl,--icf=all -C link-arg=-Wl,--pack-dyn-relocs=android"
