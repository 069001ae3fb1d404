#!/usr/bin/env bash
# The slow-client test of issue 25, as one command: the p99 of well-behaved clients (wrk, random users,
# k=10) without and then with STALLED connections that sent half a request plus MALFORMED malformed
# requests per second, ROUNDS pairs back to back on the same checkpoint (a new server per run, through
# scripts/loadtest.sh), and the ratio of each pair's p99 (target: below 1.2). Needs wrk.
#
#   scripts/slow-clients.sh --checkpoint FILE [--connections 8] [--duration 10s] [--stalled 100]
#                           [--malformed 200] [--rounds 2] [--index exact|hnsw...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
checkpoint=""; connections=8; duration=10s; stalled=100; malformed=200; rounds=2; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --checkpoint) checkpoint="$2"; shift 2;;
    --connections) connections="$2"; shift 2;;
    --duration) duration="$2"; shift 2;;
    --stalled) stalled="$2"; shift 2;;
    --malformed) malformed="$2"; shift 2;;
    --rounds) rounds="$2"; shift 2;;
    --index) extra=(--index "$2"); shift 2;;
    *) echo "slow-clients: unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
done
[ -n "$checkpoint" ] || { echo "slow-clients: give --checkpoint FILE (e.g. one kept by loadtest.sh --keep-checkpoint)" >&2; exit 2; }
p99_ms() { # the p99 of a loadtest line, in milliseconds
  awk '/^loadtest: c=/ { for (i = 1; i <= NF; i++) if ($i == "p99") v = $(i + 1) }
       END { if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) sub(/ms$/, "", v);
             else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v }'
}
for r in $(seq 1 "$rounds"); do
  plain=$("$here/loadtest.sh" --checkpoint "$checkpoint" --connections "$connections" --duration "$duration" \
    --warmup 3s "${extra[@]}")
  echo "$plain" | grep -E '^loadtest: (c=|load average|bind)' | sed "s/^/round $r without: /"
  slow=$("$here/loadtest.sh" --checkpoint "$checkpoint" --connections "$connections" --duration "$duration" \
    --warmup 3s --stalled "$stalled" --malformed "$malformed" "${extra[@]}")
  echo "$slow" | grep -E '^loadtest: (c=|load average|[0-9]+ stalled)|read_timeouts|requests_total\{endpoint="other",status="4' \
    | sed "s/^/round $r with:    /"
  a=$(echo "$plain" | p99_ms); b=$(echo "$slow" | p99_ms)
  echo "round $r: p99 without $a ms, with $stalled stalled + $malformed malformed/s $b ms, ratio $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }') (target < 1.20)"
done
