# shellcheck shell=bash
# How every Android build of the core is compiled and linked (sourced by scripts/build-android.sh,
# by benchmarks/run.sh to measure the size Android ships, and by scripts/test.d/42-shipped-core.sh).
#
# Linker flags:
# - 16 KB pages, for Android 15 devices that use them;
# - identical-code folding and packed relocations (minSdk 24 has the loader for them): together
#   9 % smaller on the host build (benchmarks/size-variants.sh), with no code changed.
# Packed relocations need Android's loader; a host build that is to be loaded here leaves them out.
ANDROID_LOADER_RUSTFLAGS="-C link-arg=-Wl,--pack-dyn-relocs=android"
# shellcheck disable=SC2034 # used by the scripts that source this file
ANDROID_PORTABLE_LINK_RUSTFLAGS="-C link-arg=-Wl,-z,max-page-size=16384 -C link-arg=-Wl,--icf=all"
# shellcheck disable=SC2034
ANDROID_LINK_RUSTFLAGS="$ANDROID_PORTABLE_LINK_RUSTFLAGS $ANDROID_LOADER_RUSTFLAGS"
#
# std built from source with the library (rustup's rust-src), about 290 KB (10 %) less on x86_64:
# - without std's backtrace symbolizer (gimli, addr2line, miniz_oxide), which only the default
#   panic hook uses, to print to stderr, which Android discards;
# - with std's `optimize_for_size` code paths, and at the library's opt-level instead of std's 3;
# - panics keep their message but not their file:line (`-Zlocation-detail=none`): uniffi turns a
#   panic into a Kotlin exception from its message alone, and the location strings are 80 KB.
# Panics still unwind (panic_unwind is built too). These are unstable flags: RUSTC_BOOTSTRAP=1
# lets the same stable compiler the tests use accept them, rather than a nightly toolchain. Cargo
# takes build-std from its environment (its `[unstable]` config), so it reaches the cargo that
# cargo-ndk runs. Run cargo as `env "${ANDROID_CARGO_ENV[@]}" cargo ...`, with --target.
# shellcheck disable=SC2034
ANDROID_STD_RUSTFLAGS="-Zlocation-detail=none"
# shellcheck disable=SC2034
ANDROID_CARGO_ENV=("RUSTC_BOOTSTRAP=1" "CARGO_UNSTABLE_BUILD_STD=std,panic_unwind"
  "CARGO_UNSTABLE_BUILD_STD_FEATURES=panic-unwind,optimize_for_size")

# std's sources, which build-std compiles (a no-op when installed).
android_std_sources() {
  rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
}

# For host builds that stand in for Android here (no NDK): rustup's lld, as the NDK links with lld.
host_lld_rustflags() {
  echo "-C link-arg=-fuse-ld=lld -C link-arg=-B$(rustc --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld"
}
