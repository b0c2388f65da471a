#!/usr/bin/env bash
# HR's gallery (index.html) in a real browser: how big it is and how soon headless
# Chromium shows its first cards, for 15 rows and for 10,000 rows, in the same run.
#   bash benches/gallery.sh                 # RUNS=5
#   SIGBLOCK_BIN=/path/to/sigblock RESULTS=/tmp/x.txt bash benches/gallery.sh
# For each size: the page's bytes; then, over RUNS loads of a copy of the page with a
# probe added (a fresh Chromium profile each time): when the first cards were drawn
# (the page's own `sigblock-first-cards` performance mark, ms from navigation start),
# when the load event ended, and the wall time of the whole `chromium --dump-dom` run.
# Target (issue "HR's desk"): 10,000 people in at most 5 MB, first cards in a few seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS=${RUNS:-5}
if [ -n "${SIGBLOCK_BIN:-}" ]; then
  bin=$SIGBLOCK_BIN
else
  cargo build --release --quiet
  bin=$PWD/target/release/sigblock
fi
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SIGBLOCK_CACHE_DIR=$work/cache

make_csv() { # rows
  python3 - "$1" <<'PY'
import sys
rows = int(sys.argv[1])
units = ["CTRT", "RPB", "ATU", "CTPSU"]
print("name,title,unit,email,phone")
for i in range(rows):
    print(f"Person {i:05} Núñez,Program Analyst {i % 7},{units[i % 4]},person{i}@dss.ca.gov,(916) 555-{i % 10000:04d}")
PY
}

probe='<script>window.addEventListener("load",()=>setTimeout(()=>{const n=performance.getEntriesByType("navigation")[0];const f=performance.getEntriesByName("sigblock-first-cards")[0];document.body.setAttribute("data-probe",JSON.stringify({first:f?f.startTime:null,load:n.loadEventEnd,cards:document.querySelectorAll("section.card").length}))},0));</script></body>'

out=${RESULTS:-benches/results/gallery-$(date +%F).txt}
{
  echo "# sigblock gallery in headless Chromium, $(date -u +%FT%TZ), $(nproc) cores, $(chromium --version 2>/dev/null | head -1)"
  echo "# RUNS=$RUNS per size; medians; first = the page's sigblock-first-cards mark, load = loadEventEnd (ms from navigation start)"
  printf '%8s %10s %10s %10s %10s %10s\n' rows bytes first_ms load_ms wall_ms cards@load
  for rows in 15 10000; do
    make_csv "$rows" > "$work/staff-$rows.csv"
    "$bin" batch "$work/staff-$rows.csv" --out "$work/g$rows" --date 2027-01-15 >/dev/null 2>&1 || true
    bytes=$(stat -c %s "$work/g$rows/index.html")
    python3 - "$work/g$rows/index.html" "$work/g$rows/_probe.html" "$probe" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "w", encoding="utf-8").write(page.replace("</body>", sys.argv[3], 1))
PY
    firsts=(); loads=(); walls=(); cards=0
    for _ in $(seq "$RUNS"); do
      start=$(date +%s%N)
      dom=$(timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --allow-file-access-from-files --user-data-dir="$work/profile-$RANDOM" \
        --dump-dom "file://$work/g$rows/_probe.html" 2>/dev/null)
      end=$(date +%s%N)
      read -r first load n < <(python3 -c '
import sys, json, re, html
m = re.search(r"data-probe=\"([^\"]*)\"", sys.stdin.read())
p = json.loads(html.unescape(m.group(1)))
print(round(p["first"] or -1), round(p["load"]), p["cards"])' <<<"$dom")
      firsts+=("$first"); loads+=("$load"); walls+=($(( (end - start) / 1000000 ))); cards=$n
    done
    median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
    printf '%8s %10s %10s %10s %10s %10s\n' "$rows" "$bytes" "$(median "${firsts[@]}")" \
      "$(median "${loads[@]}")" "$(median "${walls[@]}")" "$cards"
  done
} | tee "$out"
echo "written to $out"
