#!/usr/bin/env bash
# ecoinfer vs ONNX Runtime (npm onnxruntime-node, CPU), same machine, same thread count, one run.
# Issue 2, acceptance point 6. See bench/README.md.
#
# For each model (ResNet-20, ViT-CIFAR) and batch (1, 32) it runs `ecoinfer bench --json` (eager),
# `ecoinfer bench --tactic compile --json` (the planned fp32 executor: fusions, channels-last convolutions,
# memory plan - what ORT's default graph optimizations correspond to) and bench/ort/ort_bench.mjs in
# rotating order for the same seconds, then prints a table with the ratios (> 1 means ecoinfer is slower)
# and writes the results as JSON to a new file (never over an existing one; bench/provenance.py).
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/compare_ort.sh [options]
  --seconds S     timed seconds per bench run (default 3; env SECONDS_PER_RUN)
  --warmup S      warm-up seconds per bench run (default 0.5; env WARMUP)
  --threads N     compute threads for both engines (default: nproc; env THREADS)
  --batches "B.." batch sizes (default "1 32"; env BATCHES)
  --rounds R      interleaved rounds per cell; figures are medians over rounds (default 1; env ROUNDS)
  --resnet20 P    ResNet-20 model folder (default ../shared/models/resnet20_cifar10; env RESNET20_MODEL)
  --vit P         ViT-CIFAR model folder (default ../shared/models/vit_cifar10; env VIT_MODEL)
  --out P         JSON results, a new file: an existing P is refused (default
                  bench/results/DATE-ort_compare-COMMIT.json, -2, -3... if taken; env OUT)
env ECOINFER_BIN: the ecoinfer binary (default build/ecoinfer, relative to the repository root).
EOF
}

# Benchmarks run with the machine's default OpenBLAS settings (project rule).
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ort_dir="$repo/bench/ort"

seconds=${SECONDS_PER_RUN:-3}
warmup=${WARMUP:-0.5}
threads=${THREADS:-$(nproc)}
batches=${BATCHES:-"1 32"}
rounds=${ROUNDS:-1}
resnet20=${RESNET20_MODEL:-$repo/../shared/models/resnet20_cifar10}
vit=${VIT_MODEL:-$repo/../shared/models/vit_cifar10}
out=${OUT:-}  # empty: a dated name chosen by bench/provenance.py

while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --resnet20) resnet20=$2; shift 2 ;;
    --vit) vit=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare_ort.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "compare_ort.sh: $*" >&2; exit 1; }

