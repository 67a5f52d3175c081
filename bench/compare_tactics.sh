#!/usr/bin/env bash
# Each tactic against the eager fp32 baseline, same machine, same threads, interleaved rounds.
# Issue 4, acceptance point 3: compile faster than eager on ResNet-20 and ViT-CIFAR,
# dynamic-int8 faster than fp32 on ViT-CIFAR and the MNIST CNN at batch 32.
#
# For every model and batch it runs `ecoinfer bench --json` once per tactic set per round, in an
# order that rotates between rounds, and reports the median p50 over rounds and the speed-up
# (baseline p50 / tactic p50; > 1 means the tactic is faster). The JSON goes to a new file, never over
# an existing one (bench/provenance.py). See bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/compare_tactics.sh [options]
  --seconds S     timed seconds per bench run (default 2; env SECONDS_PER_RUN)
  --threads N     compute threads (default: nproc; env THREADS)
  --batches "B.." batch sizes (default "32"; env BATCHES)
  --rounds R      interleaved rounds; figures are medians (default 3; env ROUNDS)
  --out P         JSON results, a new file: an existing P is refused (default
                  bench/results/DATE-tactics_compare-COMMIT.json, -2, -3... if taken; env OUT)
  --baseline-bin B  also run every cell with another ecoinfer binary B (an earlier build),
                  alternating which binary goes first in each round, and report this build's
                  p50 over B's (< 1 means this build is faster); env BASELINE_BIN
  --baseline-label L  what B is, recorded in the JSON (e.g. its commit; default: B's path)
env ECOINFER_BIN: the ecoinfer binary (default build/ecoinfer); SHARED: ../shared
EOF
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${SECONDS_PER_RUN:-2}
threads=${THREADS:-$(nproc)}
batches=${BATCHES:-"32"}
rounds=${ROUNDS:-3}
baseline_bin=${BASELINE_BIN:-}
baseline_label=${BASELINE_LABEL:-}
out=${OUT:-}  # empty: a dated name chosen by bench/provenance.py
shared=${SHARED:-$repo/../shared}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --baseline-bin) baseline_bin=$2; shift 2 ;;
    --baseline-label) baseline_label=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare_tactics.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
