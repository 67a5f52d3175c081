#!/usr/bin/python3
"""ecoinfer (eager and --tactic compile) against ONNX Runtime on full-size torchvision
classifiers: ResNet-18, MobileNetV2, MobileNetV3-small, EfficientNet-B0 (random weights,
seed 0: speed does not depend on the values). Checks that what the CIFAR models show holds
for the architecture families users bring (depthwise convolutions, SiLU, HardSwish,
squeeze-excitation).

Usage: bench/compare_torchvision.py [--ecoinfer build/ecoinfer] [--work /tmp/ecoinfer_torchvision]
                                    [--batch 8] [--threads N] [--seconds 2] [--rounds 2] [--out FILE]
                                    [--models resnet50,vit_b_16,...] [--no-eager] [--bf16 auto|on|off] [--int8] [--no-ort]

The columns run in an order that rotates every round. With --bf16 (default where the CPU has
AVX512-BF16) the bf16 tactic gets a column, with --int8 dynamic-int8 + compile does, and each one's
speed-up over compile is reported.

Exports each model once to WORK/NAME/model.onnx (opset 17, dynamic batch; not committed),
then runs `ecoinfer bench` eager, `ecoinfer bench --tactic compile` and bench/ort/ort_bench.mjs
in turn for every round and prints the median p50 and the ratios to ORT (> 1: ecoinfer is
slower). Every run's full result, the settings and the run record (commit, date, machine, tool
versions) go to a new JSON file, never over an existing one: --out FILE (refused if it exists), by
default bench/results/DATE-torchvision_compare-COMMIT.json (bench/provenance.py). Needs Debian's python3-torch and python3-torchvision (/usr/bin/python3), node, and
bench/ort/node_modules (bench/compare_ort.sh installs it).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import provenance  # noqa: E402  (bench/provenance.py: raw-file names and run records)

MODELS = {
    "resnet18": torchvision.models.resnet18,
    "mobilenet_v2": torchvision.models.mobilenet_v2,
    "mobilenet_v3_small": torchvision.models.mobilenet_v3_small,
    "efficientnet_b0": torchvision.models.efficientnet_b0,
    # Issue 14's full-size models (--models to pick): larger exports, minutes to export.
    "resnet50": torchvision.models.resnet50,
    "vit_b_16": torchvision.models.vit_b_16,
    "convnext_tiny": torchvision.models.convnext_tiny,
}
DEFAULT_MODELS = "resnet18,mobilenet_v2,mobilenet_v3_small,efficientnet_b0"


def cpu_has_bf16():
    try:
        return " avx512_bf16" in open("/proc/cpuinfo").read()
    except OSError:
        return False


def bench(cmd, cwd=None):
    """The bench's JSON result (ecoinfer bench --json and ort_bench.mjs print the same keys)."""
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=cwd).stdout
    return json.loads(out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--ecoinfer", default=os.path.join(here, "..", "build", "ecoinfer"))
    ap.add_argument("--work", default="/tmp/ecoinfer_torchvision")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seconds", type=float, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out", help="raw JSON, a new file (default bench/results/DATE-torchvision_compare-COMMIT.json)")
    ap.add_argument("--models", default=DEFAULT_MODELS, help=f"comma-separated, of: {', '.join(MODELS)} (default {DEFAULT_MODELS})")
    ap.add_argument("--no-eager", action="store_true", help="skip the eager fp32 column (slow on the large models)")
    ap.add_argument("--bf16", choices=["auto", "on", "off"], default="auto",
                    help="also run --tactic bf16 (auto: where the CPU has AVX512-BF16)")
    ap.add_argument("--no-ort", action="store_true", help="skip ONNX Runtime (no bench/ort/node_modules)")
    ap.add_argument("--int8", action="store_true", help="also run --tactic dynamic-int8 --tactic compile (column int8)")
    args = ap.parse_args()
    args.models = [m for m in args.models.split(",") if m]
    for m in args.models:
        if m not in MODELS:
            ap.error(f"unknown model '{m}' (known: {', '.join(MODELS)})")
    args.bf16 = args.bf16 == "on" or (args.bf16 == "auto" and cpu_has_bf16())
    # Reserved before the run: an existing --out is refused now, not after minutes of benchmarking.
    with provenance.reserved("torchvision_compare", args.out, "compare_torchvision.py") as out:
        run(args, out)


