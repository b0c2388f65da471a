#!/usr/bin/env bash
# The real Windows build, end to end under Wine: `bash scripts/windows-e2e.sh`.
#
# Runs as root on a fresh Debian 12 machine (or again on a prepared one: every step is
# skipped when already done), from any directory. It
#   1. installs Wine 8 (wine64 wine), the MinGW cross-compiler, Xvfb, xauth, xclip, and
#      unrtf and chromium (to read what install writes)
#      (apt, with retries) and the x86_64-pc-windows-gnu Rust target;
#   2. cross-builds sigblock.exe (debug; SIGBLOCK_WIN_PROFILE=release for the release one;
#      SIGBLOCK_WIN_EXE=path/to/sigblock.exe tests that .exe instead, e.g. an older one);
#   3. builds scripts/wine/shim.c into bcryptprimitives.dll beside the .exe (Wine 8 lacks
#      ProcessPrng, which Rust std >= 1.78 needs: without it the .exe does not start),
#      and scripts/wine/hold.c into hold.exe (a test helper that keeps a file open);
#   4. makes a throwaway Wine prefix and an X display (Xvfb) for Wine's clipboard;
#   5. runs `cargo test --locked --test tests -- --ignored --test-threads=1 windows::`
#      (tests/windows.rs, the windows module of the one test binary).
# Honours CARGO_TARGET_DIR (and every other CARGO_* variable, e.g. CARGO_BUILD_JOBS).
# Extra arguments go to the test binary: `bash scripts/windows-e2e.sh clipboard` runs the
# windows:: tests whose name also contains "clipboard" (or `--exact windows::<name>`).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec </dev/null

START=$(date +%s)
PHASE_NAME=""
PHASE_START=$START
TIMINGS=()
phase() {
  local now
  now=$(date +%s)
  if [ -n "$PHASE_NAME" ]; then
    TIMINGS+=("$(printf '%5ss  %s' "$((now - PHASE_START))" "$PHASE_NAME")")
  fi
  PHASE_NAME="$*"
  PHASE_START=$now
  [ -z "$PHASE_NAME" ] || printf '\n==== %s  [+%ss]\n' "$PHASE_NAME" "$((now - START))"
}
print_timings() {
  phase ""
  printf '\n==== timings (total %ss)\n' "$(($(date +%s) - START))"
  [ ${#TIMINGS[@]} -eq 0 ] || printf '%s\n' "${TIMINGS[@]}"
}

OWN_PREFIX=""
XVFB_PID=""
XVFB_FD_FILE=""
cleanup() {
  local status=$?
  # Only what this script started: the wineserver of its own prefix (and the Wine
  # programs in it), its Xvfb by process id, the prefix's folder.
  if [ -n "$OWN_PREFIX" ] && [ -d "$OWN_PREFIX" ]; then
    WINEPREFIX="$OWN_PREFIX" wineserver -k 2>/dev/null || true
    WINEPREFIX="$OWN_PREFIX" wineserver -w 2>/dev/null || true
    rm -rf "$OWN_PREFIX"
  fi
  if [ -n "$XVFB_PID" ]; then
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
  fi
  [ -z "$XVFB_FD_FILE" ] || rm -f "$XVFB_FD_FILE"
  print_timings
  [ "$status" -eq 0 ] && echo "windows e2e: passed" || echo "windows e2e: FAILED ($status)" >&2
  exit "$status"
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
WIN_TARGET=x86_64-pc-windows-gnu
PROFILE="${SIGBLOCK_WIN_PROFILE:-debug}"
case "$PROFILE" in
  debug) PROFILE_FLAG=() ;;
  release) PROFILE_FLAG=(--release) ;;
  *) echo "SIGBLOCK_WIN_PROFILE must be debug or release, not $PROFILE" >&2; exit 2 ;;
esac

