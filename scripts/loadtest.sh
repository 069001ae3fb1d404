#!/usr/bin/env bash
# Load test of `recsys-rl serve` on loopback with wrk (Debian: apt-get install -y wrk; this script
# installs nothing). Starts the server on a checkpoint (by default trains a small simulator model
# with --items items first), drives GET /v1/recommend?user=U&k=10 with random known users for a
# bounded time, and prints wrk's throughput and latency percentiles, the share of non-2xx answers
# and the server's CPU time per request. Stops the server (and any helper) at the end.
#
#   scripts/loadtest.sh [--checkpoint FILE] [--items N] [--duration 20s] [--connections 32]
#                       [--sweep "1 4 16 64 256"]   # one wrk run per connection count
#                       [--stalled N]                # N connections that send half a request and stall
#                       [--malformed R]              # R malformed requests per second meanwhile
#                       [--wrk-threads 1] [--server-threads N] [--io-threads N] [--max-queue-ms 50]
#                       [--port 18181] [--warmup 5s] [--keep-checkpoint FILE]
#                       [--jar FILE]   # serve with another build's jar (e.g. an older version, side by side)
#                       [--serve-args "ARGS"]  # more serve flags, e.g. "--impression-log /tmp/imp.jsonl"
#                       [--index exact|int8|hnsw[:m=M,beam=B,ef=E]]  # how the server finds the top k (serve --index)
#                       [--per-thread]  # also the server's CPU per request by thread (workers, I/O, impression log, ...)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
checkpoint=""; items=1000; duration=20s; connections=32; wrk_threads=1; server_threads=""; io_threads=""
max_queue_ms=""; index=""; port=18181; sweep=""; stalled=0; malformed=0; warmup=5s; keep=""; jar=""; serve_args=""
per_thread=""
while [ $# -gt 0 ]; do
  case "$1" in
    --checkpoint) checkpoint="$2"; shift 2;;
    --items) items="$2"; shift 2;;
    --duration) duration="$2"; shift 2;;
    --connections) connections="$2"; shift 2;;
    --sweep) sweep="$2"; shift 2;;
    --stalled) stalled="$2"; shift 2;;
    --malformed) malformed="$2"; shift 2;;
    --wrk-threads) wrk_threads="$2"; shift 2;;
    --server-threads) server_threads="$2"; shift 2;;
    --io-threads) io_threads="$2"; shift 2;;
    --max-queue-ms) max_queue_ms="$2"; shift 2;;
    --port) port="$2"; shift 2;;
    --warmup) warmup="$2"; shift 2;;
    --keep-checkpoint) keep="$2"; shift 2;;
    --jar) jar="$2"; shift 2;;
    --serve-args) serve_args="$2"; shift 2;;
    --index) index="$2"; shift 2;;
    --per-thread) per_thread=1; shift;;
    *) echo "loadtest: unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
done
if ! command -v wrk >/dev/null 2>&1; then
  echo "loadtest: wrk is not installed; on Debian/Ubuntu: apt-get install -y wrk" >&2; exit 2
