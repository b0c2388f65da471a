#!/usr/bin/env bash
# The banner's bytes and quality next to what a careful person gets by hand (issue 5):
#   bash benches/banner.sh
# On the same lossless render, in the same run:
#   ours      sigblock banner (Ward palette merge + oxipng, libdeflate 9), no cache
#   by hand   pngquant --nofs (no dithering) with N colours, then oxipng -o 6, for every N
# The comparison takes the smallest pngquant+oxipng file whose PSNR is no lower than
# ours. Targets: ours <= 12 KB, PSNR >= 45 dB, bytes <= 1.1x that file.
# Needs Debian's pngquant and the oxipng CLI (installed here if missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v pngquant >/dev/null || apt-get install -y -qq pngquant >/dev/null
command -v oxipng >/dev/null || cargo install --quiet --locked oxipng
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
cargo build --release --quiet --bin sigblock --example png_psnr
bin=target/release/sigblock
psnr=target/release/examples/png_psnr
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SIGBLOCK_CACHE_DIR=   # no cache: every run quantises and optimises
day=(--date 2027-01-15)

"$bin" banner --lossless --out "$work/lossless.png" "${day[@]}" >/dev/null
"$bin" banner --out "$work/ours.png" "${day[@]}" >/dev/null
ours_bytes=$(stat -c %s "$work/ours.png")
ours_psnr=$("$psnr" "$work/lossless.png" "$work/ours.png")

out=benches/results/banner-$(date +%F).txt
{
  echo "# banner PNG, $(date -u +%FT%TZ); $(pngquant --version | head -1 | sed 's/^/pngquant /'); $(oxipng --version)"
  printf '%-34s %8s %9s\n' "method" "bytes" "PSNR dB"
  printf '%-34s %8s %9s\n' "lossless render (RGBA)" "$(stat -c %s "$work/lossless.png")" inf
  printf '%-34s %8s %9s\n' "sigblock (ours)" "$ours_bytes" "$ours_psnr"
  best_bytes=""; best_name=""; best_psnr=""
  for n in 8 12 16 20 24 32 48 64 128 256; do
    pngquant --nofs --force --strip --output "$work/pq$n.png" "$n" "$work/lossless.png"
    oxipng --quiet -o 6 --strip safe "$work/pq$n.png"
    b=$(stat -c %s "$work/pq$n.png"); p=$("$psnr" "$work/lossless.png" "$work/pq$n.png")
    printf '%-34s %8s %9s\n' "pngquant --nofs $n + oxipng -o 6" "$b" "$p"
    if python3 -c "import sys; p,o=sys.argv[1:]; sys.exit(0 if (p=='inf' or float(p)>=float(o)) else 1)" "$p" "$ours_psnr"; then
      if [ -z "$best_bytes" ] || [ "$b" -lt "$best_bytes" ]; then best_bytes=$b; best_name="pngquant $n + oxipng -o 6"; best_psnr=$p; fi
    fi
  done
  echo
  echo "smallest by-hand file at no lower PSNR: $best_name, $best_bytes bytes, $best_psnr dB"
  python3 -c "import sys; o,b=map(int,sys.argv[1:]); print(f'ours / by hand = {o/b:.3f} (target <= 1.10); ours <= 12 KB: {o<=12288}')" "$ours_bytes" "$best_bytes"
  echo
  echo "# time to make the banner from SVG, no cache (sigblock banner; includes process start)"
  hyperfine -N --warmup 3 --runs 30 --style basic --export-json "$work/t.json" \
    "$bin banner --out $work/t.png ${day[*]}" 2>&1 | grep -E 'Time|Range'
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f\"median {r['median']*1000:.1f} ms\")" "$work/t.json"
} | tee "$out"
echo "written to $out"
