#!/usr/bin/env bash
# Memory of a rerun beside the first run (hostile round three: a rerun stays within 1.5x
# of a first run's peak RSS): `sigblock batch` of ROWS rows with --format text into a
# fresh folder on tmpfs, then the same batch again into that folder (every file there is
# sigblock's: the record is read and every file replaced), each under GNU time.
#
#   bash benches/rerun.sh                          # ROWS=1000000
#   ROWS=100000 bash benches/rerun.sh
#   BASELINE_BIN=/path/to/older/sigblock bash benches/rerun.sh   # both, in the same run
#
# tmpfs holds every file in memory (a page each: a million people take ~4 GB of RAM
# there), so the disk's noise stays out of it. Results go to benches/results/rerun-<date>.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-1000000}
DAY=2027-01-15
if [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
if [ -n "${SIGBLOCK_BIN:-}" ]; then
  bin=$SIGBLOCK_BIN
else
  cargo build --release --quiet
  bin=$PWD/target/release/sigblock
fi
shm=/dev/shm/sigblock-bench-rerun-$$
mkdir -p "$shm"
trap 'rm -rf "$shm"' EXIT
export SIGBLOCK_CACHE_DIR=$shm/cache

python3 - "$ROWS" >"$shm/staff.csv" <<'PY'
import sys
units = ["CTRT", "RPB", "Asylee and Trafficking Unit", "Child Trafficking Program Support Unit"]
out = sys.stdout
out.write("name,title,unit,email,phone\n")
for i in range(int(sys.argv[1])):
    out.write(f"Person {i:07d} Núñez,Program Analyst,{units[i % 4]},p{i}@dss.ca.gov,(916) 555-{i % 10000:04d}\n")
PY

# Peak RSS (KB), wall time (s) and exit status of one batch into OUT; the run's own
# stderr is kept in OUT.log, so a run that stopped early is seen, not taken as a result.
run() { # BIN OUT
  /usr/bin/time -o "$2.time" -f "%M %e %x" "$1" batch "$shm/staff.csv" --out "$2" \
    --format text --date "$DAY" >/dev/null 2>"$2.log" || true
  tail -1 "$2.time"
}

result=${RESULTS:-benches/results/rerun-$(date +%F).txt}
{
  echo "# sigblock batch rerun memory, $(date -u +%FT%TZ), $(nproc) cores, load average$(uptime | sed 's/.*load average//')"
  echo "# ROWS=$ROWS --format text, output on /dev/shm; peak RSS by GNU time %M"
  for b in "$bin" ${BASELINE_BIN:+"$BASELINE_BIN"}; do
    rm -rf "$shm/out" "$shm/out.time" "$shm/out.log"
    read -r first_kb first_s first_x < <(run "$b" "$shm/out")
    first_files=$(find "$shm/out" -maxdepth 1 -name '*.txt' | wc -l)
    read -r again_kb again_s again_x < <(run "$b" "$shm/out")
    python3 - "$b" "$first_kb" "$first_s" "$again_kb" "$again_s" <<'PY'
import sys
b, fk, fs, ak, as_ = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
ratio = ak / fk
verdict = "ok" if ratio <= 1.5 else "MISSED"
print(f"{b}\n  first run {fk / 1024:7.1f} MB {fs:>7} s | rerun {ak / 1024:7.1f} MB {as_:>7} s"
      f" | rerun/first {ratio:.2f}x (target <= 1.5x: {verdict})")
PY
    echo "  exit status: first run $first_x ($first_files people's .txt), rerun $again_x"
    [ "$again_x" = 0 ] || echo "  the rerun said: $(tail -n 1 "$shm/out.log" | cut -c1-300)"
    rm -rf "$shm/out" "$shm/out.time" "$shm/out.log"
  done
} | tee "$result"
echo "written to $result"
