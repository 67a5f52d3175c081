#!/usr/bin/env python3
"""Compares every variant's top-1 in a study store with PyTorch's reference.json.

Usage: tools/check_study_accuracy.py OUT/results.sqlite
Maps tactic chains to the reference variants (none/compile -> fp32, dynamic-int8 ->
dynamic_int8, prune-local:A -> local_l1_A, prune-global:A -> global_l1_A) and applies the
tolerances of tests/tactics/tactic_reference_test.cpp: 0.0005 (5 of 10,000 images), 0.002
for dynamic int8 (float rounding differences move a few images across the argmax).
Exits 1 when a variant is outside its tolerance. Standard library only."""
import json
import os
import sqlite3
import sys


def reference_variant(tactic):
    parts = [] if tactic == "none" else tactic.split("+")
    name = "fp32"
    for p in parts:
        if p == "compile":
            continue
        if p.startswith("dynamic-int8"):
            name = "dynamic_int8" if name == "fp32" else None
        elif p.startswith("prune-local:"):
            name = ("local_l1_" + p.split(":")[1]) if name == "fp32" else None
        elif p.startswith("prune-global:"):
            name = ("global_l1_" + p.split(":")[1]) if name == "fp32" else None
        else:
            name = None
    return name


def main():
    db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
    paths = dict(db.execute("SELECT model, path FROM models"))
    bad = 0
    print("| model | tactic | batch | top-1 | PyTorch | difference | tolerance | |")
    print("|---|---|--:|--:|--:|--:|--:|---|")
    for model, tactic, top1, batch, images in db.execute(
            "SELECT model, tactic, top1, accuracy_batch, accuracy_images FROM variants ORDER BY model, tactic"):
        ref_file = os.path.join(paths[model], "reference.json")
        variant = reference_variant(tactic)
        if not os.path.exists(ref_file) or variant is None:
            print("| %s | %s | %d | %.4f | - | - | - | no reference |" % (model, tactic, batch, top1))
            continue
        ref = json.load(open(ref_file))["variants"].get(variant)
        if ref is None:
            print("| %s | %s | %d | %.4f | - | - | - | no reference |" % (model, tactic, batch, top1))
            continue
        tol = 0.002 if variant == "dynamic_int8" else 0.0005
        diff = top1 - ref["top1"]
        ok = abs(diff) <= tol + 1e-12 and images == 10000
        bad += not ok
        print("| %s | %s | %d | %.4f | %.4f | %+.4f | %.4f | %s |" % (model, tactic, batch, top1, ref["top1"], diff, tol,
                                                                   "ok" if ok else "OUTSIDE (images %d)" % images))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
