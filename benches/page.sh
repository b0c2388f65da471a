#!/usr/bin/env bash
# The signature page (sigblock page) beside the plain signature file, in the same
# headless Chromium, in the same run (issue 18: goal ≤ 1.5 MB).
#   bash benches/page.sh                    # RUNS=10 loads of each, KEYS=40 keystrokes
#   SIGBLOCK_BIN=/path/to/sigblock RESULTS=/tmp/x.txt bash benches/page.sh
# Sizes: the page, the part of it that is sigblock's core (the WebAssembly, gzipped,
# in base64), the WebAssembly itself; the plain <slug>.html. Times (benches/page.mjs,
# medians over RUNS, each load in a fresh browser context): first-contentful-paint and
# the load event's end for both; for the page, its sigblock-first-preview mark (the
# engine started from the page and the prefilled signature drawn); per keystroke, the
# page's own work (sigblock-update: the engine's answer and the DOM) and the round trip
# from the key press to the next frame, through the DevTools protocol.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS=${RUNS:-10}
KEYS=${KEYS:-40}
if [ -n "${SIGBLOCK_BIN:-}" ]; then
  bin=$SIGBLOCK_BIN
else
  cargo build --release --quiet
  bin=$PWD/target/release/sigblock
fi
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
[ -d tests/js/node_modules/puppeteer-core ] || (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SIGBLOCK_CACHE_DIR=$work/cache

"$bin" page --out "$work/signature.html" >/dev/null
"$bin" --name "Ana Ruiz" --title "Program Analyst" --unit CTRT --email ana.ruiz@dss.ca.gov \
  --phone "(916) 555-0100" --out "$work" --no-clipboard --date 2027-01-15 >/dev/null 2>&1
read -r page_bytes engine_chars wasm_bytes gz_bytes < <(python3 - "$work/signature.html" <<'PY'
import sys, re, base64, gzip
page = open(sys.argv[1], "rb").read()
engine = re.search(rb'id="sigblock-engine">([^<]*)<', page).group(1).strip()
gz = base64.b64decode(engine)
print(len(page), len(engine), len(gzip.decompress(gz)), len(gz))
PY
)
plain_bytes=$(stat -c %s "$work/ana-ruiz.html")
json=$(node benches/page.mjs "$work/ana-ruiz.html" "$work/signature.html" "$RUNS" "$KEYS")

out=${RESULTS:-benches/results/page-$(date +%F).txt}
{
  echo "# sigblock page in headless Chromium, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(chromium --version 2>/dev/null | head -1)"
  echo "# RUNS=$RUNS loads of each (fresh browser context each), KEYS=$KEYS keystrokes; medians (p90 in brackets); ms from navigation start"
  python3 - "$page_bytes" "$engine_chars" "$wasm_bytes" "$gz_bytes" "$plain_bytes" "$json" <<'PY'
import sys, json, statistics
page, engine, wasm, gz, plain = map(int, sys.argv[1:6])
r = json.loads(sys.argv[6])
def med(xs):
    xs = sorted(x for x in xs if x is not None)
    return f"{statistics.median(xs):7.1f} [{xs[int(0.9 * (len(xs) - 1))]:7.1f}]" if xs else "      -"
print(f"signature.html      {page:>9,} bytes ({page / 1048576:.2f} MB; goal <= 1.5 MB)")
print(f"  sigblock's core   {engine:>9,} characters of base64 = {100 * engine / page:.0f}% of the page")
print(f"                    ({gz:,} bytes gzipped, {wasm:,} bytes of WebAssembly)")
print(f"  the rest          {page - engine:>9,} bytes (form, script, style, units, campaign, banner)")
print(f"ana-ruiz.html       {plain:>9,} bytes (the plain signature file)")
print()
print(f"{'':22}{'first paint':>18}{'load':>18}{'signature shown':>18}")
p = r["plain"]; q = r["page"]
print(f"{'ana-ruiz.html':22}{med([x['fcp'] for x in p]):>18}{med([x['load'] for x in p]):>18}{med([x['fcp'] for x in p]):>18}")
print(f"{'signature.html?…':22}{med([x['fcp'] for x in q]):>18}{med([x['load'] for x in q]):>18}{med([x['first'] for x in q]):>18}")
print()
print(f"per keystroke ({len(r['update'])} typed): the page's work {med(r['update'])} ms; key press to next frame {med(r['roundtrip'])} ms")
PY
} | tee "$out"
echo "written to $out"
