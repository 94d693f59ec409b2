#!/usr/bin/env bash
# Remakes docs/report.png, the README's picture of the default report, so that
# it shows what the page says now: runs `boundlab report` into a temporary
# folder and takes headless Chromium's screenshot of the top of the page.
#   bash scripts/screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
chromium=$(command -v chromium || echo /usr/bin/chromium)
[ -x "$chromium" ] || { echo "screenshot: Chromium is needed (apt-get install chromium)" >&2; exit 2; }
out=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$out" "$profile"' EXIT
node bin/boundlab.mjs report --out "$out" >/dev/null || true   # a violation still makes a page worth showing
"$chromium" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
  --window-size=1400,1000 --screenshot=docs/report.png "file://$out/index.html" 2>/dev/null
echo "wrote docs/report.png"
