#!/usr/bin/env bash
# HR batch, end to end (issue 3 targets):
#   time    `sigblock batch` of a generated 10,000-row CSV <= 1.5x `cp -r` of the folder
#           it makes, to a fresh folder on the same filesystem, measured in the same run,
#           on disk (target/bench-batch) and on tmpfs (/dev/shm);
#   memory  peak RSS for 10,000 vs 40,000 rows flat within 10 %, and <= 64 MB.
#
#   bash benches/batch.sh                        # ROWS=10000 ROUNDS=5 RUNS=1
#   ROWS=2000 ROUNDS=1 RUNS=3 bash benches/batch.sh
#   SIGBLOCK_BIN=/path/to/sigblock RESULTS=/tmp/other.txt bash benches/batch.sh
#                                                # another build, results elsewhere
#   NO_HYPERFINE=1 bash benches/batch.sh         # the plain loop, as without hyperfine
#
# Timing: hyperfine when present (Debian package `hyperfine`), else a loop timed with
# `date +%s%N`. The machine is shared and its disk is noisy (the same `cp -r` takes 4 to
# 12 s from one minute to the next), so sigblock and cp -r are measured in alternating
# ROUNDS (each RUNS runs of both, back to back, the first one swapped every round) and
# the ratio is taken per round; the table gives medians over all runs and the median and
# range of the per-round ratios.
# Every timed run writes into a folder that does not exist yet, after a `sync`, so both
# create every file and neither pays for the other's writeback.
# Memory: GNU time (`/usr/bin/time -f %M`, Debian package `time`, installed below with
# apt-get if missing; bash's builtin `time` cannot report memory).
# The banner cache is warm (a first run fills it): a cold render adds ~0.15 s once
# (benches/signature.sh). Results go to benches/results/batch-<date>.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-10000}
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-1}
BIG=$((ROWS * 4))
DAY=2027-01-15

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (Debian package 'time') for peak RSS" >&2
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

if [ -n "${SIGBLOCK_BIN:-}" ]; then
  bin=$SIGBLOCK_BIN # another build to compare (e.g. a patched copy); no cargo build
else
  cargo build --release --quiet
  bin=$PWD/target/release/sigblock
fi

