#!/usr/bin/env bash
# Makes sure the Redocly CLI (the OpenAPI linter) is installed under build/tools, and
# prints the path of its executable. Idempotent and quiet when it is already there.
# Exit 0 with the path on stdout; exit 3 (and a WARN on stderr) when node/npm are
# missing or the install failed, so callers can skip the lint.
set -u
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="${GOVASSESS_TOOLS_DIR:-$root/build/tools}"
bin="$tools/node_modules/.bin/redocly"
# A 1.x version known to resolve on the registry mirror used here.
version="${GOVASSESS_REDOCLY_VERSION:-1.25.11}"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "WARN: node/npm not installed; cannot lint the OpenAPI document (apt-get install nodejs npm)" >&2
  exit 3
fi
mkdir -p "$tools"
# One installer at a time (tests may run in parallel).
exec 9>"$tools/.redocly.lock"
flock 9 2>/dev/null || true
if [ ! -x "$bin" ]; then
  log="$tools/redocly-install.log"
  if ! npm install --prefix "$tools" "@redocly/cli@$version" --no-audit --no-fund >"$log" 2>&1; then
    echo "WARN: npm install @redocly/cli@$version failed; see $log" >&2
    exit 3
  fi
fi
[ -x "$bin" ] || { echo "WARN: redocly missing after install" >&2; exit 3; }
echo "$bin"
