#!/usr/bin/env bash
# Makes sure an npm package is installed under build/tools (or $GOVASSESS_TOOLS_DIR) and
# prints that folder's node_modules. Idempotent and quiet when it is already there. One
# installer at a time for the whole folder: tests run in parallel, and two npm installs
# into one prefix would spoil each other.
# usage: ensure-npm-package.sh <package> <version>
# Exit 0 with the path on stdout; exit 3 with the reason on stderr when node/npm are
# missing or the install failed.
set -u
package="$1"
version="$2"
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="${GOVASSESS_TOOLS_DIR:-$root/build/tools}"
installed() { [ -f "$tools/node_modules/$package/package.json" ]; }
if installed; then
  echo "$tools/node_modules"
  exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node/npm are not installed (apt-get install nodejs npm)" >&2
  exit 3
fi
mkdir -p "$tools"
exec 9>"$tools/.npm-install.lock"
flock 9 2>/dev/null || true
if ! installed; then
  log="$tools/npm-install-${package//\//_}.log"
  if ! npm install --prefix "$tools" "$package@$version" --no-audit --no-fund >"$log" 2>&1; then
    echo "npm install $package@$version failed; see $log" >&2
    exit 3
  fi
fi
installed || { echo "$package missing after npm install" >&2; exit 3; }
echo "$tools/node_modules"
