#!/usr/bin/env bash
# Installs ecoinfer's build and test dependencies from Debian 12's packages.
# Skips apt entirely when everything is already installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libdnnl-dev                       # oneDNN: convolution, sgemm, pooling kernels
  ocl-icd-opencl-dev opencl-c-headers # oneDNN's CMake config calls find_package(OpenCL); a
                                    # Recommends of libdnnl-dev, so --no-install-recommends skips it
  libonnx-dev libprotobuf-dev protobuf-compiler
  nlohmann-json3-dev libcli11-dev libfmt-dev
  libturbojpeg0-dev libpng-dev zlib1g-dev
  libsqlite3-dev                    # the study's store
  libtomlplusplus-dev               # study specs
  libboost-math-dev                 # statistical distributions
  libjs-chart.js chromium           # report.html inlines Chart.js; its test opens it in headless Chromium
  libgtest-dev
  libonnx-testdata                  # ONNX's backend conformance cases (tests/conformance)
  slurm-wlm munge                   # study slurm's test runs a one-node cluster (scripts/slurm-local.sh)
  libcurl4-openssl-dev libssl-dev libcpp-httplib-dev # Hub downloads, blob sha256; the tests' local Hub server
  clang libclang-rt-14-dev          # libFuzzer target (CI)
  ccache                            # optional for users; lets CI reuse objects between its two builds and runs
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
