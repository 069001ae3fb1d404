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
 * The tanh activation in place over a hidden layer's output, [64 rows × 128], baseline and active
 * backend. Repeated tanh in place would drive the values towards 0 (and into the cheap small-|x|
 * branch), so every operation first restores the pre-activations: {@link #copyOnly} measures that
 * copy alone, to subtract.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.ADD_VECTOR_MODULE)
@State(Scope.Thread)
public class TanhBench {
    @Param({"8192"})
    public int n;

    private float[] preActivations;
    private float[] a;

    /** The backend under test (only {@link #tanhInPlace} is run for both). */
    @State(Scope.Thread)
    public static class Impl {
        @Param({"scalar", "active"})
        public String backend;
        KernelBackend kernels;

        @Setup(Level.Trial)
        public void setUp() {
            kernels = BenchSupport.backend(backend);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        // pre-activations of a 64→128 layer with PyTorch's default init: mostly |x| < 2
        preActivations = BenchSupport.gaussian(n, 0.8f, 21);
        a = new float[n];
    }

    @Benchmark
    public float[] tanhInPlace(Impl impl) {
        System.arraycopy(preActivations, 0, a, 0, n);
        impl.kernels.tanhInPlace(a, n);
        return a;
    }

    @Benchmark
    public float[] copyOnly() {
        System.arraycopy(preActivations, 0, a, 0, n);
        return a;
    }
}