# The windows:: tests of the one test binary (tests/tests.rs), with this script's arguments
# as the test binary takes them. libtest runs a test that matches ANY of its name filters,
# so a word given here ("clipboard") cannot simply go beside `windows::`: it is matched
# here against the windows:: tests' names (whole names with --exact), which then run
# with --exact. Options (--nocapture, --skip NAME, ...) pass through.
run_windows_tests() {
  local options=() words=() exact=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --exact) exact=1 ;;
      --skip | --test-threads | --format | --color | --logfile | -Z)
        options+=("$1" "${2:?$1 takes a value}")
        shift
        ;;
      -*) options+=("$1") ;;
      *) words+=("$1") ;;
    esac
    shift
  done
  local run=(cargo test --locked --test tests -- --ignored --test-threads=1)
  if [ ${#words[@]} -eq 0 ]; then
    "${run[@]}" "${options[@]}" windows::
    return
  fi
  local all=() names=() name word
  mapfile -t all < <("${run[@]:0:5}" -- --list --ignored windows:: | sed -n 's/: test$//p')
  for name in "${all[@]}"; do
    for word in "${words[@]}"; do
      if { [ "$exact" -eq 1 ] && [ "$name" = "$word" ]; } ||
        { [ "$exact" -eq 0 ] && [[ $name == *"$word"* ]]; }; then
        names+=("$name")
        break
      fi
    done
  done
  if [ ${#names[@]} -eq 0 ]; then
    echo "no windows:: test matches ${words[*]} (of ${#all[@]}: ${all[*]})" >&2
    return 1
  fi
  "${run[@]}" "${options[@]}" --exact "${names[@]}"
}

# ---------------------------------------------------------------------------
phase "system packages (wine64 wine, mingw, xvfb, xauth, xclip, unrtf, chromium)"
# wine32 (i386) is not needed: sigblock.exe is 64-bit. Debian's `wine` wrapper says so on
# stderr unless WINEDEBUG is -all, which is set below.
APT_PKGS=(wine64 wine gcc-mingw-w64-x86-64 xvfb xauth xclip unrtf chromium)
missing=()
for p in "${APT_PKGS[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "all present: ${APT_PKGS[*]}"
else
  echo "installing: ${missing[*]}"
  for try in 1 2 3; do
    if apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; then
      break
    fi
    [ "$try" -lt 3 ] || { echo "apt-get failed" >&2; exit 1; }
    echo "apt-get failed (try $try), retrying in 10s" >&2
    sleep 10
  done
fi

# ---------------------------------------------------------------------------
phase "rust target $WIN_TARGET"
installed_targets=$(rustup target list --installed)
grep -qx "$WIN_TARGET" <<<"$installed_targets" || rustup target add "$WIN_TARGET"
rustc --version

# ---------------------------------------------------------------------------
phase "cargo build --locked${PROFILE_FLAG[*]:+ ${PROFILE_FLAG[*]}} --target $WIN_TARGET"
cargo build --locked "${PROFILE_FLAG[@]}" --target "$WIN_TARGET"
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
[ -n "$TARGET_DIR" ] || { echo "cannot find cargo's target directory" >&2; exit 1; }
EXE_DIR="$TARGET_DIR/$WIN_TARGET/$PROFILE"
EXE="$EXE_DIR/sigblock.exe"
[ -f "$EXE" ] || { echo "no $EXE after the build" >&2; exit 1; }
if [ -n "${SIGBLOCK_WIN_EXE:-}" ]; then
  # Another build's .exe (an older release, to see which tests it fails): copied into a
  # folder of its own, where the shim below goes beside it.
  [ -f "$SIGBLOCK_WIN_EXE" ] || { echo "SIGBLOCK_WIN_EXE: no file $SIGBLOCK_WIN_EXE" >&2; exit 2; }
  EXE_DIR="$TARGET_DIR/wine-other"
  EXE="$EXE_DIR/sigblock.exe"
  mkdir -p "$EXE_DIR"
  cp "$SIGBLOCK_WIN_EXE" "$EXE"
  echo "testing $SIGBLOCK_WIN_EXE (SIGBLOCK_WIN_EXE), not this checkout's build"
fi
ls -l "$EXE"

# ---------------------------------------------------------------------------
phase "bcryptprimitives.dll shim beside the .exe; hold.exe"
SHIM="$EXE_DIR/bcryptprimitives.dll"
if [ ! -f "$SHIM" ] || [ scripts/wine/shim.c -nt "$SHIM" ] || [ scripts/wine/shim.def -nt "$SHIM" ]; then
  x86_64-w64-mingw32-gcc -shared -O2 -Wall -Wextra -o "$SHIM" \
    scripts/wine/shim.c scripts/wine/shim.def
fi
# A test helper: keeps a file open the way another Windows program would.
HOLD="$TARGET_DIR/wine-helpers/hold.exe"
if [ ! -f "$HOLD" ] || [ scripts/wine/hold.c -nt "$HOLD" ]; then
  mkdir -p "$(dirname "$HOLD")"
  x86_64-w64-mingw32-gcc -municode -O2 -Wall -Wextra -o "$HOLD" scripts/wine/hold.c
fi
# And one that makes a registry key `reg add` cannot type (a line break in its name).
REGKEY="$TARGET_DIR/wine-helpers/regkey.exe"
if [ ! -f "$REGKEY" ] || [ scripts/wine/regkey.c -nt "$REGKEY" ]; then
  mkdir -p "$(dirname "$REGKEY")"
  x86_64-w64-mingw32-gcc -municode -O2 -Wall -Wextra -o "$REGKEY" scripts/wine/regkey.c -ladvapi32
fi
ls -l "$SHIM" "$HOLD" "$REGKEY"

# ---------------------------------------------------------------------------
phase "cargo test --locked --test tests --no-run (the host test binary)"
cargo test --locked --test tests --no-run

# ---------------------------------------------------------------------------
phase "wine prefix and X display"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=d" # no prompts to install Wine's Mono or Gecko
export LC_ALL=C.UTF-8                       # Wine converts argv from the locale's charset
OWN_PREFIX=$(mktemp -d /tmp/sigblock-wine.XXXXXX)
export WINEPREFIX="$OWN_PREFIX"

# An X server for Wine's desktop and clipboard; -displayfd says which display it took.
XVFB_FD_FILE=$(mktemp)
Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x800x24 -noreset 3>"$XVFB_FD_FILE" \
  >/dev/null 2>&1 &
XVFB_PID=$!
for _ in $(seq 100); do
  [ -s "$XVFB_FD_FILE" ] && break
  kill -0 "$XVFB_PID" 2>/dev/null || { echo "Xvfb stopped" >&2; exit 1; }
  sleep 0.1
done
[ -s "$XVFB_FD_FILE" ] || { echo "Xvfb did not start" >&2; exit 1; }
export SIGBLOCK_WINE_DISPLAY=":$(tr -d '[:space:]' <"$XVFB_FD_FILE")"
export DISPLAY="$SIGBLOCK_WINE_DISPLAY"
echo "Xvfb on $SIGBLOCK_WINE_DISPLAY"

# A new prefix takes tens of seconds the first time. "failed to open ...syswow64\..."
# is the missing 32-bit half: harmless for a 64-bit .exe.
wine wineboot --init 2>&1 | grep -v 'syswow64' || true
wineserver -w
[ -d "$WINEPREFIX/drive_c" ] || { echo "wineboot made no prefix in $WINEPREFIX" >&2; exit 1; }
echo "prefix $WINEPREFIX: $(wine --version 2>/dev/null)"

# ---------------------------------------------------------------------------
phase "smoke: sigblock.exe --version under wine"
# Keep the Wine server up between the tests' runs (each start is then ~0.5 s); stopped
# in cleanup.
wineserver -p
wine "$EXE" --version

# ---------------------------------------------------------------------------
phase "cargo test --locked --test tests -- --ignored --test-threads=1 windows::"
export SIGBLOCK_EXE="$EXE" SIGBLOCK_WINE_HOLD="$HOLD" SIGBLOCK_WINE_REGKEY="$REGKEY"
run_windows_tests "$@"
phase "clean up (wineserver -k, Xvfb, the prefix)"
