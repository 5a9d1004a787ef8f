#!/usr/bin/env bash
# Makes sure the Redocly CLI (the OpenAPI linter) is installed under build/tools, and
# prints the path of its executable. Idempotent and quiet when it is already there.
# Exit 0 with the path on stdout; exit 3 (and a WARN on stderr) when node/npm are
# missing or the install failed, so callers can skip the lint.
set -u
# A 1.x version known to resolve on the registry mirror used here.
version="${GOVASSESS_REDOCLY_VERSION:-1.25.11}"
if ! modules="$("$(dirname "$0")/ensure-npm-package.sh" @redocly/cli "$version")"; then
  echo "WARN: cannot lint the OpenAPI document without @redocly/cli" >&2
  exit 3
fi
echo "$modules/.bin/redocly"
