#!/usr/bin/env bash
# Load test of `recsys-rl serve` on loopback with wrk (Debian: apt-get install -y wrk; this script
# installs nothing). Starts the server on a checkpoint (by default trains a small simulator model
# first), drives GET /v1/recommend?user=U&k=10 with random known users for a bounded time, and
# prints wrk's throughput and latency percentiles. Stops the server at the end.
#
#   scripts/loadtest.sh [--checkpoint FILE] [--items N] [--duration 20s] [--connections 32]
#                       [--wrk-threads 1] [--server-threads N] [--server-queue N] [--port 18181]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
checkpoint=""; items=1000; duration=20s; connections=32; wrk_threads=1; server_threads=""; server_queue=""; port=18181
while [ $# -gt 0 ]; do
  case "$1" in
    --checkpoint) checkpoint="$2"; shift 2;;
    --items) items="$2"; shift 2;;
    --duration) duration="$2"; shift 2;;
    --connections) connections="$2"; shift 2;;
    --wrk-threads) wrk_threads="$2"; shift 2;;
    --server-threads) server_threads="$2"; shift 2;;
    --server-queue) server_queue="$2"; shift 2;;
    --port) port="$2"; shift 2;;
    *) echo "loadtest: unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
done
if ! command -v wrk >/dev/null 2>&1; then
  echo "loadtest: wrk is not installed; on Debian/Ubuntu: apt-get install -y wrk" >&2; exit 2
fi
work="$(mktemp -d)"
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
users=100
if [ -z "$checkpoint" ]; then
  echo "loadtest: training a simulator model with $items items (a few seconds)..." >&2
  "$here/recsys-rl" train --algo ppo --total-timesteps 4096 --no-progress --set env.num_items="$items" \
    --set ppo.n_steps=512 --set ppo.batch_size=64 \
    --log-dir "$work/logs" --checkpoint-dir "$work/ck" >/dev/null
  checkpoint="$work/ck/ppo.safetensors"
fi
cat > "$work/users.lua" <<LUA
math.randomseed(42)
request = function()
  return wrk.format("GET", "/v1/recommend?user=" .. math.random(0, $users - 1) .. "&k=10")
end
LUA
"$here/recsys-rl" serve --checkpoint "$checkpoint" --port "$port" ${server_threads:+--threads "$server_threads"} \
  ${server_queue:+--queue "$server_queue"} \
  2> "$work/serve.log" &
server_pid=$!
for _ in $(seq 1 100); do
  if curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { cat "$work/serve.log" >&2; exit 1; }
echo "loadtest: $(grep -o 'serving .*' "$work/serve.log")"
echo "loadtest: warming up for 5 s..."
wrk -t "$wrk_threads" -c "$connections" -d 5s -s "$work/users.lua" "http://127.0.0.1:$port" >/dev/null
echo "loadtest: wrk -t $wrk_threads -c $connections -d $duration --latency (random users, k=10)"
wrk -t "$wrk_threads" -c "$connections" -d "$duration" --latency -s "$work/users.lua" "http://127.0.0.1:$port"
echo "loadtest: server-side latency histogram and counters:"
curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^recsysrl_(requests_total|rejected_total|request_duration_seconds_(count|sum))'
