#!/usr/bin/env bash
# Single-thread SGEMM of this build's kernels against OpenBLAS on the same shapes, in one run on
# this host: times [M x K]·[K x N] with Debian's numpy (linked to libopenblas0-pthread, pinned to one
# thread) and with `recsys-rl bench --only gemm`, and prints both GFLOP/s and the fraction. The
# product never calls OpenBLAS; numpy only gives the reference figure. OpenBLAS 0.3.21 (Debian 12)
# picks its Haswell (AVX2) kernels on AMD Zen 4/5, so it is timed twice: with the kernel it picks,
# and with OPENBLAS_CORETYPE=SkylakeX (its AVX-512 kernels); the fraction is against the faster.
# Rates are by the thread's CPU time on both sides (numpy: time.thread_time; Java: ThreadMXBean),
# which a host shared with other jobs disturbs far less than the wall clock; the wall-clock
# figures are printed too.
# Installs nothing (Debian: apt-get install -y python3-numpy libopenblas0-pthread).
#
#   scripts/gemm-vs-openblas.sh [--shapes 256x1024x1024,64x64x1000,...] [--jar FILE] [--python /usr/bin/python3]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shapes="256x1024x1024,1024x1024x1024,64x64x1000,256x64x12000,256x12000x64,12000x256x64"
jar=""; python=/usr/bin/python3
while [ $# -gt 0 ]; do
  case "$1" in
    --shapes) shapes="$2"; shift 2;;
    --jar) jar="$2"; shift 2;;
    --python) python="$2"; shift 2;;
    -h|--help) sed -n '2,8p' "$0"; exit 0;;
    *) echo "gemm-vs-openblas.sh: unknown argument $1 (see --help)" >&2; exit 2;;
  esac
done
"$python" -c 'import numpy' 2>/dev/null || {
  echo "gemm-vs-openblas.sh: $python cannot import numpy: apt-get install -y python3-numpy libopenblas0-pthread" >&2
  exit 2; }
if [ -z "$jar" ]; then
  "$here/recsys-rl" --version >/dev/null   # builds target/recsys-rl.jar when the sources are newer
  jar="$here/target/recsys-rl.jar"
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# numpy: the median of 7 repetitions of about 20 ms each, after a warm-up, float32, C order
numpy_sgemm() {
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$python" - "$shapes" <<'EOF'
import sys, time
import numpy as np
rng = np.random.default_rng(1)
for shape in sys.argv[1].split(","):
    m, k, n = (int(x) for x in shape.lower().split("x"))
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    c = np.empty((m, n), dtype=np.float32)
    flop = 2.0 * m * k * n
    inner = max(1, min(100000, int(2e9 // flop)))
    for _ in range(2 * inner):
        np.matmul(a, b, out=c)
    cpu, wall = [], []
    for _ in range(7):
        t, w = time.thread_time(), time.perf_counter()
        for _ in range(inner):
            np.matmul(a, b, out=c)
        cpu.append(flop * inner / max(time.thread_time() - t, 1e-9) / 1e9)
        wall.append(flop * inner / (time.perf_counter() - w) / 1e9)
    print(shape, sorted(cpu)[3], sorted(wall)[3], sep="\t")
EOF
}
numpy_sgemm > "$out/numpy.tsv"
OPENBLAS_CORETYPE=SkylakeX numpy_sgemm > "$out/numpy-skx.tsv"
java --add-modules jdk.incubator.vector -XX:+UseSerialGC -XX:MaxNewSize=32m -jar "$jar" bench --only gemm \
  --shapes "$shapes" --json 2>/dev/null > "$out/rl.json"
echo "host: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "numpy $("$python" -c 'import numpy; print(numpy.__version__)'), BLAS $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo '?'), 1 thread; recsys-rl: $jar"
echo
echo "GFLOP/s by thread CPU time (wall clock in parentheses)"
echo
echo "| [M x K]·[K x N] | OpenBLAS, its choice | OpenBLAS SkylakeX | recsys-rl | fraction of the faster OpenBLAS |"
echo "|---|---:|---:|---:|---:|"
"$python" - "$out/numpy.tsv" "$out/numpy-skx.tsv" "$out/rl.json" <<'EOF'
import json, sys
def load(path):
    rows = (line.split("\t") for line in open(path).read().split("\n") if line)
    return {k: (float(c), float(w)) for k, c, w in rows}
ref, skx = load(sys.argv[1]), load(sys.argv[2])
for p in json.load(open(sys.argv[3]))["products"]:
    o, x = ref[p["shape"]], skx[p["shape"]]
    r, rw = p["gflop_per_cpu_second"], p["gflop_per_second"]
    print(f"| {p['shape']} | {o[0]:.1f} ({o[1]:.1f}) | {x[0]:.1f} ({x[1]:.1f}) | {r:.1f} ({rw:.1f}) |"
          f" {100 * r / max(o[0], x[0]):.0f} % |")
EOF
