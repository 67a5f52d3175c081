# shellcheck shell=bash
# Sourced by bench/compare_ort.sh and bench/compare_tactics.sh: where their raw JSON goes.
#
# reserve_raw_file PROG BENCHMARK OUT_VAR replaces the path in the variable OUT_VAR with a new
# file that bench/provenance.py creates empty and exclusively: that path, refused if it exists,
# or (when it is empty) the dated default bench/results/DATE-BENCHMARK-COMMIT.json. Reserving
# before the run refuses an existing --out before any time is spent, and two runs never share a
# file. At exit, the files the script lists in raw_temps are removed, and the reserved file too
# if the run never filled it. Sets provenance, the command line of bench/provenance.py, for the
# script's own `context` call.
reserve_raw_file() {
  local prog=$1 benchmark=$2 out_var=$3 path
  command -v python3 >/dev/null || {
    echo "$prog: python3 not found (bench/provenance.py names the raw file and records the run)" >&2
    exit 1
  }
  provenance=(python3 "$(dirname "${BASH_SOURCE[0]}")/provenance.py" --prog "$prog")
  path=$("${provenance[@]}" reserve "$benchmark" ${!out_var:+--out "${!out_var}"}) || exit 1
  printf -v "$out_var" '%s' "$path"
  raw_reserved=$path
  raw_temps=()
  trap 'rm -f "${raw_temps[@]}"; "${provenance[@]}" release "$raw_reserved"' EXIT
}
