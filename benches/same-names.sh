#!/usr/bin/env bash
# Slug numbering is linear in rows (untrusted-input issue): a batch of ROWS people who
# all have one name ("Vacant": vacant.txt, vacant-2.txt, …) within 2x the time of ROWS
# people with distinct names, measured side by side in the same run.
#
#   bash benches/same-names.sh                   # ROWS=40000
#   SIGBLOCK_BIN=/path/to/sigblock ROWS=10000 RESULTS=/tmp/old.txt bash benches/same-names.sh
#
# Both runs write text signatures only (`--format text`) into a fresh folder on tmpfs
# (/dev/shm when present), so the disk does not drown the difference. Timing: hyperfine
# when present, else one timed run each. Results: benches/results/same-names-<date>.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-40000}
if [[ -z "${SIGBLOCK_BIN:-}" ]]; then
  cargo build --release --quiet
  SIGBLOCK_BIN=$PWD/target/release/sigblock
fi
base=$( [[ -d /dev/shm && -w /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}" )
work=$(mktemp -d "$base/sigblock-same-names.XXXXXX")
trap 'rm -rf "$work"' EXIT

{ echo "name,title,unit"; for ((i = 1; i <= ROWS; i++)); do echo "Vacant,Analyst,CTRT"; done; } >"$work/same.csv"
{ echo "name,title,unit"; for ((i = 1; i <= ROWS; i++)); do echo "Person $i,Analyst,CTRT"; done; } >"$work/distinct.csv"
export SIGBLOCK_CACHE_DIR="$work/cache"
"$SIGBLOCK_BIN" banner --out "$work/warm.png" >/dev/null 2>&1   # a warm banner cache

results=${RESULTS:-benches/results/same-names-$(date +%F).txt}
mkdir -p benches/results
{
  echo "# same-names: $ROWS rows, one name vs distinct names, --format text, on $base"
  echo "# $(date -Is), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("$SIGBLOCK_BIN" --version 2>/dev/null || echo sigblock)"
  if command -v hyperfine >/dev/null; then
    hyperfine -N --runs 5 --prepare "rm -rf $work/out" \
      "$SIGBLOCK_BIN batch $work/same.csv --out $work/out --format text --date 2027-01-15" \
      "$SIGBLOCK_BIN batch $work/distinct.csv --out $work/out --format text --date 2027-01-15" 2>&1
  else
    for csv in same distinct; do
      rm -rf "$work/out"
      start=$(date +%s%N)
      "$SIGBLOCK_BIN" batch "$work/$csv.csv" --out "$work/out" --format text --date 2027-01-15 >/dev/null 2>&1
      echo "$csv: $(( ($(date +%s%N) - start) / 1000000 )) ms"
    done
  fi
} | tee "$results"
