#!/usr/bin/env bash
# Configures and builds ecoinfer (Release) into ${BUILD_DIR:-build}. Uses ccache when it is
# installed (optional: it only makes rebuilds in several build folders cheaper).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
LAUNCHER=()
if command -v ccache >/dev/null 2>&1; then
  LAUNCHER=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # Paths relative to the checkout, so that another clone (CI's) hits the same cache.
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
fi
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} "${LAUNCHER[@]}" "$@" >/dev/null
ninja -C "$BUILD_DIR"
