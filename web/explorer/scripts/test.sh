#!/usr/bin/env bash
# The web explorer's checks, as scripts/test runs them:
#   1. the committed build (dist/, which the node embeds) is what the
#      sources build to: `npm ci` from the lockfile, `npm run build`
#      (type check + Vite), then no difference under dist/;
#   2. browser tests (tests/explorer.test.mjs): Debian's chromium, headless,
#      driven by playwright-core, against a devnet on free 127.0.0.1 ports
#      seeded by the README tour (scripts/readme-tour --then), the explorer
#      served by that node at /explorer/.
# Usage: web/explorer/scripts/test.sh PATH/TO/fructus
# Screenshots: $EXPLORER_SCREENSHOTS, default
# ${CARGO_TARGET_DIR:-target}/explorer-screenshots (not committed).
# Chromium: $CHROMIUM, default /usr/bin/chromium (Debian package chromium).
set -euo pipefail
if [ $# -ne 1 ]; then
    echo "usage: $0 PATH/TO/fructus" >&2
    exit 2
fi
fructus="$(realpath "$1")"
explorer="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$explorer/../.." && pwd)"
cd "$explorer"

echo "explorer: npm ci (from package-lock.json)"
timeout 600 npm ci --no-audit --no-fund --silent
echo "explorer: npm run build; the committed dist/ must match"
timeout 300 npm run build --silent > /dev/null
if ! git diff --exit-code --stat -- dist || [ -n "$(git status --porcelain -- dist)" ]; then
    echo "web/explorer/dist differs from a build of the sources: run 'npm run build' in web/explorer and commit dist/" >&2
    git status --short -- dist >&2
    exit 1
fi

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
    echo "no chromium at $chromium (Debian package chromium; set CHROMIUM to use another)" >&2
    exit 1
fi
shots="${EXPLORER_SCREENSHOTS:-${CARGO_TARGET_DIR:-$repo/target}/explorer-screenshots}"
rm -rf "$shots"
mkdir -p "$shots"
echo "explorer: browser tests against a toured devnet (screenshots in $shots)"
EXPLORER_SCREENSHOTS="$shots" CHROMIUM="$chromium" timeout 1200 \
    "$repo/scripts/readme-tour" "$fructus" --then node "$explorer/tests/explorer.test.mjs"
