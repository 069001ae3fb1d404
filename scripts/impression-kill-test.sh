#!/usr/bin/env bash
# Kill test of the impression log (loopback only, bounded): N cycles of
#   start `recsys-rl serve --explore epsilon=0.1 --impression-log FILE --impression-log-max-mb 1`,
#   drive it with a small load (python3 client, keep-alive connections, random known users, k=10),
#   kill -9 it at a random moment under load;
# then start it once more (which cuts a torn tail, if the last kill left one), stop it with SIGTERM,
# and check the log: every line of FILE and its rotated parts FILE.N must be one JSON object with
# request_id, items and propensities in (0, 1]. Also reports the answered request ids that are not in
# the log (impressions still in the writer's buffer when the process was killed).
#
#   scripts/impression-kill-test.sh [--cycles 20] [--load-seconds 3] [--connections 4] [--port 18282]
#                                   [--checkpoint FILE] [--items 1000] [--keep-dir DIR]
#                                   [--serve-args "ARGS"]   # more serve flags, e.g. "--impression-log-batch-us 500"
#                                   [--jar FILE]            # a built jar to run (default: target/recsys-rl.jar)
# Exit 0 when every line parses, 1 otherwise.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cycles=20; load_seconds=3; connections=4; port=18282; checkpoint=""; items=1000; keep=""; serve_args=""; jar=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cycles) cycles="$2"; shift 2;;
    --load-seconds) load_seconds="$2"; shift 2;;
    --connections) connections="$2"; shift 2;;
    --port) port="$2"; shift 2;;
    --checkpoint) checkpoint="$2"; shift 2;;
    --items) items="$2"; shift 2;;
    --keep-dir) keep="$2"; shift 2;;
    --serve-args) serve_args="$2"; shift 2;;
    --jar) jar="$2"; shift 2;;
    *) echo "kill-test: unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
done
work="$(mktemp -d)"
server_pid=""; client_pid=""
cleanup() {
  [ -n "$client_pid" ] && kill "$client_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && { kill -9 "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  if [ -n "$keep" ]; then mkdir -p "$keep"; cp -r "$work"/. "$keep"/; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ -z "$checkpoint" ]; then
  echo "kill-test: training a simulator model with $items items..." >&2
  "$here/recsys-rl" train --algo ppo --total-timesteps 2048 --no-progress --set env.num_items="$items" \
    --set ppo.n_steps=512 --set ppo.batch_size=64 --log-dir "$work/logs" --checkpoint-dir "$work/ck" >/dev/null
  checkpoint="$work/ck/ppo.safetensors"
fi
if [ -z "$jar" ]; then
  "$here/recsys-rl" --help >/dev/null  # builds the jar once, before the timed cycles
  jar="$here/target/recsys-rl.jar"
fi
log="$work/impressions.jsonl"
start_server() {
  java --add-modules jdk.incubator.vector -XX:+UseSerialGC -XX:MaxNewSize=32m -jar "$jar" serve \
    --checkpoint "$checkpoint" --host 127.0.0.1 --port "$port" --explore epsilon=0.1 \
    --impression-log "$log" --impression-log-max-mb 1 $serve_args 2>> "$work/serve.log" &
  server_pid=$!
  for _ in $(seq 1 300); do
    if curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "kill-test: the server did not start" >&2; cat "$work/serve.log" >&2; exit 1
}
cat > "$work/client.py" <<'PY'
import http.client, json, random, sys, threading, time
port, seconds, conns, out = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
stop = time.time() + seconds
lock = threading.Lock()
f = open(out, "a", buffering=1)
def worker(seed):
    rnd = random.Random(seed)
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    while time.time() < stop:
        try:
            c.request("GET", "/v1/recommend?user=%d&k=10" % rnd.randrange(100))
            r = c.getresponse(); body = r.read()
            if r.status == 200:
                rid = json.loads(body)["request_id"]
                with lock:
                    f.write(rid + "\n")
        except Exception:
            return  # the server was killed
threads = [threading.Thread(target=worker, args=(i,)) for i in range(conns)]
for t in threads: t.start()
for t in threads: t.join()
PY
echo "kill-test: $cycles cycles, $connections connections, kill -9 at a random moment within ${load_seconds}s of load;" \
  "host: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for c in $(seq 1 "$cycles"); do
  start_server
  python3 "$work/client.py" "$port" "$load_seconds" "$connections" "$work/answered.txt" &
  client_pid=$!
  sleep "$(awk -v s="$load_seconds" -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.3 + (s - 0.3) * r / 32768 }')"
  kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  wait "$client_pid" 2>/dev/null || true; client_pid=""
  printf 'kill-test: cycle %d: killed; log %s bytes, last byte %s\n' "$c" "$(stat -c %s "$log")" \
    "$(tail -c 1 "$log" | od -An -c | tr -d ' ')"
done
start_server  # repairs a torn tail left by the last kill
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
python3 - "$log" "$work/answered.txt" "$work/serve.log" <<'PY'
import glob, json, os, sys
log, answered_file, serve_log = sys.argv[1], sys.argv[2], sys.argv[3]
files = sorted(glob.glob(log + ".*"), key=lambda p: int(p.rsplit(".", 1)[1])) + [log]
lines = bad = 0; ids = set()
for p in files:
    data = open(p, "rb").read()
    if data and not data.endswith(b"\n"):
        print(f"kill-test: {p} does not end with a newline"); bad += 1
    for n, raw in enumerate(data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n"), 1):
        try:
            o = json.loads(raw)
            assert isinstance(o, dict) and o["request_id"] and o["items"]
            assert len(o["propensities"]) == len(o["items"]) and all(0 < x <= 1 for x in o["propensities"])
            ids.add(o["request_id"]); lines += 1
        except Exception as e:
            bad += 1; print(f"kill-test: {p} line {n} does not parse: {raw[:80]!r} ({e})")
answered = [l.strip() for l in open(answered_file)] if os.path.exists(answered_file) else []
missing = [a for a in answered if a not in ids]
cuts = [l for l in open(serve_log) if "cut a torn last line" in l]
print(f"kill-test: {len(files)} files ({len(files) - 1} rotated), {lines} lines, {bad} unparseable or torn;"
      f" {len(answered)} answers received, {len(missing)} of them not in the log"
      f" ({100.0 * len(missing) / max(1, len(answered)):.3f} %); torn tails cut at restart: {len(cuts)}")
sys.exit(1 if bad else 0)
PY
