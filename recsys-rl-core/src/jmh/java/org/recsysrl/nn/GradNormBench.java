package org.recsysrl.nn;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The global gradient norm over the original model's whole gradient (98,217 floats):
 * {@code scalar} is the textbook loop with one double accumulator, written in this benchmark, and
 * {@code active} is {@link GradClip#globalNorm} → {@link Kernels#sumOfSquares} on the active
 * backend (double vector accumulators with the SIMD backend, eight interleaved double partial
 * sums with the plain loops).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.ADD_VECTOR_MODULE)
@State(Scope.Thread)
public class GradNormBench {
    @Param({"scalar", "active"})
    public String backend;
    @Param({"98217"})
    public int n;

    private boolean naive;
    private float[] grad;

    @Setup(Level.Trial)
    public void setUp() {
        if (!backend.equals("scalar") && !backend.equals("active")) {
            throw new IllegalArgumentException("backend must be scalar or active: " + backend);
        }
        naive = backend.equals("scalar");
        grad = BenchSupport.gaussian(n, 1e-3f, 41);
    }

    @Benchmark
    public double globalNorm() {
        return naive ? naiveNorm(grad) : GradClip.globalNorm(grad);
    }

    /** sqrt(Σ g²) with one double accumulator: every addition waits for the previous one. */
    private static double naiveNorm(float[] g) {
        double s = 0.0;
        for (int i = 0; i < g.length; i++) {
            double x = g[i];
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