# ECOINFER_BIN: as given if it exists from here, else relative to the repository root.
bin=${ECOINFER_BIN:-build/ecoinfer}
if [[ ! -x "$bin" && "$bin" != /* ]]; then bin="$repo/$bin"; fi
[[ -x "$bin" ]] || die "ecoinfer binary not found at '$bin'; build it (cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build ecoinfer) or set ECOINFER_BIN"
command -v node >/dev/null || die "node not found (Debian: apt-get install nodejs npm)"
for m in "$resnet20" "$vit"; do [[ -e "$m" ]] || die "model not found: $m"; done
resnet20=$(realpath "$resnet20"); vit=$(realpath "$vit")
[[ "$threads" =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, got '$threads'"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, got '$rounds'"
# shellcheck source-path=SCRIPTDIR source=raw_file.sh
source "$repo/bench/raw_file.sh"
reserve_raw_file compare_ort.sh ort_compare out  # a new file: an existing --out is refused here
raw=$(mktemp) && raw_temps+=("$raw")
ctx=$(mktemp) && raw_temps+=("$ctx")

if [[ ! -d "$ort_dir/node_modules/onnxruntime-node" ]]; then
  command -v npm >/dev/null || die "npm not found (Debian: apt-get install npm)"
  echo "installing onnxruntime-node (npm ci in bench/ort)..." >&2
  # The CPU build ships inside the npm package; skip the postinstall download of the CUDA
  # provider from nuget.org (not needed, and not reachable everywhere).
  (cd "$ort_dir" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund >&2) || die "npm ci failed in $ort_dir"
fi

ort_version=$(cd "$ort_dir" && node -e "console.log(require('onnxruntime-node/package.json').version)")
eco_version=$("$bin" --version 2>/dev/null | head -1 || echo unknown)
# Commit (checkout HEAD at run start, +dirty with uncommitted src/ changes), date, machine, tools.
run_record=$("${provenance[@]}" context --ecoinfer "$bin" --tool "onnxruntime-node=$ort_version" --tool "node=$(node --version)")
eco_commit=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["commit"])' <<<"$run_record")
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
# OpenMP settings change ecoinfer's figures (oneDNN runs on libgomp); record what was set.
omp_env=$(env | grep -E '^(OMP|GOMP|KMP|DNNL|ONEDNN)_' | sort | tr '\n' ' ' | sed 's/ $//' || true)
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

# One bench run; appends a JSONL record to $raw and echoes a progress line to stderr.
run_one() {
  local engine=$1 name=$2 path=$3 batch=$4 round=$5 json
  if [[ $engine == ecoinfer ]]; then
    json=$("$bin" bench "$path" --batch "$batch" --threads "$threads" --seconds "$seconds" --warmup "$warmup" --json) \
      || die "ecoinfer bench failed: $name batch $batch"
  elif [[ $engine == ecoinfer-compile ]]; then
    json=$("$bin" bench "$path" --tactic compile --batch "$batch" --threads "$threads" --seconds "$seconds" --warmup "$warmup" --json) \
      || die "ecoinfer bench --tactic compile failed: $name batch $batch"
  else
    json=$(node "$ort_dir/ort_bench.mjs" "$path" --batch "$batch" --threads "$threads" --seconds "$seconds" --warmup "$warmup") \
      || die "ort_bench failed: $name batch $batch"
  fi
  # One line per record (ecoinfer pretty-prints; JSON strings hold no raw newlines).
  printf '{"model":"%s","path":"%s","batch":%d,"threads":%d,"round":%d,"engine":"%s","result":%s}\n' \
    "$name" "$path" "$batch" "$threads" "$round" "$engine" "$(tr -d '\n' <<<"$json")" >>"$raw"
  echo "  $name batch $batch round $round: $engine done" >&2
}

echo "ecoinfer $eco_commit vs onnxruntime-node $ort_version; threads $threads, ${seconds}s per run, $rounds round(s)" >&2
flip=0
for ((round = 1; round <= rounds; ++round)); do
  for spec in "ResNet-20|$resnet20" "ViT-CIFAR|$vit"; do
    name=${spec%%|*}; path=${spec#*|}
    for batch in $batches; do
      # Rotate which engine goes first so that drift and warm caches do not favour one side.
      engines=(ecoinfer ecoinfer-compile onnxruntime)
      for ((e = 0; e < 3; ++e)); do run_one "${engines[(e + flip) % 3]}" "$name" "$path" "$batch" "$round"; done
      flip=$(((flip + 1) % 3))
    done
  done
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
cat >"$ctx" <<EOF
{
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "cpu": "$cpu",
  "nproc": $(nproc),
  "threads": $threads,
  "seconds_per_run": $seconds,
  "warmup_seconds": $warmup,
  "rounds": $rounds,
  "ecoinfer_version": "$eco_version",
  "ecoinfer_commit": "$eco_commit",
  "ecoinfer_executors": {"ecoinfer": "eager", "ecoinfer-compile": "planned (--tactic compile)"},
  "onnxruntime_node_version": "$ort_version",
  "onnxruntime_settings": {"intraOpNumThreads": $threads, "interOpNumThreads": 1, "executionMode": "sequential", "graphOptimizationLevel": "all"},
  "node_version": "$(node --version)",
  "kernel": "$(uname -r)",
  "omp_env": "$omp_env",
  "loadavg_before": "$load_before",
  "loadavg_after": "$load_after",
  "provenance": $run_record
}
EOF
node "$ort_dir/report.mjs" "$raw" "$ctx" "$out"