die() { echo "compare_tactics.sh: $*" >&2; exit 1; }
bin=${ECOINFER_BIN:-build/ecoinfer}
if [[ ! -x "$bin" && "$bin" != /* ]]; then bin="$repo/$bin"; fi
[[ -x "$bin" ]] || die "ecoinfer binary not found at '$bin'; build it or set ECOINFER_BIN"
bins=("$bin")
if [[ -n "$baseline_bin" ]]; then
  [[ -x "$baseline_bin" ]] || die "baseline binary not found at '$baseline_bin'"
  bins+=("$baseline_bin")
  baseline_label=${baseline_label:-$baseline_bin}
fi
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, got '$rounds'"
command -v python3 >/dev/null || die "python3 is needed for the report"
# shellcheck source-path=SCRIPTDIR source=raw_file.sh
source "$repo/bench/raw_file.sh"
reserve_raw_file compare_tactics.sh tactics_compare out  # a new file: an existing --out is refused here
raw=$(mktemp) && raw_temps+=("$raw")
run_record=$(mktemp) && raw_temps+=("$run_record")
# Commit (checkout HEAD at run start, +dirty with uncommitted src/ changes), date, machine, tools.
"${provenance[@]}" context --ecoinfer "$bin" >"$run_record"

# model|tactic sets (";"-separated; "none" is the eager fp32 baseline and must come first).
# bf16 joins where the CPU has AVX512-BF16 (the tactic refuses other CPUs) and the baseline
# binary, if any, knows the tactic.
bf16=""
if grep -qw avx512_bf16 /proc/cpuinfo 2>/dev/null &&
   { [[ -z "$baseline_bin" ]] || "$baseline_bin" bench --help 2>&1 | grep -q bf16; }; then
  bf16=";bf16"
fi
specs=(
  "resnet20_cifar10|none;compile$bf16"
  "vit_cifar10|none;compile;dynamic-int8;dynamic-int8 compile$bf16"
  "mnist_cnn|none;compile;dynamic-int8"
)
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
for ((round = 1; round <= rounds; ++round)); do
  for spec in "${specs[@]}"; do
    model=${spec%%|*}
    IFS=';' read -r -a sets <<<"${spec#*|}"
    path="$shared/models/$model"
    [[ -d "$path" ]] || die "model not found: $path"
    for batch in $batches; do
      n=${#sets[@]}
      for ((i = 0; i < n; ++i)); do
        set_=${sets[(i + round) % n]}
        args=()
        for t in $set_; do args+=(--tactic "$t"); done
        nb=${#bins[@]}
        for ((k = 0; k < nb; ++k)); do  # with a baseline, the two binaries swap order every round
          which=$(((k + round + i) % nb))
          label=$([[ $which -eq 0 ]] && echo this || echo baseline)
          json=$("${bins[$which]}" bench "$path" "${args[@]}" --batch "$batch" --threads "$threads" --seconds "$seconds" --json) \
            || die "bench failed ($label build): $model $set_ batch $batch"
          printf '{"model":"%s","batch":%d,"tactics":"%s","round":%d,"build":"%s","result":%s}\n' \
            "$model" "$batch" "$set_" "$round" "$label" "$(tr -d '\n' <<<"$json")" >>"$raw"
        done
        echo "  round $round: $model batch $batch [$set_] done" >&2
      done
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
python3 - "$raw" "$out" "$threads" "$seconds" "$rounds" "$load_before" "$load_after" "$run_record" "$baseline_label" <<'PY'
import json, statistics, sys, datetime
raw, out, threads, seconds, rounds, lb, la, record, baseline_label = sys.argv[1:]
provenance = json.load(open(record))
commit = provenance["commit"]
runs = [json.loads(l) for l in open(raw) if l.strip()]
cells, base_cells = {}, {}
for r in runs:
    into = cells if r["build"] == "this" else base_cells
    into.setdefault((r["model"], r["batch"]), {}).setdefault(r["tactics"], []).append(r["result"])
results = []
print(f"{'model':<18} {'batch':>5} {'tactics':<22} {'p50 ms':>9} {'img/s':>9} {'speed-up vs none':>17}"
      + (f" {'baseline p50':>12} {'ratio':>10}" if baseline_label else ""))
for (model, batch), by in cells.items():
    base = statistics.median(x["p50_ms"] for x in by["none"])
    for tactics, xs in sorted(by.items(), key=lambda kv: (kv[0] != "none", kv[0])):
        p50 = statistics.median(x["p50_ms"] for x in xs)
        ips = statistics.median(x["images_per_s"] for x in xs)
        row = {"model": model, "batch": batch, "tactics": tactics.split(), "p50_ms": p50, "images_per_s": ips,
               "speedup_vs_none": base / p50, "p50_ms_by_round": [x["p50_ms"] for x in xs]}
        line = f"{model:<18} {batch:>5} {tactics:<22} {p50:>9.3f} {ips:>9.1f} {base / p50:>16.2f}x"
        if baseline_label:
            bx = base_cells[(model, batch)][tactics]
            bp50 = statistics.median(x["p50_ms"] for x in bx)
            row.update({"baseline_p50_ms": bp50, "baseline_p50_ms_by_round": [x["p50_ms"] for x in bx],
                        "p50_over_baseline": p50 / bp50})
            line += f" {bp50:>12.3f} {p50 / bp50:>10.3f}"
        results.append(row)
        print(line)
if baseline_label:
    ratios = [r["p50_over_baseline"] for r in results]
    print(f"this build's p50 / baseline's ({baseline_label}): columns 'baseline p50 ms' and 'ratio' above; "
          f"geometric mean {statistics.geometric_mean(ratios):.3f}, worst {max(ratios):.3f}")
doc = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "commit": commit, "threads": int(threads),
       "seconds_per_run": float(seconds), "rounds": int(rounds), "loadavg_before": lb, "loadavg_after": la,
       "results": results, "provenance": provenance}
if baseline_label:
    doc["baseline"] = baseline_label
with open(out, "w") as f:  # the empty file reserved at the start
    json.dump(doc, f, indent=2)
print("speed-up = eager fp32 p50 / tactic p50 (median p50 over rounds); > 1 means the tactic is faster.")
print(f"results: {out}")
PY
