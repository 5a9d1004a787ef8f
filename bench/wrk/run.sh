#!/usr/bin/env bash
# HTTP load with wrk (Debian's `wrk`) against a fresh demo server on this machine.
# Prints wrk's summary for an authenticated read and a durable write at 1, 16 and 128
# connections. Usage: bench/wrk/run.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
secs="${1:-10}"
command -v wrk >/dev/null || { echo "install wrk: apt-get install wrk" >&2; exit 2; }
dir=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
build/govassess serve --demo --port 18181 --db "$dir/load.db" --threads 128 > "$dir/server.log" &
server=$!
for _ in $(seq 50); do grep -q "listening on" "$dir/server.log" 2>/dev/null && break; sleep 0.2; done
pw=$(awk '$2 == "admin" {print $3}' "$dir/server.log")
export TOKEN=$(curl -s -X POST http://127.0.0.1:18181/api/v1/session \
  -d "{\"username\":\"admin\",\"password\":\"$pw\"}" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
# The users the write load updates.
for i in $(seq 0 255); do
  curl -s -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:18181/api/v1/instances/user%2Fbench.t$i/commands/create" \
    -d "{\"type\":\"user\",\"payload\":{\"username\":\"bench.t$i\",\"role\":\"auditor\"}}"
done
for kind in read write; do
  for c in 1 16 128; do
    echo "== $kind, $c connections"
    wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"${secs}s" --latency -s "bench/wrk/$kind.lua" http://127.0.0.1:18181 \
      | grep -E "Requests/sec|Latency |99%|Non-2xx"
  done
done
