#!/usr/bin/env bash
# Makes sure playwright-core (the browser driver the web admin's browser test uses, with
# Debian's /usr/bin/chromium; it downloads no browser of its own) is installed under
# build/tools, and prints the node_modules folder to put on NODE_PATH. Idempotent and
# quiet when it is already there. Exit 0 with the path on stdout; exit 3 with the reason
# on stderr when node/npm are missing or the install failed.
set -u
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="${GOVASSESS_TOOLS_DIR:-$root/build/tools}"
version="${GOVASSESS_PLAYWRIGHT_VERSION:-1.64.1}"
mod="$tools/node_modules/playwright-core"
if [ -f "$mod/package.json" ]; then
  echo "$tools/node_modules"
  exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node/npm are not installed (apt-get install nodejs npm)" >&2
  exit 3
fi
mkdir -p "$tools"
# One installer at a time (tests may run in parallel).
exec 9>"$tools/.playwright.lock"
flock 9 2>/dev/null || true
if [ ! -f "$mod/package.json" ]; then
  log="$tools/playwright-install.log"
  if ! PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$tools" "playwright-core@$version" \
      --no-audit --no-fund >"$log" 2>&1; then
    echo "npm install playwright-core@$version failed; see $log" >&2
    exit 3
  fi
fi
[ -f "$mod/package.json" ] || { echo "playwright-core missing after install" >&2; exit 3; }
echo "$tools/node_modules"
