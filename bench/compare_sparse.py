#!/usr/bin/python3
"""Sparse execution against dense on pruned models (issue 14, part 5): for each model and batch,
`ecoinfer bench --json` with `--tactic prune-global:S --tactic compile` (dense) and
`--tactic prune-global:S --tactic sparse` (sparse), alternating which goes first in each round;
reports the median p50 over rounds and dense p50 / sparse p50 (> 1: sparse is faster).

Usage: bench/compare_sparse.py [--ecoinfer build/ecoinfer] [--sparsity 0.9] [--batches 1,8]
                               [--rounds 5] [--seconds 3] [--threads 2] [--model DIR ...] [--out FILE]

Models: ViT-CIFAR from ../shared, plus every --model folder (e.g. torchvision ViT-B/16 exported by
bench/compare_torchvision.py into /tmp/ecoinfer_torchvision/vit_b_16, random weights). The JSON goes to
a new file, never over an existing one: by default bench/results/DATE-sparse_compare-COMMIT.json.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import provenance  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bench(binary, model, tactics, batch, seconds, threads):
    cmd = [binary, "bench", model, "--batch", str(batch), "--seconds", str(seconds), "--threads", str(threads), "--json"]
    for t in tactics:
        cmd += ["--tactic", t]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ecoinfer", default=os.path.join(REPO, "build", "ecoinfer"))
    ap.add_argument("--sparsity", type=float, default=0.9)
    ap.add_argument("--batches", default="1,8")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--model", action="append", default=[])
    ap.add_argument("--out")
    args = ap.parse_args()
    models = [os.path.join(REPO, "..", "shared", "models", "vit_cifar10")] + args.model
    with provenance.reserved("sparse_compare", args.out, "compare_sparse.py") as out:
        record = provenance.context(args.ecoinfer)
        load_before = provenance.loadavg()
        prune = f"prune-global:{args.sparsity}"
        arms = {"dense": [prune, "compile"], "sparse": [prune, "sparse"]}
        results = []
        for model in models:
            for batch in [int(b) for b in args.batches.split(",")]:
                p50 = {"dense": [], "sparse": []}
                summary = None
                for r in range(args.rounds):
                    order = ["dense", "sparse"] if r % 2 == 0 else ["sparse", "dense"]
                    for arm in order:
                        j = bench(args.ecoinfer, model, arms[arm], batch, args.seconds, args.threads)
                        p50[arm].append(j["p50_ms"])
                        if arm == "sparse" and summary is None:
                            summary = j["tactic_results"][-1]["summary"]
                d, s = statistics.median(p50["dense"]), statistics.median(p50["sparse"])
                row = {"model": os.path.basename(os.path.normpath(model)), "batch": batch, "dense_p50_ms": d,
                       "sparse_p50_ms": s, "speedup": d / s, "dense_p50_ms_by_round": p50["dense"],
                       "sparse_p50_ms_by_round": p50["sparse"], "sparse_layers": summary["sparse_layers"],
                       "kept_dense": len(summary["kept_dense"])}
                results.append(row)
                print(f"{row['model']:>16} batch {batch}: dense {d:8.3f} ms  sparse {s:8.3f} ms  {d / s:5.2f}x  "
                      f"({row['sparse_layers']} layers sparse, {row['kept_dense']} kept dense)", flush=True)
        doc = {"benchmark": "sparse_compare", "sparsity": args.sparsity, "rounds": args.rounds, "seconds": args.seconds,
               "threads": args.threads, "arms": arms, "results": results, "loadavg_before": load_before,
               "loadavg_after": provenance.loadavg(), "provenance": record}
        with open(out, "w") as f:
            json.dump(doc, f, indent=1)
        print(f"raw: {out}")


if __name__ == "__main__":
    main()
