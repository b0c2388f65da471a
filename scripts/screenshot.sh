#!/usr/bin/env bash
# Makes the README's picture: a sample signature rendered by headless Chromium.
#   bash scripts/screenshot.sh   (needs Debian's chromium; .ci/run installs it)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/sigblock --name "Ana Ruiz" --title "Program Analyst" --unit CTRT \
  --email ana.ruiz@dss.ca.gov --phone "(916) 555-0100" --date 2027-01-15 \
  --no-clipboard --out "$work" >/dev/null 2>&1
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$work/profile" --window-size=680,330 \
  --screenshot="$PWD/assets/readme-signature.png" "file://$work/ana-ruiz.html" 2>/dev/null
echo "wrote assets/readme-signature.png"
