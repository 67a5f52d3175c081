#!/usr/bin/python3
"""Global L1 pruning of torchvision ViT-B/16 (86 M parameters, random weights): ecoinfer's
`prune-global:0.5` next to PyTorch's torch.nn.utils.prune.global_unstructured on the same
weights.

Usage: bench/prune_global_vit_b16.py [--ecoinfer build/ecoinfer] [--work /tmp/vit_b16] [--amount 0.5]
                                     [--threads 1] [--out FILE]

Exports the model (random init, seed 0) to WORK/model.onnx with do_constant_folding=False,
so that weight initializers keep PyTorch's names; the exported file is not committed.
The timings, the weight counts, ecoinfer's bench result and the run record (commit, date, machine,
tool versions) go to a new JSON file, never over an existing one: --out FILE (refused if it
exists), by default bench/results/DATE-prune_global_vit_b16-COMMIT.json (bench/provenance.py).
Needs Debian's python3-torch and python3-torchvision (/usr/bin/python3).
"""
import argparse
import json
import os
import subprocess
import sys
import time

import torch
import torch.nn.utils.prune as prune
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import provenance  # noqa: E402  (bench/provenance.py: raw-file names and run records)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ecoinfer", default=os.path.join(os.path.dirname(__file__), "..", "build", "ecoinfer"))
    ap.add_argument("--work", default="/tmp/ecoinfer_vit_b16")
    ap.add_argument("--amount", type=float, default=0.5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", help="raw JSON, a new file (default bench/results/DATE-prune_global_vit_b16-COMMIT.json)")
    args = ap.parse_args()
    # Reserved before the run: an existing --out is refused now, not after the export and pruning.
    with provenance.reserved("prune_global_vit_b16", args.out, "prune_global_vit_b16.py") as out:
        run(args, out)


def run(args, out):
    record = provenance.context(args.ecoinfer, {"torch": torch.__version__, "torchvision": torchvision.__version__})
    load_before = provenance.loadavg()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    model = torchvision.models.vit_b_16(weights=None).eval()
    os.makedirs(args.work, exist_ok=True)
    onnx_path = os.path.join(args.work, "model.onnx")
    if not os.path.exists(onnx_path):
        t0 = time.perf_counter()
        torch.onnx.export(model, torch.randn(1, 3, 224, 224), onnx_path, opset_version=14,
                          do_constant_folding=False, input_names=["pixel_values"], output_names=["logits"],
                          dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}})
        print(f"exported {onnx_path} in {time.perf_counter() - t0:.1f} s")
    with open(os.path.join(args.work, "preprocessor_config.json"), "w") as f:
        json.dump({"size": {"height": 224, "width": 224}, "image_mean": [0.485, 0.456, 0.406],
                   "image_std": [0.229, 0.224, 0.225], "do_rescale": True, "rescale_factor": 1 / 255,
                   "do_normalize": True}, f)

    # PyTorch: every Conv2d / Linear weight (nn.MultiheadAttention's packed in_proj_weight is
    # a Linear weight in all but name, so it is included; its out_proj is an nn.Linear).
    params = []
    for m in model.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            params.append((m, "weight"))
        if isinstance(m, torch.nn.MultiheadAttention):
            params.append((m, "in_proj_weight"))
    n = sum(getattr(m, p).numel() for m, p in params)
    t0 = time.perf_counter()
    prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=args.amount)
    for m, p in params:
        prune.remove(m, p)
    torch_s = time.perf_counter() - t0

    r = subprocess.run([args.ecoinfer, "bench", args.work, "--tactic", f"prune-global:{args.amount}", "--seconds", "0.01",
                        "--warmup", "0", "--threads", str(args.threads), "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(r.stderr)
    j = json.loads(r.stdout)
    s = j["tactic_results"][0]["summary"]
    print(f"weights in scope: PyTorch {n:,}, ecoinfer {s['weights']:,} in {s['layers']} layers")
    print(f"PyTorch global_unstructured + remove: {torch_s:.3f} s")
    print(f"ecoinfer prune-global:{args.amount}:        {j['optimize_seconds']:.3f} s "
          f"(weight sparsity {j['weight_sparsity']:.6f})")
    print(f"ratio: ecoinfer is {torch_s / j['optimize_seconds']:.1f}x faster")
    doc = {"benchmark": "prune_global_vit_b16", "amount": args.amount, "threads": args.threads,
           "model": {"name": "torchvision vit_b_16", "weights": "random", "seed": 0, "onnx": onnx_path},
           "weights_in_scope": {"pytorch": n, "ecoinfer": s["weights"], "ecoinfer_layers": s["layers"]},
           "pytorch_seconds": torch_s, "ecoinfer_optimize_seconds": j["optimize_seconds"],
           "ratio_pytorch_over_ecoinfer": torch_s / j["optimize_seconds"], "ecoinfer_bench": j,
           "loadavg_before": load_before, "loadavg_after": provenance.loadavg(), "provenance": record}
    with open(out, "w") as f:  # the empty file reserved at the start
        json.dump(doc, f, indent=2)
    print(f"results: {out}")


if __name__ == "__main__":
    main()
