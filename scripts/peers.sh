#!/usr/bin/env bash
# Side by side against the PyTorch peers: runs each peer program and the matching recsys-rl command
# back to back on this host, with the same shapes and hyperparameters, and prints the ratios with
# the host's CPU model. Installs nothing and ships no PyTorch: the peers and their interpreter come
# from the machine (Debian: apt-get install -y python3-torch python3-numpy libopenblas0-pthread).
# What makes the runs equivalent, and what differs, is in docs/performance.md ("Side by side").
#
#   scripts/peers.sh [PEERS_DIR]        # default ../shared/reference/peers (from the repository root)
#       [--runs ppo,a2c,sasrec]         # which comparisons (default all three)
#       [--steps 100000]                # PPO and A2C environment steps
#       [--data FILE]                   # the sasrec log (default ../shared/data/amazon-toys/Toys_and_Games.txt)
#       [--epochs 2] [--batch 128]      # sasrec: epochs (the median of epochs 2.. is compared) and windows per batch
#       [--threads "1 2"]               # sasrec: recsys-rl's training threads (seq.threads), one run each (peer: 1 thread)
#       [--peer-threads 1]              # threads of the PyTorch peers (PEER_THREADS / torch.set_num_threads)
#       [--ppo-threads "1 2"]           # ppo: recsys-rl's threads of each minibatch (ppo.threads), one run each (default 1)
#       [--jar FILE]                    # time another build's jar (default: target/recsys-rl.jar, built if stale)
#       [--cpu-time]                    # sasrec: compare process CPU time per epoch instead of wall time (for a
#                                       # host shared with other jobs; the peer's clock becomes time.process_time)
#       [--openblas-core SkylakeX]      # OPENBLAS_CORETYPE for the peers (OpenBLAS 0.3.21 picks Haswell on AMD Zen 4/5)
#       [--python /usr/bin/python3]
#   RECSYS_RL_JIT_TUNING=0 scripts/peers.sh ...   # recsys-rl without the launcher's JIT settings for a cold run
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="$here/../shared/reference/peers"
runs="ppo,a2c,sasrec"; steps=100000; data="$here/../shared/data/amazon-toys/Toys_and_Games.txt"
epochs=2; batch=128; threads="1 2"; peer_threads=1; ppo_threads=1; jar=""; python=/usr/bin/python3; cpu_time=0
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then peers="$1"; shift; fi
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2;;
    --steps) steps="$2"; shift 2;;
    --data) data="$2"; shift 2;;
    --epochs) epochs="$2"; shift 2;;
    --batch) batch="$2"; shift 2;;
    --threads) threads="$2"; shift 2;;
    --peer-threads) peer_threads="$2"; shift 2;;
    --ppo-threads) ppo_threads="$2"; shift 2;;
    --jar) jar="$2"; shift 2;;
    --python) python="$2"; shift 2;;
    --openblas-core) export OPENBLAS_CORETYPE="$2"; shift 2;;
    --cpu-time) cpu_time=1; shift;;
    -h|--help) sed -n '2,22p' "$0"; exit 0;;
    *) echo "peers.sh: unknown argument $1 (see --help)" >&2; exit 2;;
  esac
done
for f in ppo_peer.py sasrec_peer.py; do
  [ -f "$peers/$f" ] || { echo "peers.sh: $peers/$f not found: give the peers' directory as the first argument" >&2; exit 2; }
done
"$python" -c 'import torch, numpy' 2>/dev/null || {
  echo "peers.sh: $python cannot import torch and numpy: apt-get install -y python3-torch python3-numpy libopenblas0-pthread" >&2
  exit 2; }
if [ -z "$jar" ]; then
  "$here/recsys-rl" --version >/dev/null   # builds target/recsys-rl.jar when the sources are newer
  jar="$here/target/recsys-rl.jar"
fi
[ -f "$jar" ] || { echo "peers.sh: no jar at $jar" >&2; exit 2; }
# the launcher's JVM flags, its JIT settings for a cold run included (RECSYS_RL_JIT_TUNING=0 leaves them out)
jit=()
if [ "${RECSYS_RL_JIT_TUNING:-1}" != 0 ]; then
  jit=(-XX:+DisplayVMOutputToStderr -XX:+UnlockDiagnosticVMOptions "-XX:CompilerDirectivesFile=$here/recsys-rl-cli/src/main/jvm/jit-directives.json"
    -XX:CompileCommand=quiet "-XX:CompileCommand=CompileThresholdScaling,org.recsysrl.nn.Vector*::*,0.3"
    "-XX:CompileCommand=CompileThresholdScaling,jdk.incubator.vector.*::*,0.3"
    "-XX:CompileCommand=CompileThresholdScaling,jdk.internal.vm.vector.*::*,0.3")
fi
java_cmd=(java --add-modules jdk.incubator.vector -XX:+UseSerialGC -XX:MaxNewSize=32m "${jit[@]}" -jar "$jar")
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

