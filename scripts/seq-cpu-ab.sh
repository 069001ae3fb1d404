#!/usr/bin/env bash
# Two builds' one-thread sequence epochs by process CPU time, alternately (a host shared with other
# jobs moves wall times by several times, CPU time by about ±7 %): ROUNDS rounds of
# `bench --only seq --repeat 3 --seq-batch 128 --seq-threads 1 --scalar-epochs 0` with each jar in
# turn, printing each run's epoch-2 and epoch-3 CPU seconds and their mean, the load average after the
# run, and at the end the median per jar and the ratio. docs/performance.md ("The one-thread epoch").
#
#   scripts/seq-cpu-ab.sh OLD.jar NEW.jar [--rounds 3] [--data FILE] [--threads 1]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$here/../shared/data/amazon-toys/Toys_and_Games.txt"; rounds=3; threads=1
if [ $# -lt 2 ]; then
  echo "usage: scripts/seq-cpu-ab.sh OLD.jar NEW.jar [--rounds 3] [--data FILE] [--threads 1]" >&2; exit 2
fi
old="$1"; new="$2"; shift 2
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2;;
    --data) data="$2"; shift 2;;
    --threads) threads="$2"; shift 2;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
done
for f in "$old" "$new" "$data"; do
  [ -r "$f" ] || { echo "cannot read $f: give an existing jar and log" >&2; exit 2; }
done
echo "host: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
declare -A runs
for r in $(seq 1 "$rounds"); do
  for jar in "$old" "$new"; do
    cpu=$(java --add-modules jdk.incubator.vector -XX:+UseSerialGC -jar "$jar" bench --only seq --data "$data" \
        --repeat 3 --seq-batch 128 --seq-threads "$threads" --scalar-epochs 0 2>&1 \
      | sed -n 's/^seq epoch [23]:.*process CPU time \([0-9.]*\) s.*/\1/p' | tr '\n' ' ')
    mean=$(echo "$cpu" | awk '{printf "%.3f", ($1 + $2) / 2}')
    runs[$jar]="${runs[$jar]:-} $mean"
    echo "round $r  $(basename "$jar")  epochs 2, 3: $cpu s CPU  mean $mean s  load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
m_old=$(echo "${runs[$old]}" | median); m_new=$(echo "${runs[$new]}" | median)
echo "median CPU per epoch: $(basename "$old") $m_old s, $(basename "$new") $m_new s; new/old $(awk -v a="$m_new" -v b="$m_old" 'BEGIN {printf "%.3f", a / b}')"
