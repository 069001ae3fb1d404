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
 * The three matrix products of a dense layer at every shape of the original model (observation 64;
 * actor 64→128→64 → logits 64→1000; critic 64→128→64 → value 64→1) and of the default preset's
 * embedding head (query 64→32; scores q·Eᵀ, a forward product 32→1000 against the transposed
 * catalog; query gradient dz·E, a forward product 1000→32 against the catalog), for the plain-loop
 * baseline and the active backend in the same run. One operation is one call on one batch.
 *
 * <p>W is stored as {@link Linear} stores it, as its [in, out] transpose. The forward product runs
 * at the rollout batch (8 rows) and the PPO minibatch (64 rows); the input gradient gets the
 * layer's scratch as {@link Linear} passes it; the backward products run at the
 * minibatch (64 rows; {@code -p batch=8,40,64} for others, e.g. A2C's 40-row update). Every product
 * is {@code 2·batch·in·out} FLOP (the backward-params op adds {@code batch·out} for the bias).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.ADD_VECTOR_MODULE)
public class LinearBench {

    /** Parameters and buffers of one layer {@code in → out} for {@code batch} rows. */
    abstract static class Layer {
        KernelBackend kernels;
        int rows;
        int in;
        int out;
        float[] x;
        float[] w;
        float[] bias;
        float[] y;
        float[] scratch;
        float[] dy;
        float[] dx;
        float[] dW;
        float[] dB;

        void init(String backend, String shape, String batchSize) {
            kernels = BenchSupport.backend(backend);
            String[] io = shape.split("x");
            in = Integer.parseInt(io[0]);
            out = Integer.parseInt(io[1]);
            rows = Integer.parseInt(batchSize);
            float bound = (float) (1.0 / Math.sqrt(in)); // PyTorch's default init range
            x = BenchSupport.uniform(rows * in, 1f, 1);
            w = BenchSupport.uniform(out * in, bound, 2);
            bias = BenchSupport.uniform(out, bound, 3);
            dy = BenchSupport.uniform(rows * out, 1f, 4);
            y = new float[rows * out];
            scratch = new float[in * out];
            dx = new float[rows * in];
            dW = new float[out * in];
            dB = new float[out];
        }
    }

    /** Forward: rollout (8 rows) and minibatch (64 rows). */
    @State(Scope.Thread)
    public static class Forward extends Layer {
        @Param({"scalar", "active"})
        public String backend;
        @Param({"64x128", "128x64", "64x1000", "64x1", "64x32", "32x1000", "1000x32"})
        public String shape;
        @Param({"8", "64"})
        public String batch;

        @Setup(Level.Trial)
        public void setUp() {
            init(backend, shape, batch);
        }
    }

    /** Backward: the PPO minibatch (64 rows). */
    @State(Scope.Thread)
    public static class Backward extends Layer {
        @Param({"scalar", "active"})
        public String backend;
        @Param({"64x128", "128x64", "64x1000", "64x1", "64x32"})
        public String shape;
        @Param({"64"})
        public String batch;

        @Setup(Level.Trial)
        public void setUp() {
            init(backend, shape, batch);
        }
    }

    /** {@code y = x·Wᵀ + b}: [batch, in] × the stored [in, out] transpose of W ({@code multiply}). */
    @Benchmark
    public float[] forward(Forward s) {
        s.kernels.multiply(s.x, s.rows, s.in, s.w, 0, s.out, s.bias, 0, s.y);
        return s.y;
    }

    /** {@code dx = dy·W}: [batch, out] × the stored [in, out] matrix transposed ({@code multiplyTransposed}). */
    @Benchmark
    public float[] backwardInput(Backward s) {
        s.kernels.multiplyTransposed(s.dy, s.rows, s.out, s.w, 0, s.in, s.dx, s.scratch);
        return s.dx;
    }

    /**
     * {@code dWᵀ = xᵀ·dy} and {@code dB = Σ_b dy}, overwriting the gradient as PPO and A2C do
     * ({@code transposedProduct} and {@code columnSums} with {@code accumulate = false}).
     */
    @Benchmark
    public float[] backwardParams(Backward s) {
        s.kernels.transposedProduct(s.x, s.in, s.dy, s.out, s.rows, s.dW, 0, false);
        s.kernels.columnSums(s.dy, s.rows, s.out, s.dB, 0, false);
        return s.dW;
    }
}
