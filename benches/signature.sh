#!/usr/bin/env bash
# One staff member's signature, end to end (issue 2 and 5 target: median <= 40 ms).
#   bash benches/signature.sh
#   SIGBLOCK_BIN=/path/to/sigblock RESULTS=/tmp/other.txt bash benches/signature.sh
# Measures, with hyperfine, the release binary making <slug>.html + <slug>.txt:
#   warm   the usual case: the optimised banner is in the content-addressed cache
#   cold   no cache at all (SIGBLOCK_CACHE_DIR=""): render + quantise + optimise every time
# and, as the floor on the same machine in the same run, `cp` of the two files it makes.
# Results go to benches/results/signature-<date>.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
if [ -n "${SIGBLOCK_BIN:-}" ]; then
  bin=$SIGBLOCK_BIN # another build to compare; no cargo build
else
  cargo build --release --quiet
  bin=$PWD/target/release/sigblock
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SIGBLOCK_CACHE_DIR=$work/cache
args=(--name "Ana Ruiz" --title "Program Analyst" --unit CTRT --email ana.ruiz@dss.ca.gov
      --phone "(916) 555-0100" --date 2027-01-15 --no-clipboard --out "$work/out")
"$bin" "${args[@]}" >/dev/null 2>&1   # fills the cache
q() { printf '%q ' "$@"; }
out=${RESULTS:-benches/results/signature-$(date +%F).txt}
{
  echo "# sigblock one-person signature, $(date -u +%FT%TZ), $(nproc) cores, $(uname -m)"
  echo "# banner PNG: $(stat -c %s "$work/cache"/banner-*.png) bytes"
  hyperfine -N --warmup 5 --runs 200 --style basic --export-json "$work/warm.json" \
    -n warm "$(q "$bin" "${args[@]}")" \
    -n "floor: cp of its 2 files" "cp $work/out/ana-ruiz.html $work/out/ana-ruiz.txt $work/" 2>&1 | grep -v '^ *$'
  SIGBLOCK_CACHE_DIR= hyperfine -N --warmup 2 --runs 20 --style basic --export-json "$work/cold.json" \
    -n "cold (no cache)" "$(q "$bin" "${args[@]}")" 2>&1 | grep -v '^ *$'
  echo "# medians (target: warm <= 40 ms)"
  python3 - "$work/warm.json" "$work/cold.json" <<'PY'
import json, sys
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        print(f"{r['command'][:40]:40} median {r['median']*1000:7.1f} ms")
PY
} | tee "$out"
echo "written to $out"
