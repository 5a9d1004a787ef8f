#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
. scripts/common.sh
# The tests also need a browser and node for the web admin's browser test (Debian's
# Chromium; node and npm from Debian unless another node is already installed).
extra=(chromium)
command -v node >/dev/null 2>&1 || extra+=(nodejs)
command -v npm >/dev/null 2>&1 || extra+=(npm)
govassess_ensure_packages "${extra[@]}"
govassess_build
cd "${GOVASSESS_BUILD_DIR:-build}"
ctest --output-on-failure -j"$(nproc)" --timeout 900 "$@"
