#!/usr/bin/env bash
# Installs what is missing, builds, and starts GovAssess on http://127.0.0.1:8080 with
# the embedded SQLite database under var/. Extra arguments go to `govassess serve`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
. scripts/common.sh
govassess_ensure_packages
govassess_build
mkdir -p var
exec build/govassess serve --port "${GOVASSESS_PORT:-8080}" --db var/govassess.db "$@"