fi
work="$(mktemp -d)"
server_pid=""; helper_pid=""
cleanup() {
  [ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
users=100
if [ -z "$checkpoint" ]; then
  echo "loadtest: training a simulator model with $items items..." >&2
  "$here/recsys-rl" train --algo ppo --total-timesteps 4096 --no-progress --set env.num_items="$items" \
    --set ppo.n_steps=512 --set ppo.batch_size=64 \
    --log-dir "$work/logs" --checkpoint-dir "$work/ck" >/dev/null
  checkpoint="$work/ck/ppo.safetensors"
  [ -n "$keep" ] && cp "$checkpoint" "$keep"
fi
cat > "$work/users.lua" <<LUA
math.randomseed(42)
request = function()
  return wrk.format("GET", "/v1/recommend?user=" .. math.random(0, $users - 1) .. "&k=10")
end
LUA
serve=("$here/recsys-rl")
if [ -n "$jar" ]; then
  # the launcher's JVM flags, with the given jar
  serve=(java --add-modules jdk.incubator.vector -XX:+UseSerialGC -XX:MaxNewSize=32m -Dsun.net.httpserver.nodelay=true
    ${RECSYS_RL_JAVA_OPTS:-} -jar "$jar")
fi
"${serve[@]}" serve --checkpoint "$checkpoint" --port "$port" ${server_threads:+--threads "$server_threads"} \
  ${io_threads:+--io-threads "$io_threads"} ${max_queue_ms:+--max-queue-ms "$max_queue_ms"} ${index:+--index "$index"} $serve_args \
  2> "$work/serve.log" &
server_pid=$!
for _ in $(seq 1 3000); do  # up to 10 minutes: an index over a large catalog is built before the server listens
  if curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then break; fi
  kill -0 "$server_pid" 2>/dev/null || break  # the server exited (e.g. a refused flag)
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { cat "$work/serve.log" >&2; exit 1; }
grep -o 'index .* built .*' "$work/serve.log" | sed 's/^/loadtest: /' || true
echo "loadtest: $(grep -o 'serving .*' "$work/serve.log")${jar:+ (jar $jar)}"
echo "loadtest: bind check: $(ss -ltn "sport = :$port" | tail -n +2 | awk '{print $4}' | tr '\n' ' ')"
echo "loadtest: host: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$stalled" -gt 0 ] || [ "$malformed" -gt 0 ]; then
  # keeps $stalled connections that sent half a request (re-opened when the server closes them) and
  # sends $malformed malformed requests per second, until killed
  python3 - "$port" "$stalled" "$malformed" > "$work/helper.log" 2>&1 <<'PY' &
import socket, sys, time
port, n, rate = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
half = b"GET /v1/recommend?user=3 HTTP/1.1\r\nHost: x\r\n"
bad = [b"GET /v1/recommend?user=%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
       b"POST /v1/recommend HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
       b"POST /v1/recommend HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
       b"OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]
def stall():
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(half); s.setblocking(False); return s
socks = [stall() for _ in range(n)]
reopened = sent = 0
t_next = time.time()
while True:
    for i, s in enumerate(socks):
        try:
            if s.recv(4096) == b"":
                raise ConnectionError
        except BlockingIOError:
            continue
        except OSError:
            pass
        s.close(); socks[i] = stall(); reopened += 1
    if rate > 0:
        while time.time() >= t_next:
            try:
                c = socket.create_connection(("127.0.0.1", port)); c.sendall(bad[sent % len(bad)]); c.close()
            except OSError:
                pass
            sent += 1; t_next += 1.0 / rate
    time.sleep(0.005 if rate > 0 else 0.2)  # the helper shares the cores: poll no faster than needed
    print(f"stalled {n} (re-opened {reopened}), malformed sent {sent}", end="\r", flush=True)
PY
  helper_pid=$!
  sleep 1
  echo "loadtest: $stalled stalled connections and $malformed malformed requests/s running"
fi
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
# "name ticks" per thread of the server (user + system; the fields after the parenthesised name)
thread_ticks() {
  for t in /proc/"$server_pid"/task/*; do
    printf '%s %s\n' "$(tr ' ' '_' < "$t/comm")" "$(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')"
  done 2>/dev/null
}
total_requests() {
  curl -sf "http://127.0.0.1:$port/metrics" | awk '/^recsysrl_requests_total\{endpoint="recommend"/ {s += $2} END {print s + 0}'
}
run() {
  local c="$1"
  local before_cpu before_req
  [ -n "$per_thread" ] && thread_ticks > "$work/threads.before"
  before_cpu=$(cpu_ticks); before_req=$(total_requests)
  wrk -t "$wrk_threads" -c "$c" -d "$duration" --latency -s "$work/users.lua" "http://127.0.0.1:$port" > "$work/wrk.out"
  local after_cpu after_req
  after_cpu=$(cpu_ticks); after_req=$(total_requests)
  [ -n "$per_thread" ] && thread_ticks > "$work/threads.after"
  local hz; hz=$(getconf CLK_TCK)
  local rps p50 p99 non2xx total
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.out")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.out")
  total=$(awk '/requests in/ {print $1}' "$work/wrk.out")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.out"); non2xx=${non2xx:-0}
  local us_per_req
  us_per_req=$(awk -v a="$before_cpu" -v b="$after_cpu" -v r0="$before_req" -v r1="$after_req" -v hz="$hz" \
    'BEGIN { n = r1 - r0; if (n > 0) printf "%.1f", (b - a) / hz / n * 1e6; else print "-" }')
  # answers with a 2xx per second: what the clients got served (503s are quick and inflate requests/s)
  local ok_rps
  ok_rps=$(awk -v n="$non2xx" '/requests in/ {secs = $4; sub(/s,?$/, "", secs); if (secs > 0) printf "%.1f", ($1 - n) / secs}' "$work/wrk.out")
  printf 'loadtest: c=%-4s requests/s %-10s 2xx/s %-10s p50 %-8s p99 %-8s non-2xx %s of %s (%.2f %%)  server CPU %s µs/request\n' \
    "$c" "$rps" "${ok_rps:--}" "$p50" "$p99" "$non2xx" "$total" "$(awk -v n="$non2xx" -v t="$total" 'BEGIN {print (t > 0 ? 100 * n / t : 0)}')" "$us_per_req"
  if [ -n "$per_thread" ]; then # threads grouped by name (a thread started meanwhile counts from 0)
    awk -v hz="$hz" -v n="$((after_req - before_req))" 'FNR == NR {b[$1] += $2; next} {a[$1] += $2}
      END {for (k in a) {d = a[k] - b[k]; if (d > 0) printf "loadtest:   thread %-16s %7.2f µs/request\n", k, d / hz / n * 1e6}}' \
      "$work/threads.before" "$work/threads.after" | sort -k4 -n -r
  fi
}
echo "loadtest: warming up for $warmup..."
wrk -t "$wrk_threads" -c "${connections}" -d "$warmup" -s "$work/users.lua" "http://127.0.0.1:$port" >/dev/null
if [ -n "$sweep" ]; then
  for c in $sweep; do run "$c"; done
else
  echo "loadtest: wrk -t $wrk_threads -c $connections -d $duration --latency (random users, k=10)"
  run "$connections"
  cat "$work/wrk.out"
fi
echo "loadtest: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "loadtest: server counters:"
curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^recsysrl_(requests_total\{endpoint="(recommend|other)"|rejected_total|read_timeouts_total|connections |service_seconds_mean|impressions_(logged|dropped)_total|impression_log_writes_total|index_|batche)' || true