# hyperfine if installed (NO_HYPERFINE=1 forces the plain loop, e.g. to check it).
timer="date +%s%N loop"
if [ -z "${NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null; then
  timer=$(hyperfine --version)
fi

disk=$PWD/target/bench-batch
shm=/dev/shm/sigblock-bench-batch-$$
rm -rf "$disk"
mkdir -p "$disk/json" "$shm"
trap 'rm -rf "$disk" "$shm"' EXIT
export SIGBLOCK_CACHE_DIR=$disk/cache

# staff.csv with N realistic rows: four units, accents, email and phone on every row.
make_csv() { # ROWS FILE
  python3 - "$1" >"$2" <<'PY'
import sys
first = "Ana Bo Cy Di Eve José Zoë María Nguyễn Priya Kwame Fatima Siobhán Darnell Lan Omar Mei Raúl Inés Tomás".split()
last = "Ruiz Li Ng Roe Park Núñez Thompson Hernández Tran Raman Mensah Al-Sayed O'Connor Washington Kim Haddad Chen García Costa Silva".split()
units = ["CTRT", "RPB", "Asylee and Trafficking Unit", "Child Trafficking Program Support Unit"]
out = sys.stdout
out.write("name,title,unit,email,phone\n")
for i in range(int(sys.argv[1])):
    f, l, k = first[i % 20], last[(i // 20) % 20], i // 400
    name = f"{f} {l} {k}" if k else f"{f} {l}"
    user = "".join(c for c in f"{f}.{l}".lower() if c.isascii() and (c.isalnum() or c == "."))
    out.write(f"{name},Program Analyst {i % 7 + 1},{units[i % 4]},{user}{i}@dss.ca.gov,(916) 555-{i % 10000:04d}\n")
PY
}
make_csv "$ROWS" "$disk/staff.csv"
make_csv "$BIG" "$disk/staff-big.csv"

batch_cmd() { # OUT
  printf '%q batch %q --out %q --date %s' "$bin" "$disk/staff.csv" "$1" "$DAY"
}
"$bin" batch "$disk/staff.csv" --out "$disk/warmup" --date "$DAY" >/dev/null 2>&1
rm -rf "$disk/warmup"

# One round: RUNS timed runs of each command, written as hyperfine-style JSON.
round() { # LABEL DIR N
  local label=$1 dir=$2 n=$3 json=$disk/json/$1-$3.json
  local sig cp
  sig=$(batch_cmd "$dir/out")
  cp="cp -r '$dir/made' '$dir/copy'"
  # Odd rounds run sigblock first, even rounds cp -r first: this disk slows down as a
  # round goes on, and whichever runs first would otherwise always be favoured.
  local a=(sigblock "$sig" "$dir/out") b=("cp -r" "$cp" "$dir/copy")
  if [ $((n % 2)) -eq 0 ]; then
    local t=("${a[@]}")
    a=("${b[@]}") b=("${t[@]}")
  fi
  if [ "$timer" != "date +%s%N loop" ]; then
    hyperfine --runs "$RUNS" --style none --export-json "$json" \
      --prepare "rm -rf '${a[2]}' && sync" --prepare "rm -rf '${b[2]}' && sync" \
      -n "${a[0]}" "${a[1]}" -n "${b[0]}" "${b[1]}" >/dev/null
  else
    local ta=() tb=() t0 t1
    for _ in $(seq "$RUNS"); do
      rm -rf "${a[2]}" && sync
      t0=$(date +%s%N); bash -c "${a[1]}" >/dev/null 2>&1; t1=$(date +%s%N); ta+=("$(((t1 - t0) / 1000))")
      rm -rf "${b[2]}" && sync
      t0=$(date +%s%N); bash -c "${b[1]}" >/dev/null 2>&1; t1=$(date +%s%N); tb+=("$(((t1 - t0) / 1000))")
    done
    python3 - "$json" "${a[0]}" "${ta[*]}" "${b[0]}" "${tb[*]}" <<'PY'
import json, sys
_, path, name_a, times_a, name_b, times_b = sys.argv
results = [{"command": n, "times": [int(t) / 1e6 for t in ts.split()]}
           for n, ts in ((name_a, times_a), (name_b, times_b))]
json.dump({"results": results}, open(path, "w"))
PY
  fi
  rm -rf "$dir/out" "$dir/copy"
}

# sigblock vs cp -r on one filesystem; prints a table row.
measure() { # LABEL DIR
  local label=$1 dir=$2
  # What cp copies: exactly the folder sigblock makes from this CSV.
  "$bin" batch "$disk/staff.csv" --out "$dir/made" --date "$DAY" >/dev/null 2>&1
  for n in $(seq "$ROUNDS"); do
    round "$label" "$dir" "$n"
  done
  python3 - "$label" "$(stat -f -c %T "$dir")" "$(find "$dir/made" -type f | wc -l)" \
    "$(du -sk "$dir/made" | cut -f1)" "$disk"/json/"$label"-*.json <<'PY'
import json, statistics as st, sys
label, fs, files, kb, *paths = sys.argv[1:]
sig, cp, ratios, cpu_s, cpu_c = [], [], [], [], []
for path in paths:
    s, c = sorted(json.load(open(path))["results"], key=lambda r: r["command"] != "sigblock")
    sig += s["times"]; cp += c["times"]
    ratios.append(st.median(s["times"]) / st.median(c["times"]))
    if "user" in s:
        cpu_s.append((s["user"], s["system"])); cpu_c.append((c["user"], c["system"]))
ratio = st.median(ratios)
verdict = "ok" if ratio <= 1.5 else f"MISSED: {ratio / 1.5 * 100 - 100:.0f} % over"
def cpu_of(pairs):
    return f"user {st.mean(u for u, _ in pairs):.2f} s + sys {st.mean(y for _, y in pairs):.2f} s"
cpu = f"\n     CPU (mean): sigblock {cpu_of(cpu_s)}; cp -r {cpu_of(cpu_c)}" if cpu_s else ""
print(f"{label:4} ({fs}, {files} files, {int(kb) / 1024:.0f} MB) sigblock {st.median(sig):6.2f} s"
      f" | cp -r {st.median(cp):6.2f} s | ratio {ratio:.2f}x (rounds {min(ratios):.2f}-{max(ratios):.2f};"
      f" target <= 1.5x: {verdict}){cpu}")
PY
  rm -rf "$dir/made"
}

# Peak RSS in KB: the median of five runs (it varies by ~0.5 MB from run to run); output
# on tmpfs, so memory is measured, not the disk.
peak_rss() { # CSV
  local kb=()
  for _ in 1 2 3 4 5; do
    rm -rf "$shm/rss"
    kb+=("$(/usr/bin/time -f %M "$bin" batch "$1" --out "$shm/rss" --date "$DAY" 2>&1 >/dev/null | tail -1)")
  done
  rm -rf "$shm/rss"
  printf '%s\n' "${kb[@]}" | sort -n | sed -n 3p
}

# One more run per filesystem: CPU against wall time, and the system calls.
where() { # LABEL DIR
  rm -rf "$2/out" && sync
  /usr/bin/time -f "$1: %e s wall, %U s user, %S s sys, %P CPU, %c involuntary / %w voluntary switches" \
    "$bin" batch "$disk/staff.csv" --out "$2/out" --date "$DAY" 2>&1 >/dev/null | tail -1
  if command -v strace >/dev/null; then
    rm -rf "$2/out" && sync
    strace -f -c -o "$disk/strace-$1.txt" "$bin" batch "$disk/staff.csv" --out "$2/out" \
      --date "$DAY" >/dev/null 2>&1
    # Columns: % time, seconds, usecs/call, calls, [errors], syscall.
    awk -v l="$1" 'NR > 2 && $0 !~ /^-/ && $NF != "total" && n++ < 6 {
      printf "%s  strace -c: %-10s %7d calls %8.3f s\n", l, $NF, $4, $2 }' "$disk/strace-$1.txt"
  fi
  rm -rf "$2/out"
}

result=${RESULTS:-benches/results/batch-$(date +%F).txt}
{
  echo "# sigblock batch, $(date -u +%FT%TZ), $(nproc) cores, $(uname -m), load average$(uptime | sed 's/.*load average//')"
  if [ -n "${SIGBLOCK_BIN:-}" ]; then
    echo "# binary: $bin (given with SIGBLOCK_BIN, $(stat -c %s "$bin") bytes; not this checkout)"
  else
    echo "# binary: $bin ($(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ', src modified'))"
  fi
  echo "# bash benches/batch.sh  (ROWS=$ROWS ROUNDS=$ROUNDS RUNS=$RUNS;" \
    "$timer; medians)"
  echo "## wall time: $ROWS rows -> 2 files per person + banner.png, index.html, report.csv"
  measure disk "$disk"
  measure shm "$shm"
  echo "## peak RSS (GNU time %M, output on /dev/shm, median of 5)"
  small=$(peak_rss "$disk/staff.csv")
  big=$(peak_rss "$disk/staff-big.csv")
  python3 - "$ROWS" "$BIG" "$small" "$big" <<'PY'
import sys
rows, big_rows, small, big = map(int, sys.argv[1:])
growth = (big - small) / small * 100
flat = "ok" if abs(growth) <= 10 else f"MISSED by {abs(growth) - 10:.1f} points"
cap = "ok" if max(small, big) <= 64 * 1024 else "MISSED"
print(f"{rows:>6} rows {small / 1024:6.1f} MB")
print(f"{big_rows:>6} rows {big / 1024:6.1f} MB")
print(f"growth {growth:+.1f} % (target flat within 10 %: {flat}); largest {max(small, big) / 1024:.1f} MB (target <= 64 MB: {cap})")
PY
  echo "## where the time goes (one run each; strace slows every call, compare counts)"
  where disk "$disk"
  where shm "$shm"
} | tee "$result"
echo "written to $result"
