#!/usr/bin/env bash
# The impression log's cost in throughput, side by side: scripts/loadtest.sh on the same checkpoint
# and jar, alternately without and with `--impression-log` (and --explore, which a logging server
# normally uses; the baseline explores too, so only the logging differs), ROUNDS times each, and the
# median requests/s and server CPU per request of each side with their ratio. Run it on a quiet
# host: every figure is printed with the load average.
#
#   scripts/logging-overhead.sh [--checkpoint FILE] [--items 1000] [--connections 64] [--duration 10s]
#                               [--warmup 3s] [--rounds 3] [--explore epsilon=0.05] [--jar FILE]
#                               [--log-args "ARGS"]   # more serve flags for the logging side, e.g.
#                                                     # "--impression-log-batch-us 500"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
checkpoint=""; items=1000; connections=64; duration=10s; warmup=3s; rounds=3; explore=epsilon=0.05; jar=""; log_args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --checkpoint) checkpoint="$2"; shift 2;;
    --items) items="$2"; shift 2;;
    --connections) connections="$2"; shift 2;;
    --duration) duration="$2"; shift 2;;
    --warmup) warmup="$2"; shift 2;;
    --rounds) rounds="$2"; shift 2;;
    --explore) explore="$2"; shift 2;;
    --jar) jar="$2"; shift 2;;
    --log-args) log_args="$2"; shift 2;;
    *) echo "logging-overhead: unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -z "$checkpoint" ]; then
  checkpoint="$work/model.safetensors"
  "$here/scripts/loadtest.sh" --items "$items" --duration 1s --warmup 1s --connections 1 \
    --keep-checkpoint "$checkpoint" ${jar:+--jar "$jar"} > /dev/null
fi
echo "logging-overhead: host $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; checkpoint $checkpoint"
run() { # $1 = off|on, $2 = round
  local args="--explore $explore"
  if [ "$1" = on ]; then args="$args --impression-log $work/impressions-$2.jsonl $log_args"; fi
  "$here/scripts/loadtest.sh" --checkpoint "$checkpoint" --connections "$connections" --duration "$duration" \
    --warmup "$warmup" ${jar:+--jar "$jar"} --serve-args "$args" > "$work/$1-$2.out" 2>&1
  local line; line=$(grep 'loadtest: c=' "$work/$1-$2.out" | tail -1)
  local rps; rps=$(echo "$line" | awk '{for (i = 1; i <= NF; i++) if ($i == "requests/s") print $(i + 1)}')
  local cpu; cpu=$(echo "$line" | awk '{for (i = 1; i <= NF; i++) if ($i == "CPU") print $(i + 1)}')
  echo "$rps $cpu" >> "$work/$1.txt"
  printf 'logging-overhead: round %s %-3s requests/s %-10s server CPU %-6s µs/request  load %s\n' "$2" "$1" "$rps" \
    "$cpu" "$(cut -d' ' -f1-3 /proc/loadavg)"
  if [ "$1" = on ]; then
    echo "logging-overhead:   $(cat "$work/impressions-$2.jsonl"* | wc -l) impression lines written (the rotated parts included)"
  fi
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then run off "$r"; run on "$r"; else run on "$r"; run off "$r"; fi
done
median() { sort -n -k"$1" "$2" | awk -v k="$1" '{v[NR] = $k} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
off_rps=$(median 1 "$work/off.txt"); on_rps=$(median 1 "$work/on.txt")
off_cpu=$(median 2 "$work/off.txt"); on_cpu=$(median 2 "$work/on.txt")
awk -v a="$off_rps" -v b="$on_rps" -v c="$off_cpu" -v d="$on_cpu" 'BEGIN {
  printf "logging-overhead: median requests/s without the log %s, with it %s: throughput cost %.1f %%\n", a, b, 100 * (1 - b / a)
  printf "logging-overhead: median server CPU per request without %s µs, with %s µs: %+.1f %%\n", c, d, 100 * (d / c - 1) }'
