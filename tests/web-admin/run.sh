#!/usr/bin/env bash
# ctest's entry for the web admin's browser tests: installs playwright-core under
# build/tools when it is missing, then runs one of them (default admin_browser_test.mjs).
# usage: run.sh <govassess binary> <source dir> [test file in this folder]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v node >/dev/null 2>&1 || { echo "node is not installed (./test.sh installs it)" >&2; exit 1; }
modules="$("$here/../../scripts/ensure-playwright.sh")"
NODE_PATH="$modules" exec node "$here/${3:-admin_browser_test.mjs}" "$1" "$2"
