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
 * One Adam step over the original model's whole parameter vector (98,217 floats): the elementwise
 * update on the baseline and the active backend ({@link #adamUpdate}), and the {@link Adam} class
 * itself ({@link #adamStep}, bias corrections included; always on the active backend, which is the
 * one {@link Kernels} dispatches to). Streams 4 arrays in and 3 out: 28 bytes per parameter.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.ADD_VECTOR_MODULE)
public class AdamBench {
    /** 64·128+128 + 128·64+64 + 64·1000+1000 (actor) + 64·128+128 + 128·64+64 + 64+1 (critic). */
    static final int ORIGINAL_PARAMETERS = 98_217;

    /** Parameters, gradients and moments, as in the middle of training. */
    abstract static class Vectors {
        float[] params;
        float[] grads;
        float[] m;
        float[] v;

        void init(int n) {
            params = BenchSupport.uniform(n, 0.1f, 31);
            grads = BenchSupport.gaussian(n, 1e-3f, 32);
            m = BenchSupport.gaussian(n, 1e-3f, 33);
            v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = grads[i] * grads[i];
            }
        }
    }

    @State(Scope.Thread)
    public static class Update extends Vectors {
        @Param({"scalar", "active"})
        public String backend;
        @Param({"98217"})
        public int n;
        KernelBackend kernels;
        float w1;
        float b2;
        float w2;
        float negStep;
        float bc2Sqrt;
        float eps;

        @Setup(Level.Trial)
        public void setUp() {
            kernels = BenchSupport.backend(backend);
            init(n);
            // the scalars Adam.step passes at t = 1000 with lr 3e-4, betas (0.9, 0.999), eps 1e-8
            long t = 1000;
            double lr = 3e-4;
            w1 = (float) (1.0 - 0.9);
            b2 = 0.999f;
            w2 = (float) (1.0 - 0.999);
            negStep = (float) (-lr / (1.0 - Math.pow(0.9, t)));
            bc2Sqrt = (float) Math.sqrt(1.0 - Math.pow(0.999, t));
            eps = 1e-8f;
        }
    }

    @State(Scope.Thread)
    public static class WholeStep extends Vectors {
        @Param({"98217"})
        public int n;
        Adam adam;

        @Setup(Level.Trial)
        public void setUp() {
            init(n);
            adam = new Adam(n, 3e-4, 0.9, 0.999, 1e-8);
            adam.restore(1000, m, v);
        }
    }

    @Benchmark
    public float[] adamUpdate(Update s) {
        s.kernels.adamUpdate(s.params, s.grads, 1f, s.m, s.v, 0, s.n, s.w1, s.b2, s.w2, s.negStep, s.bc2Sqrt, s.eps);
        return s.params;
    }

    @Benchmark
    public float[] adamStep(WholeStep s) {
        s.adam.step(s.params, s.grads);
        return s.params;
    }
}