def run(args, out):
    env_note = {k: v for k, v in os.environ.items() if k.startswith(("OMP_", "GOMP_"))}
    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # benchmarks run with default OpenBLAS settings
        os.environ.pop(k, None)
    ort_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ort")
    ort_version = subprocess.run(["node", "-e", "console.log(require('onnxruntime-node/package.json').version)"],
                                 capture_output=True, text=True, cwd=ort_dir).stdout.strip() or "unknown"
    node_version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip() or "unknown"
    record = provenance.context(args.ecoinfer, {"torch": torch.__version__, "torchvision": torchvision.__version__,
                                                "onnxruntime-node": ort_version, "node": node_version})
    load_before = provenance.loadavg()

    columns = (["eager"] if not args.no_eager else []) + ["compile"] + (["int8"] if args.int8 else []) + \
        (["bf16"] if args.bf16 else []) + (["onnxruntime"] if not args.no_ort else [])
    print(f"batch {args.batch}, threads {args.threads}, {args.seconds} s per run, {args.rounds} round(s); OpenMP env {env_note or 'unset'}")
    head = f"{'model':<20}" + "".join(f" {c + ' ms':>15}" for c in columns)
    if not args.no_ort:
        head += "".join(f" {c + '/ORT':>12}" for c in columns if c != "onnxruntime")
    for c in ("int8", "bf16"):
        if c in columns:
            head += f" {'compile/' + c:>13}"
    print(head)
    results = []
    for name in args.models:
        ctor = MODELS[name]
        path = os.path.join(args.work, name, "model.onnx")
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            torch.manual_seed(0)
            model = ctor(weights=None).eval()
            torch.onnx.export(model, torch.randn(1, 3, 224, 224), path, opset_version=17, input_names=["pixel_values"],
                              output_names=["logits"], dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}})
        common = ["--batch", str(args.batch), "--threads", str(args.threads), "--seconds", str(args.seconds)]
        commands = {
            "eager": [args.ecoinfer, "bench", path, *common, "--json"],
            "compile": [args.ecoinfer, "bench", path, "--tactic", "compile", *common, "--json"],
            "bf16": [args.ecoinfer, "bench", path, "--tactic", "bf16", *common, "--json"],
            "int8": [args.ecoinfer, "bench", path, "--tactic", "dynamic-int8", "--tactic", "compile", *common, "--json"],
            "onnxruntime": ["node", "ort_bench.mjs", path, *common, "--warmup", "0.5"],
        }
        runs = {c: [] for c in columns}
        for r in range(args.rounds):
            order = columns[r % len(columns):] + columns[:r % len(columns)]  # rotate who goes first
            for c in order:
                runs[c].append(bench(commands[c], cwd=ort_dir if c == "onnxruntime" else None))
        p50 = {c: statistics.median(x["p50_ms"] for x in runs[c]) for c in columns}
        line = f"{name:<20}" + "".join(f" {p50[c]:>15.2f}" for c in columns)
        row = {"model": name, "path": path, "p50_ms": p50, "runs": runs}
        if not args.no_ort:
            for c in columns:
                if c != "onnxruntime":
                    row[f"{c}_over_ort"] = p50[c] / p50["onnxruntime"]
                    line += f" {p50[c] / p50['onnxruntime']:>12.2f}"
        for c in ("int8", "bf16"):
            if c in columns:
                row[f"{c}_speedup_over_compile"] = p50["compile"] / p50[c]
                line += f" {p50['compile'] / p50[c]:>13.2f}"
        print(line)
        results.append(row)
    doc = {"benchmark": "torchvision_compare", "batch": args.batch, "threads": args.threads, "columns": columns,
           "seconds_per_run": args.seconds, "ort_warmup_seconds": 0.5, "rounds": args.rounds,
           "export": {"opset": 17, "seed": 0, "weights": "random", "input": [1, 3, 224, 224]},
           "loadavg_before": load_before, "loadavg_after": provenance.loadavg(), "provenance": record,
           "results": results}
    with open(out, "w") as f:  # the empty file reserved at the start
        json.dump(doc, f, indent=2)
    print(f"results: {out}")


if __name__ == "__main__":
    main()
