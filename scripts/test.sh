#!/usr/bin/env bash
# Installs dependencies, builds, and runs the whole test suite (needs ../shared for the
# real-model tests, as CI has it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j2
