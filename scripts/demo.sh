#!/usr/bin/env bash
# The demo: install dependencies, build, then inspect and evaluate the bundled CIFAR-10
# ResNet-20 on 1,000 bundled test images (100 per class), and benchmark it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
echo
echo "== ecoinfer inspect demo/resnet20_cifar10"
build/ecoinfer inspect demo/resnet20_cifar10
echo
echo "== ecoinfer eval demo/resnet20_cifar10 --data demo/cifar10-1000"
build/ecoinfer eval demo/resnet20_cifar10 --data demo/cifar10-1000
echo
echo "== ecoinfer bench demo/resnet20_cifar10 --batch 32 --seconds 2"
build/ecoinfer bench demo/resnet20_cifar10 --batch 32 --seconds 2
