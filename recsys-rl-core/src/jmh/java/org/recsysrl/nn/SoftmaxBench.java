package org.recsysrl.nn;

import java.util.SplittableRandom;
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
 * The categorical head over the original catalogue's 1000 items, for a PPO minibatch of 64 rows:
 * the fused softmax (log-probabilities, probabilities and entropy; one exp per logit) and its
 * backward pass, plain-loop baseline and active backend in the same run. One operation is all
 * {@code rows} rows.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.ADD_VECTOR_MODULE)
@State(Scope.Thread)
public class SoftmaxBench {
    @Param({"scalar", "active"})
    public String backend;
    @Param({"64"})
    public int rows;
    @Param({"1000"})
    public int items;

    private KernelBackend kernels;
    private float[] logits;
    private float[] logp;
    private float[] probs;
    private float[] entropies;
    private int[] actions;
    private float[] dLogits;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = BenchSupport.backend(backend);
        // logits of a trained-ish policy: spread of a few nats, so exp covers a wide range
        logits = BenchSupport.gaussian(rows * items, 3f, 11);
        logp = new float[rows * items];
        probs = new float[rows * items];
        entropies = new float[rows];
        dLogits = new float[rows * items];
        actions = new int[rows];
        SplittableRandom r = new SplittableRandom(12);
        for (int b = 0; b < rows; b++) {
            actions[b] = r.nextInt(items);
            // the backward benchmark reads the same backend's forward results
            entropies[b] = kernels.softmax(logits, b * items, items, logp, probs, b * items);
        }
    }

    /** Softmax of every row: writes log-probabilities and probabilities, returns the summed entropy. */
    @Benchmark
    public float softmax() {
        float h = 0f;
        for (int b = 0; b < rows; b++) {
            int off = b * items;
            h += kernels.softmax(logits, off, items, logp, probs, off);
        }
        return h;
    }

    /** dL/dlogits of {@code L = -0.7·logp[a] - 0.01·H} for every row (PPO-like coefficients). */
    @Benchmark
    public float[] categoricalBackward() {
        for (int b = 0; b < rows; b++) {
            int off = b * items;
            kernels.categoricalBackward(probs, logp, off, items, actions[b], -0.7f, -0.01f, entropies[b], dLogits,
                    off);
        }
        return dLogits;
    }
}
