#!/usr/bin/python3
"""ecoinfer (eager and --tactic compile) against ONNX Runtime on full-size torchvision
classifiers: ResNet-18, MobileNetV2, MobileNetV3-small, EfficientNet-B0 (random weights,
seed 0: speed does not depend on the values). Checks that what the CIFAR models show holds
for the architecture families users bring (depthwise convolutions, SiLU, HardSwish,
squeeze-excitation).

Usage: bench/compare_torchvision.py [--ecoinfer build/ecoinfer] [--work /tmp/ecoinfer_torchvision]
                                    [--batch 8] [--threads N] [--seconds 2] [--rounds 2]

Exports each model once to WORK/NAME/model.onnx (opset 17, dynamic batch; not committed),
then runs `ecoinfer bench` eager, `ecoinfer bench --tactic compile` and bench/ort/ort_bench.mjs
in turn for every round and prints the median p50 and the ratios to ORT (> 1: ecoinfer is
slower). Needs Debian's python3-torch and python3-torchvision (/usr/bin/python3), node, and
bench/ort/node_modules (bench/compare_ort.sh installs it).
"""
import argparse
import json
import os
import statistics
import subprocess

import torch
import torchvision

MODELS = {
    "resnet18": torchvision.models.resnet18,
    "mobilenet_v2": torchvision.models.mobilenet_v2,
    "mobilenet_v3_small": torchvision.models.mobilenet_v3_small,
    "efficientnet_b0": torchvision.models.efficientnet_b0,
}


def p50(cmd, cwd=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=cwd).stdout
    return json.loads(out)["p50_ms"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--ecoinfer", default=os.path.join(here, "..", "build", "ecoinfer"))
    ap.add_argument("--work", default="/tmp/ecoinfer_torchvision")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seconds", type=float, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    env_note = {k: v for k, v in os.environ.items() if k.startswith(("OMP_", "GOMP_"))}
    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # benchmarks run with default OpenBLAS settings
        os.environ.pop(k, None)

    print(f"batch {args.batch}, threads {args.threads}, {args.seconds} s per run, {args.rounds} round(s); OpenMP env {env_note or 'unset'}")
    print(f"{'model':<20} {'eager ms':>9} {'compile ms':>11} {'ORT ms':>8} {'eager/ORT':>10} {'compile/ORT':>12}")
    for name, ctor in MODELS.items():
        path = os.path.join(args.work, name, "model.onnx")
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            torch.manual_seed(0)
            model = ctor(weights=None).eval()
            torch.onnx.export(model, torch.randn(1, 3, 224, 224), path, opset_version=17, input_names=["pixel_values"],
                              output_names=["logits"], dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}})
        common = ["--batch", str(args.batch), "--threads", str(args.threads), "--seconds", str(args.seconds)]
        eager, comp, ort = [], [], []
        for _ in range(args.rounds):
            eager.append(p50([args.ecoinfer, "bench", path, *common, "--json"]))
            comp.append(p50([args.ecoinfer, "bench", path, "--tactic", "compile", *common, "--json"]))
            ort.append(p50(["node", "ort_bench.mjs", path, *common, "--warmup", "0.5"], cwd=os.path.join(here, "ort")))
        e, c, o = statistics.median(eager), statistics.median(comp), statistics.median(ort)
        print(f"{name:<20} {e:>9.2f} {c:>11.2f} {o:>8.2f} {e / o:>10.2f} {c / o:>12.2f}")


if __name__ == "__main__":
    main()
