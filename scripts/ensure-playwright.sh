#!/usr/bin/env bash
# Makes sure playwright-core (the browser driver of the web admin's browser test; it
# drives Debian's /usr/bin/chromium and downloads no browser of its own) is installed
# under build/tools, and prints the node_modules folder to put on NODE_PATH.
# Idempotent and quiet when it is already there; exit 3 with the reason on stderr when
# node/npm are missing or the install failed.
set -u
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 exec "$(dirname "$0")/ensure-npm-package.sh" playwright-core \
  "${GOVASSESS_PLAYWRIGHT_VERSION:-1.64.1}"
