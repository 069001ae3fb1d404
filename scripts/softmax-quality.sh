#!/usr/bin/env bash
# The sampled softmax's quality against the full softmax on a generated log (docs/scale.md):
# generates a 1M-interaction log over ITEMS items, trains the attention model with seq.loss=full
# and with seq.loss=sampled for at most EPOCHS epochs each (the defaults otherwise, the network
# alone: seq.markov_mix=0), one after the other, and prints each epoch's validation NDCG@10, wall
# time and the process's CPU time (sampled from /proc every second), then `evaluate --compare` for
# the paired test NDCG@10 difference with its interval. Everything goes under OUT (default
# /tmp/softmax-quality); nothing is written into the repository.
#
#   scripts/softmax-quality.sh ITEMS EPOCHS [OUT]       e.g. scripts/softmax-quality.sh 50000 6
set -euo pipefail
items=${1:?usage: softmax-quality.sh ITEMS EPOCHS [OUT]}
epochs=${2:?usage: softmax-quality.sh ITEMS EPOCHS [OUT]}
out=${3:-/tmp/softmax-quality}
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$out"
"$repo/recsys-rl" --version >/dev/null 2>&1 # builds target/recsys-rl.jar when stale
log="$out/log1m-$items.tsv"
[ -f "$log" ] || "$repo/recsys-rl" generate-log --interactions 1000000 --users 20000 --items "$items" --out "$log"
java_cmd=(java --add-modules jdk.incubator.vector -XX:+UseSerialGC -XX:MaxNewSize=32m -jar "$repo/target/recsys-rl.jar")
tck=$(getconf CLK_TCK)

for loss in full sampled; do
  run="$out/$items-$loss"
  rm -rf "$run" && mkdir -p "$run"
  "${java_cmd[@]}" train --env logs --data "$log" --seed 1 --no-progress --checkpoint-dir "$run/ck" \
    --log-dir "$run/log" --set seq.loss=$loss --set seq.epochs="$epochs" --set seq.markov_mix=0 \
    >"$run/stdout" 2>"$run/stderr" &
  pid=$!
  # one line a second: the process's CPU seconds and the CSV log's line count (1 + epochs done)
  while read -r -a stat 2>/dev/null </proc/$pid/stat; do
    echo "$(((stat[13] + stat[14]) / tck)) $(cat "$run"/log/*.csv 2>/dev/null | wc -l) $(cut -d' ' -f1 /proc/loadavg)"
    sleep 1
  done >"$run/cpu.txt"
  wait $pid
  echo "== seq.loss=$loss ($items items): epoch, validation ndcg@10, train s (wall), process CPU s (train + validation), load"
  # an epoch's CPU: from the sample where its CSV line appeared to the one where the next appeared;
  # the last epoch's line appears as the process ends, so its CPU is not sampled
  awk -F, 'NR > 1 { print $1, $4, $5 }' "$run"/log/*.csv | while read -r e v w; do
    cpu=$(awk -v e="$e" '$2 == e + 1 && !a { a = $1 } $2 == e && !b { b = $1 } END { if (e == 1) b = 0; if (a) print a - b; else print "-" }' "$run/cpu.txt")
    load=$(awk -v e="$e" '$2 == e + 1 { print $3; exit }' "$run/cpu.txt")
    echo "$e $v $w ${cpu} ${load:--}"
  done
done
"${java_cmd[@]}" evaluate --no-progress --checkpoint "$out/$items-full/ck/supervised.safetensors" \
  --compare "$out/$items-sampled/ck/supervised.safetensors" --models popular,markov 2>&1 | grep -v '^WARNING: Using incubator'
echo "host: $(lscpu | grep 'Model name' | sed 's/  */ /g'); load now $(cut -d' ' -f1-3 /proc/loadavg)"
