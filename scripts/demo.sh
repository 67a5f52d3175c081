#!/usr/bin/env bash
# The demo: install dependencies, build, then run the default study on the bundled CIFAR-10
# ResNet-20 and 1,000 bundled test images (demo/study.toml: none, compile, dynamic-int8,
# prune-local:0.5, prune-global:0.5; 5 repetitions each, in a seeded random order). Prints
# the per-tactic summary and where the store and the report are. Running it again resumes:
# only runs not yet stored are run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
echo
echo "== ecoinfer study plan demo/study.toml"
build/ecoinfer study plan demo/study.toml --show 10
echo
echo "== ecoinfer study run demo/study.toml"
build/ecoinfer study run demo/study.toml
