#!/usr/bin/env bash
# HTTP load with wrk (Debian's `wrk`) against a fresh demo server on this machine.
# Prints wrk's summary for an authenticated read and a durable write at 1, 16 and 128
# connections. Usage: bench/wrk/run.sh [seconds per run, default 10]
# Any setup step that fails stops the run: a load of error answers measures nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
secs="${1:-10}"
command -v wrk >/dev/null || { echo "install wrk: apt-get install wrk" >&2; exit 2; }
dir=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
build/govassess serve --demo --port 18181 --db "$dir/load.db" --threads 128 > "$dir/server.log" &
server=$!
for _ in $(seq 50); do grep -q "listening on" "$dir/server.log" 2>/dev/null && break; sleep 0.2; done
api=http://127.0.0.1:18181/api/v1
login() {
  curl -sf -X POST "$api/session" -d "{\"username\":\"admin\",\"password\":\"$1\"}" |
    sed 's/.*"token":"\([0-9a-f]*\)".*/\1/'
}
# The demo prints one-time passwords: replace the admin's before anything else works.
pw=$(awk '$2 == "admin" {print $3}' "$dir/server.log")
new_pw="wrk-load-$(date +%s)-admin-password"
TOKEN=$(login "$pw")
curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $TOKEN" "$api/me/password" \
  -d "{\"current\":\"$pw\",\"new\":\"$new_pw\"}" || { echo "changing the demo admin's password failed" >&2; exit 1; }
TOKEN=$(login "$new_pw")
export TOKEN
curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" \
  "$api/instances/lifecycle%2F2026%2Fcity%2Fgx-nanning" || { echo "the read route answers an error" >&2; exit 1; }
# The users the write load updates.
for i in $(seq 0 255); do
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" \
    "$api/instances/user%2Fbench.t$i/commands/create" \
    -d "{\"type\":\"user\",\"payload\":{\"username\":\"bench.t$i\",\"role\":\"auditor\"}}" ||
    { echo "creating user bench.t$i failed" >&2; exit 1; }
done
for kind in read write; do
  for c in 1 16 128; do
    echo "== $kind, $c connections"
    wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"${secs}s" --latency -s "bench/wrk/$kind.lua" http://127.0.0.1:18181 \
      | grep -E "Requests/sec|Latency |99%|Non-2xx"
  done
done
