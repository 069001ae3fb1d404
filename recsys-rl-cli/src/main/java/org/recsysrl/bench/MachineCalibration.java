package org.recsysrl.bench;

import java.util.Arrays;
import java.util.List;
import org.recsysrl.nn.Kernels;

/**
 * What this machine can do, measured with the project's own kernels on one thread, so that
 * benchmark figures from different hosts can be compared as fractions of their machine:
 * <ul>
 *   <li>{@code largeGflops}: {@code y = a·M} with a {@code [256, 1024]} and M {@code [1024, 1024]}
 *       ({@link Kernels#multiply}), 2·256·1024·1024 floating-point operations per product;</li>
 *   <li>{@code logitsGflops}: the original model's widest layer, a {@code [64, 64]} batch of hidden
 *       states times the {@code [64, 1000]} logits weights;</li>
 *   <li>{@code memoryGBps}: reading a 64 MiB float array ({@link Kernels#sumOfSquares}), in
 *       10⁹ bytes per second.</li>
 * </ul>
 * Each figure is the median of several timed repetitions after a warm-up, so one pause of a
 * shared host does not decide it.
 */
public final class MachineCalibration {
    /** The three figures. */
    public record Result(double largeGflops, double logitsGflops, double memoryGBps) {
        /** {@code gflops} as a fraction of the large-product figure. */
        public double fractionOfLarge(double gflops) {
            return gflops / largeGflops;
        }
    }

    private static final int REPETITIONS = 7;

    /**
     * The products {@code bench --only gemm} times by default, as M x K x N: the calibration's
     * large product, the PPO logits product, and the sequence model's output layer at width 64
     * (scores of 256 positions against 12,000 items; the state gradient; the table gradient).
     */
    public static final List<String> GEMM_SHAPES = List.of("256x1024x1024", "64x64x1000", "256x64x12000",
            "256x12000x64", "12000x256x64");

    private MachineCalibration() {
    }

    /** Measures the machine (about 2–4 s). */
    public static Result measure() {
        double large = productGflops(256, 1024, 1024, 3);
        double logits = productGflops(64, 64, 1000, 400);
        double memory = memoryGBps(16 << 20);
        return new Result(large, logits, memory);
    }

    /**
     * A product's rate: GFLOP/s by the wall clock and by this thread's CPU time (which a loaded
     * host, where the thread waits for a core, disturbs far less), each the median of 7.
     */
    public record ProductRate(double wallGflops, double cpuGflops) {
    }

    /** {@code [rows, k]·[k, n]} repeated to about 20 ms of work per timed repetition, after a warm-up. */
    public static ProductRate productRate(int rows, int k, int n) {
        long flop = 2L * rows * k * n;
        int inner = (int) Math.max(1, Math.min(100_000, 2_000_000_000L / flop));
        float[] a = filled(rows * k, 1);
        float[] m = filled(k * n, 2);
        float[] y = new float[rows * n];
        for (int i = 0; i < 2 * inner; i++) {
            Kernels.multiply(a, rows, k, m, 0, n, null, 0, y);
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] wall = new double[REPETITIONS];
        double[] cpu = new double[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < inner; i++) {
                Kernels.multiply(a, rows, k, m, 0, n, null, 0, y);
            }
            long t1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            wall[r] = (double) flop * inner / (t1 - t0);
            cpu[r] = (double) flop * inner / Math.max(1, c1 - c0);
        }
        sink(y[y.length - 1]);
        return new ProductRate(median(wall), median(cpu));
    }

    /** Median GFLOP/s of {@code inner} products {@code [rows, k]·[k, n]} per timed repetition. */
    static double productGflops(int rows, int k, int n, int inner) {
        float[] a = filled(rows * k, 1);
        float[] m = filled(k * n, 2);
        float[] y = new float[rows * n];
        for (int i = 0; i < 2 * inner; i++) { // warm-up: let the JIT compile the kernel
            Kernels.multiply(a, rows, k, m, 0, n, null, 0, y);
        }
        double[] gflops = new double[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < inner; i++) {
                Kernels.multiply(a, rows, k, m, 0, n, null, 0, y);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            gflops[r] = 2.0 * rows * k * n * inner / seconds / 1e9;
        }
        sink(y[y.length - 1]);
        return median(gflops);
    }

    /** Median read bandwidth over an array of {@code floats} floats, in 10⁹ bytes per second. */
    static double memoryGBps(int floats) {
        float[] big = filled(floats, 3);
        sink((float) Kernels.sumOfSquares(big));
        double[] rates = new double[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++) {
            long t0 = System.nanoTime();
            sink((float) Kernels.sumOfSquares(big));
            rates[r] = 4.0 * floats / ((System.nanoTime() - t0) / 1e9) / 1e9;
        }
        return median(rates);
    }

    private static float[] filled(int n, int seed) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = ((i * 31 + seed * 17) % 97) / 97f - 0.5f;
        }
        return a;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static volatile float sinkValue;

    private static void sink(float v) {
        sinkValue = v; // keeps the JIT from removing the measured work
    }
}
