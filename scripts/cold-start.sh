#!/usr/bin/env bash
# Cold runs side by side: alternating pairs of fresh JVMs, each timing one PPO or A2C run at the
# original preset (`bench --only KIND --steps N --repeat 1 --no-calibration`, the JIT's warm-up
# included), side A without and side B with the launcher's JIT settings for a cold run
# (docs/performance.md, "Cold start"). Prints each run's training time, the whole process's wall
# time and CPU time (user + system: compiler threads included), and the load average, then the
# medians. On a shared host compare the CPU times and the minima as well as the medians.
#
#   scripts/cold-start.sh [--kinds a2c,ppo] [--pairs 5] [--steps 100000]
#       [--base-jar FILE]   # side A's jar (default: the same as side B)
#       [--jar FILE]        # side B's jar (default: target/recsys-rl.jar, built if stale)
#       [--same-flags]      # both sides with the JIT settings (compare two jars alone)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kinds="a2c,ppo"; pairs=5; steps=100000; jar=""; base_jar=""; same_flags=0
while [ $# -gt 0 ]; do
  case "$1" in
    --kinds) kinds="$2"; shift 2;;
    --pairs) pairs="$2"; shift 2;;
    --steps) steps="$2"; shift 2;;
    --jar) jar="$2"; shift 2;;
    --base-jar) base_jar="$2"; shift 2;;
    --same-flags) same_flags=1; shift;;
    -h|--help) sed -n '2,14p' "$0"; exit 0;;
    *) echo "cold-start.sh: unknown argument $1 (see --help)" >&2; exit 2;;
  esac
done
if [ -z "$jar" ]; then
  "$here/recsys-rl" --version >/dev/null 2>&1   # builds target/recsys-rl.jar when the sources are newer
  jar="$here/target/recsys-rl.jar"
fi
base_jar="${base_jar:-$jar}"
for j in "$jar" "$base_jar"; do [ -f "$j" ] || { echo "cold-start.sh: no jar at $j" >&2; exit 2; }; done
flags=(--add-modules jdk.incubator.vector -XX:+UseSerialGC -XX:MaxNewSize=32m)
# the launcher's JIT settings (keep in step with ./recsys-rl)
jit=(-XX:+DisplayVMOutputToStderr -XX:+UnlockDiagnosticVMOptions "-XX:CompilerDirectivesFile=$here/recsys-rl-cli/src/main/jvm/jit-directives.json"
  -XX:CompileCommand=quiet "-XX:CompileCommand=CompileThresholdScaling,org.recsysrl.nn.Vector*::*,0.3"
    "-XX:CompileCommand=CompileThresholdScaling,jdk.incubator.vector.*::*,0.3"
    "-XX:CompileCommand=CompileThresholdScaling,jdk.internal.vm.vector.*::*,0.3")
base_jit=()
[ "$same_flags" = 1 ] && base_jit=("${jit[@]}")
echo "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; A: $base_jar ${base_jit[*]:+(JIT settings)}; B: $jar (JIT settings)"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
one() { # kind side jar flags...
  local kind=$1 side=$2 j=$3; shift 3
  local out
  out=$( { /usr/bin/time -f 'TIME %e %U %S' java "${flags[@]}" "$@" -jar "$j" bench --only "$kind" --steps "$steps" \
    --repeat 1 --no-calibration; } 2>&1 )
  local train t
  train=$(echo "$out" | awk -v k="$kind" '$1==k && $2 ~ /^[0-9.]+$/ {print $2; exit}')
  t=$(echo "$out" | awk '$1=="TIME" {printf "%s %.2f", $2, $3 + $4}')
  echo "$kind $side ${train:-?} $t $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$results"
}
echo "kind side training_s wall_s cpu_s load1"
for ((p = 1; p <= pairs; p++)); do
  for kind in ${kinds//,/ }; do
    one "$kind" A "$base_jar" ${base_jit[@]+"${base_jit[@]}"}
    one "$kind" B "$jar" "${jit[@]}"
  done
done
median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) print "?"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
echo "medians:"
for kind in ${kinds//,/ }; do
  for side in A B; do
    col() { awk -v k="$kind" -v s="$side" -v c="$1" '$1==k && $2==s {print $c}' "$results"; }
    printf '%s %s: training %s s (min %s), wall %s s, CPU %s s, %s runs\n' "$kind" "$side" "$(col 3 | median)" \
      "$(col 3 | sort -n | head -1)" "$(col 4 | median)" "$(col 5 | median)" "$(col 3 | wc -l)"
  done
done
