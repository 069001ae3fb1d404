#!/usr/bin/env bash
# The closed loop against a real server process (loopback only):
#   1. a first, small turn of `recsys-rl loop` learns a policy from a few impressions and deploys it
#      to DIR/served/policy.safetensors;
#   2. `recsys-rl serve --checkpoint DIR/served/policy.safetensors --explore softmax:temperature=1
#      --impression-log DIR/served/impressions.jsonl` serves it (exploring with its own softmax, so
#      every impression is logged with its probability);
#   3. the full turn (`loop --impressions N`) learns again, estimates the candidates and, if its
#      learned policy's DR estimate beats the served one's, replaces the served file: the running
#      server hot-reloads it (`--serve-url` waits until /health/ready reports the new SHA-256);
#   4. a request to the server shows the model it now serves; the server is stopped.
#
#   scripts/loop.sh [--env e-commerce] [--policy popular] [--explore epsilon=0.3] [--impressions 100000]
#                   [--held-out 200000] [--first-impressions 5000] [--port 18283] [--dir DIR]
# Exit 0 when the loop ran and the server answered with the deployed model.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env=e-commerce; policy=popular; explore=epsilon=0.3; impressions=100000; held_out=200000
first=5000; port=18283; dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --env) env="$2"; shift 2;;
    --policy) policy="$2"; shift 2;;
    --explore) explore="$2"; shift 2;;
    --impressions) impressions="$2"; shift 2;;
    --held-out) held_out="$2"; shift 2;;
    --first-impressions) first="$2"; shift 2;;
    --port) port="$2"; shift 2;;
    --dir) dir="$2"; shift 2;;
    *) echo "loop.sh: unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
done
[ -n "$dir" ] || dir="$(mktemp -d)"
mkdir -p "$dir/served"
served="$dir/served/policy.safetensors"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
rl="$here/recsys-rl"
common=(--env "$env" --policy "$policy" --explore "$explore")

echo "== 1. first turn: $first impressions, deployed to $served"
"$rl" loop "${common[@]}" --impressions "$first" --held-out "$first" --rollout-episodes 500 --truth-states 2000 \
  --out "$dir/turn1" --overwrite --deploy "$served"

echo "== 2. serving it on 127.0.0.1:$port"
"$rl" serve --checkpoint "$served" --port "$port" --explore softmax:temperature=1 \
  --impression-log "$dir/served/impressions.jsonl" 2> "$dir/served/serve.log" &
server_pid=$!
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/health/ready"; echo

echo "== 3. full turn: $impressions impressions, $held_out held out"
"$rl" loop "${common[@]}" --impressions "$impressions" --held-out "$held_out" --out "$dir/turn2" --overwrite \
  --deploy "$served" --serve-url "http://127.0.0.1:$port"

echo "== 4. the server now"
curl -sf "http://127.0.0.1:$port/health/ready"; echo
curl -sf "http://127.0.0.1:$port/v1/recommend?user=3&k=3&seed=1"; echo
grep -i "reload" "$dir/served/serve.log" || true
echo "results: $dir/turn1/loop.json, $dir/turn2/loop.json"
