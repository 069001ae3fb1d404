#!/usr/bin/env bash
# The impression log's CPU per line in one JVM (scripts/impression-log-cost/ImpressionLogCost.java):
# THREADS threads each spin WORK_US µs (a request's work) and log one 1,000-item policy's impression
# line, LINES times per round; the process's CPU per line for each mode, ROUNDS rounds, medians. Less
# noisy than scripts/logging-overhead.sh on a shared host: it counts CPU, not throughput, and no
# server, client or JIT of a whole server shares the measurement.
#
#   scripts/impression-log-cost.sh [--jar FILE] [--threads 2] [--work-us 40] [--lines 40000] [--rounds 5]
#                                  [--modes none,string,bytes,log] [--against COMMIT]
#
# --against COMMIT compiles that commit's ImpressionLog beside this one (as PreviousImpressionLog) and
# adds the mode `previous` (the line built as a String and handed to it), for a side-by-side figure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar=""; threads=2; work_us=40; lines=40000; rounds=5; modes="none,string,bytes,log"; against=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar="$2"; shift 2;;
    --threads) threads="$2"; shift 2;;
    --work-us) work_us="$2"; shift 2;;
    --lines) lines="$2"; shift 2;;
    --rounds) rounds="$2"; shift 2;;
    --modes) modes="$2"; shift 2;;
    --against) against="$2"; shift 2;;
    *) echo "impression-log-cost: unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
done
if [ -z "$jar" ]; then
  "$here/recsys-rl" --help > /dev/null  # builds the launcher jar when stale
  jar="$here/target/recsys-rl.jar"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/scripts/impression-log-cost/ImpressionLogCost.java" "$work/"
if [ -n "$against" ]; then
  git -C "$here" show "$against:recsys-rl-server/src/main/java/org/recsysrl/serve/ImpressionLog.java" \
    | sed 's/\bImpressionLog\b/PreviousImpressionLog/g' > "$work/PreviousImpressionLog.java"
  modes="$modes,previous"
else # a stand-in, so that the source compiles without --against
  cat > "$work/PreviousImpressionLog.java" <<'JAVA'
package org.recsysrl.serve;

final class PreviousImpressionLog implements AutoCloseable {
    PreviousImpressionLog(java.nio.file.Path f, long b, int c, long s, int l, long g, java.util.function.Consumer<String> log) {
        throw new IllegalArgumentException("mode previous needs --against COMMIT");
    }

    boolean offer(String line) {
        return false;
    }

    @Override
    public void close() {
    }
}
JAVA
fi
javac -nowarn -d "$work/classes" -cp "$jar" "$work"/*.java
echo "impression-log-cost: host $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $threads threads, $work_us µs of" \
  "work per line, $lines lines per thread and round; load average before $(cut -d' ' -f1-3 /proc/loadavg)"
java -XX:+UseSerialGC -cp "$work/classes:$jar" org.recsysrl.serve.ImpressionLogCost "$threads" "$work_us" "$lines" \
  "$rounds" "$modes"
echo "impression-log-cost: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