now() { date +%s.%N; }
json_get() { "$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {"d": d}))' "$@"; }
rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s |' "$1" "$2" "$3" "$4")"); echo "   $1: peer $2, recsys-rl $3, ratio $4" >&2; }
ratio() { "$python" -c "import sys; print('%.2fx' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

echo "host: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for what in ${runs//,/ }; do
  case "$what" in
    ppo|a2c)
      echo "== $what, $steps steps: the PyTorch peer ($peer_threads thread(s)), then recsys-rl (--preset original)" >&2
      t0=$(now)
      PEER_THREADS=$peer_threads "$python" "$peers/ppo_peer.py" 0 "$what" "$steps" | tee "$out/$what-peer.txt" >&2
      t1=$(now)
      peer_train=$(sed -n 's/.* wall=\([0-9.]*\)s.*/\1/p' "$out/$what-peer.txt")
      peer_whole=$("$python" -c "print($t1 - $t0)")
      rl_threads=1; [ "$what" = ppo ] && rl_threads="$ppo_threads"
      for t in $rl_threads; do
        thread_args=(); label="$what $steps steps"
        # only a thread count other than 1 is passed on, so that a jar from before --ppo-threads still runs
        if [ "$t" != 1 ]; then thread_args=(--ppo-threads "$t"); label="$label, recsys-rl on $t threads"; fi
        t1=$(now)
        "${java_cmd[@]}" bench --only "$what" --steps "$steps" --repeat 1 --no-calibration --json "${thread_args[@]}" \
          2>/dev/null > "$out/$what-rl-$t.json"
        t2=$(now)
        rl_train=$(json_get "$out/$what-rl-$t.json" 'd["runs"][0]["seconds"]')
        rl_whole=$("$python" -c "print($t2 - $t1)")
        row "$label, training" "$(printf '%.1f s' "$peer_train")" "$(printf '%.2f s' "$rl_train")" \
          "$(ratio "$peer_train" "$rl_train")"
        row "$label, whole process" "$(printf '%.1f s' "$peer_whole")" "$(printf '%.2f s' "$rl_whole")" \
          "$(ratio "$peer_whole" "$rl_whole")"
      done
      ;;
    sasrec)
      [ -f "$data" ] || { echo "peers.sh: no sequence log at $data (--data FILE)" >&2; exit 2; }
      echo "== sasrec on $(basename "$data"), batch $batch, $epochs epochs: the PyTorch peer ($peer_threads thread(s))" >&2
      if [ "$cpu_time" = 1 ]; then
        # the peer's own epoch timing, on the process's CPU clock (the malloc settings it would re-exec for, set here)
        MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=$((64 << 30)) PEER_THREADS=$peer_threads "$python" -c \
          'import runpy, sys, time; time.time = time.process_time; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__")' \
          "$peers/sasrec_peer.py" --data "$data" --epochs "$epochs" --batch "$batch" --no-eval | tee "$out/sasrec-peer.txt" >&2
        clock="CPU time"; rl_key=median_cpu_seconds
      else
        PEER_THREADS=$peer_threads "$python" "$peers/sasrec_peer.py" --data "$data" --epochs "$epochs" --batch "$batch" \
          --no-eval | tee "$out/sasrec-peer.txt" >&2
        clock="wall"; rl_key=median_seconds
      fi
      tail -n 1 "$out/sasrec-peer.txt" > "$out/sasrec-peer.json"
      peer_epoch=$(json_get "$out/sasrec-peer.json" 'd["warm_median_seconds"]')
      peer_targets=$(json_get "$out/sasrec-peer.json" 'd["targets_per_epoch"]')
      for t in $threads; do
        echo "== recsys-rl bench --only seq, batch $batch, $t output-layer thread(s)" >&2
        "${java_cmd[@]}" bench --only seq --data "$data" --repeat "$epochs" --scalar-epochs 0 --seq-batch "$batch" \
          --seq-threads "$t" --json 2>/dev/null > "$out/sasrec-rl-$t.json"
        rl_epoch=$(json_get "$out/sasrec-rl-$t.json" "d[\"$rl_key\"]")
        rl_targets=$(json_get "$out/sasrec-rl-$t.json" 'd["epochs"][0]["targets"]')
        rl_gflops=$(json_get "$out/sasrec-rl-$t.json" '"%.1f" % d["epochs"][-1]["output_layer_gflop_per_second"]')
        row "sasrec epoch ($clock), batch $batch ($peer_targets / $rl_targets targets), recsys-rl on $t thread(s)" \
          "$(printf '%.2f s' "$peer_epoch")" "$(printf '%.2f s (output layer %s GFLOP/s)' "$rl_epoch" "$rl_gflops")" \
          "$(ratio "$peer_epoch" "$rl_epoch")"
      done
      ;;
    *) echo "peers.sh: --runs $what: use ppo, a2c or sasrec" >&2; exit 2;;
  esac
done
echo
echo "host: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peers: $peers ($("$python" -c 'import torch; print("torch", torch.__version__)'), OpenBLAS kernel $(OPENBLAS_VERBOSE=2 "$python" -c 'import numpy; numpy.ones((2,2),numpy.float32) @ numpy.ones((2,2),numpy.float32)' 2>&1 | sed -n 's/^Core: //p' | head -1)); recsys-rl: $jar"
echo
echo "| run | PyTorch peer | recsys-rl | ratio (peer / recsys-rl) |"
echo "|---|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
