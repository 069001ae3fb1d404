package org.recsysrl.nn;

import java.util.function.IntPredicate;

/**
 * The exact top k of {@code s_i = query · r_i + c_i} over a large table of rows, reading a quarter
 * of the bytes of the float table: an int8 copy of every row (one scale per row) is scanned for
 * approximate scores, a per-row error bound keeps every item that could still be in the top k, and
 * only those are scored again from the float rows. The result is the same items, in the same
 * order, with the same float scores, as {@link Kernels#multiply} over the whole table followed by
 * {@link Kernels#topK} (ties to the lower index), the excluded items left out.
 *
 * <p>The bound: with the row's code {@code b_i} and scale {@code σ_i}, the approximate score is
 * {@code s̃_i = σ_i · (q · b_i) + c_i} and {@code |s_i − s̃_i| ≤ ‖q‖ · ‖r_i − σ_i b_i‖} (Cauchy–Schwarz),
 * plus the float rounding of both sums, bounded by {@code (d + 8) · 2⁻²³ · (‖q‖ (‖r_i‖ + σ_i ‖b_i‖) + 2 |c_i|)}
 * (about twice the textbook bound for a chain of d fused multiply-adds, which also covers the
 * bound's own arithmetic) and {@code (2d + 8)} subnormal units. So {@code e_i = ‖q‖ · slope_i +
 * intercept_i} with both precomputed per row and rounded up. If θ is the k-th largest of
 * {@code s̃_i − e_i} over the allowed items, k items score at least θ, so an item with
 * {@code s̃_i + e_i < θ} is beaten by k items and cannot be in the top k; the others (the
 * candidates, usually a few dozen) are scored exactly.
 *
 * <p>The scan runs in SIMD kernels when the JVM has {@code jdk.incubator.vector} (as
 * {@link Kernels} does; {@code -Drecsysrl.kernels=scalar} forces plain loops); both give the same
 * bits. Instances are immutable and thread-safe; each thread needs its own {@link Workspace}.
 */
public final class QuantizedTopK {
    /** The catalog size from which a scan of a quarter of the bytes pays: below it the float table fits in cache. */
    public static final int MIN_ITEMS = 100_000;

    private static final QuantizedScan ACTIVE = choose();

    private final QuantizedScan scan;
    private final int n;
    private final int dim;
    private final int blocks;
    private final byte[] codes;
    private final float[] scale;
    private final float[] bias;
    private final float[] slope;
    private final float[] intercept;
    private final float maxSlope;
    private final float[] rows;
    private final int rowOffset;
    private final int rowStride;
    private final boolean split;
    private final ItemScore floatScores = this::exactScore;

    private QuantizedTopK(QuantizedScan scan, float[] rows, int rowOffset, int rowStride, int n, int dim,
            float[] biasSource, int biasOffset, double boundFactor, boolean split) {
        this.scan = scan;
        this.n = n;
        this.dim = dim;
        this.rows = rows;
        this.rowOffset = rowOffset;
        this.rowStride = rowStride;
        this.split = split;
        int lanes = scan.lanes();
        this.blocks = (n + lanes - 1) / lanes;
        int padded = blocks * lanes;
        this.codes = new byte[padded * dim];
        this.scale = new float[padded];
        this.bias = new float[padded];
        this.slope = new float[padded];
        this.intercept = new float[padded];
        double kappa = (dim + 8) * 0x1p-23;
        double subnormal = (2.0 * dim + 8) * Float.MIN_VALUE;
        float max = 0f;
        for (int i = 0; i < n; i++) {
            int off = rowOffset + i * rowStride;
            float c = biasSource == null ? 0f : biasSource[biasOffset + i];
            bias[i] = c;
            float sigma = quantize(rows, off, i);
            double residual = 0;
            double norm = 0;
            double codeNorm = 0;
            int base = (i / lanes) * dim * lanes + i % lanes;
            for (int j = 0; j < dim; j++) {
                double r = rows[off + j];
                double code = codes[base + j * lanes];
                double diff = r - (double) sigma * code;
                residual += diff * diff;
                norm += r * r;
                codeNorm += code * code;
            }
            slope[i] = up(boundFactor * (Math.sqrt(residual) + kappa * (Math.sqrt(norm) + sigma * Math.sqrt(codeNorm))));
            intercept[i] = up(boundFactor * (2 * kappa * Math.abs(c) + subnormal));
            max = Math.max(max, slope[i]);
        }
        this.maxSlope = max;
    }

    /** Writes row i's codes (round(r / σ), σ = max |r_j| / 127) and returns σ. */
    private float quantize(float[] source, int off, int i) {
        int lanes = scan.lanes();
        float maxAbs = 0f;
        for (int j = 0; j < dim; j++) {
            maxAbs = Math.max(maxAbs, Math.abs(source[off + j]));
        }
        float sigma = maxAbs / 127f;
        scale[i] = sigma;
        int base = (i / lanes) * dim * lanes + i % lanes;
        for (int j = 0; j < dim; j++) {
            long code = sigma > 0 ? Math.round(source[off + j] / (double) sigma) : 0;
            codes[base + j * lanes] = (byte) Math.max(-127, Math.min(127, code));
        }
        return sigma;
    }

    /** The smallest float at least x. */
    private static float up(double x) {
        float f = (float) x;
        return f < x ? Math.nextUp(f) : f;
    }

    /**
     * The int8 copy of {@code n} rows of width {@code dim} (row i at {@code rows[rowOffset + i·dim]},
     * kept by reference as the exact reference: do not change it) with item biases
     * {@code bias[biasOffset + i]} (or none when null); null when a value is not finite or a row is
     * so large that a score could overflow (such a table is scored exactly).
     */
    public static QuantizedTopK of(float[] rows, int rowOffset, int n, int dim, float[] bias, int biasOffset) {
        return of(rows, rowOffset, n, dim, dim, bias, biasOffset);
    }

    /**
     * As {@link #of(float[], int, int, int, float[], int)} for rows {@code rowStride} floats apart
     * (row i at {@code rows[rowOffset + i·rowStride]}, its first {@code dim} floats used): the
     * columns of a wider table, e.g. an inner-product form whose last column is the bias.
     */
    public static QuantizedTopK of(float[] rows, int rowOffset, int n, int dim, int rowStride, float[] bias,
            int biasOffset) {
        boolean split = n >= SPLIT_MIN_ITEMS && Runtime.getRuntime().availableProcessors() > 1
                && !"serial".equals(System.getProperty("recsysrl.topk"));
        return of(rows, rowOffset, rowStride, n, dim, bias, biasOffset, ACTIVE, 1.0, split);
    }

    /**
     * As above, with a given scan, the bound multiplied by {@code boundFactor} (tests: 1 is the
     * proven bound) and the scan split over two threads or not.
     */
    static QuantizedTopK of(float[] rows, int rowOffset, int n, int dim, float[] bias, int biasOffset,
            QuantizedScan scan, double boundFactor, boolean split) {
        return of(rows, rowOffset, dim, n, dim, bias, biasOffset, scan, boundFactor, split);
    }

    /** As above, row i at {@code rows[rowOffset + i·rowStride]}. */
    static QuantizedTopK of(float[] rows, int rowOffset, int rowStride, int n, int dim, float[] bias, int biasOffset,
            QuantizedScan scan, double boundFactor, boolean split) {
        if (n < 1 || dim < 1 || rowStride < dim || !finiteRows(rows, rowOffset, rowStride, n, dim)
                || (bias != null && !finite(bias, biasOffset, n))) {
            return null;
        }
        QuantizedTopK table = new QuantizedTopK(scan, rows, rowOffset, rowStride, n, dim, bias, biasOffset,
                boundFactor, split);
        return table.maxSlope < 1e30f ? table : null;
    }

    private static boolean finiteRows(float[] a, int off, int stride, int n, int dim) {
        for (int i = 0; i < n; i++) {
            if (!finite(a, off + i * stride, dim)) {
                return false;
            }
        }
        return true;
    }

    private static boolean finite(float[] a, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (!Float.isFinite(a[i])) {
                return false;
            }
        }
        return true;
    }

    /** The scan in use: {@code "vector-512"}, {@code "scalar"}, … */
    public String backend() {
        return scan.name();
    }

    /** Items in the table. */
    public int items() {
        return n;
    }

    /** One thread's buffers for {@link #topK}. */
    public Workspace newWorkspace() {
        return new Workspace(Math.min(n, 1024), split);
    }

    /**
     * Writes the exact top {@code k} items for {@code query} (best first; ties to the lower index)
     * into {@code top} and their scores into {@code scores}, leaving out {@code excluded[0 ..
     * excludedCount)}; returns how many it wrote (fewer than k when fewer are allowed), or −1 when
     * the query's norm is not finite or so large a bound could overflow (the caller scores every
     * item then).
     *
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public int topK(float[] query, int k, int[] excluded, int excludedCount, Workspace ws, int[] top,
            float[] scores) {
        return select(query, k, excluded, excludedCount, null, floatScores, ws, top, scores);
    }

    /**
     * An item's score computed exactly by the caller: what {@link #topK(float[], int, IntPredicate,
     * ItemScore, Workspace, int[], float[])} ranks the surviving candidates by. It must lie as close
     * to the real {@code query · r_i + c_i} as the float chain of {@link #exactScore} is guaranteed
     * to: within {@code 2⁻²³ (‖q‖ ‖r_i‖ + |c_i|)} plus one subnormal unit does (the bound allows
     * twice the error of a chain of d fused multiply-adds); a sum in double of the float products,
     * rounded once to float, is within half of that.
     */
    @FunctionalInterface
    public interface ItemScore {
        /** Item {@code item}'s score for {@code query}. */
        float score(float[] query, int item);
    }

    /**
     * As {@link #topK(float[], int, int[], int, Workspace, int[], float[])}, with the items
     * {@code allowed} accepts (asked only of items that could still be in the top k) and the
     * candidates ranked by {@code exact} instead of the float rows' scores: the exact top k by
     * {@code exact} (ties to the lower index), its scores in {@code scores}, as long as
     * {@code exact} is as close to the real inner product as {@link ItemScore} requires.
     */
    public int topK(float[] query, int k, IntPredicate allowed, ItemScore exact, Workspace ws,
            int[] top, float[] scores) {
        return select(query, k, null, 0, java.util.Objects.requireNonNull(allowed, "allowed"), exact, ws, top,
                scores);
    }

    private int select(float[] query, int k, int[] excluded, int excludedCount,
            IntPredicate allowed, ItemScore exact, Workspace ws, int[] top, float[] scores) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1 (got " + k + ")");
        }
        double sum = 0;
        for (int j = 0; j < dim; j++) {
            sum += (double) query[j] * query[j];
        }
        float qNorm = up(Math.sqrt(sum));
        if (!(qNorm * (double) maxSlope < 1e30)) {
            return -1;
        }
        QuantizedSelection sel = ws.selection;
        sel.reset(k, excluded, excludedCount, allowed);
        if (split) {
            scanInTwo(query, qNorm, k, excluded, excludedCount, allowed, ws);
        } else {
            scan.scan(query, dim, codes, scale, bias, slope, intercept, qNorm, n, 0, blocks, sel);
        }
        float theta = sel.theta();
        int found = 0;
        int rescored = 0;
        for (int c = 0; c < sel.count; c++) {
            if (sel.highs[c] >= theta) {
                int i = sel.candidates[c];
                rescored++;
                found = offer(i, exact.score(query, i), top, scores, found, k);
            }
        }
        ws.lastCandidates = rescored;
        return found;
    }

    /**
     * The scan with its second half on a helper thread: the halves keep their own selections,
     * merged afterwards (the same threshold, the same candidates in the same order, so the same
     * answer). When the helper has not started the second half by the time the first is done (it
     * is busy with another request's), the calling thread scans it too: a request never waits for
     * a queue.
     */
    private void scanInTwo(float[] query, float qNorm, int k, int[] excluded, int excludedCount,
            IntPredicate allowed, Workspace ws) {
        int half = blocks / 2;
        QuantizedSelection second = ws.second;
        second.reset(k, excluded, excludedCount, allowed);
        java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(
                () -> scan.scan(query, dim, codes, scale, bias, slope, intercept, qNorm, n, half, blocks, second), null);
        HELPERS.execute(task);
        scan.scan(query, dim, codes, scale, bias, slope, intercept, qNorm, n, 0, half, ws.selection);
        task.run(); // does nothing when the helper has started it
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scanning the item table", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the item table's scan failed", e.getCause());
        }
        ws.selection.merge(second);
    }

    /** Catalogs from this size on split the scan over two threads (when the machine has two cores or more). */
    public static final int SPLIT_MIN_ITEMS = 500_000;

    /** The helper threads of split scans: one fewer than the cores, daemons. */
    private static final java.util.concurrent.ExecutorService HELPERS = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors() - 1), r -> {
                Thread t = new Thread(r, "recsys-rl-topk-helper");
                t.setDaemon(true);
                return t;
            });

    /** Item i's score from the float rows, to the bit as {@link Kernels#multiply} over all n items gives it. */
    public float exactScore(float[] query, int i) {
        return Kernels.multiplyColumn(query, dim, n, rows, rowOffset + i * rowStride, bias[i]);
    }

    /** Inserts (i, s) into the running top k (by score, then lower index); returns the new count. */
    private static int offer(int i, float s, int[] top, float[] scores, int m, int k) {
        if (!(s > Float.NEGATIVE_INFINITY)) {
            return m;
        }
        if (m == k) {
            if (s < scores[k - 1] || (s == scores[k - 1] && i > top[k - 1])) {
                return m;
            }
        } else {
            m++;
        }
        int p = m - 1;
        while (p > 0 && (scores[p - 1] < s || (scores[p - 1] == s && top[p - 1] > i))) {
            top[p] = top[p - 1];
            scores[p] = scores[p - 1];
            p--;
        }
        top[p] = i;
        scores[p] = s;
        return m;
    }

    /** One thread's buffers: the scan's running selection (and its second half's, when split). */
    public static final class Workspace {
        final QuantizedSelection selection;
        final QuantizedSelection second;
        int lastCandidates;

        Workspace(int capacity, boolean split) {
            this.selection = new QuantizedSelection(capacity);
            this.second = split ? new QuantizedSelection(capacity) : null;
        }

        /** How many items the last {@link QuantizedTopK#topK} scored exactly (those whose upper bound reached θ). */
        public int lastCandidates() {
            return lastCandidates;
        }
    }

    private static QuantizedScan choose() {
        boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (vectorModule && !"scalar".equals(System.getProperty("recsysrl.kernels"))) {
            try {
                Class<?> c = Class.forName("org.recsysrl.nn.VectorQuantizedScan");
                if ((boolean) c.getDeclaredMethod("usable").invoke(null)) {
                    return (QuantizedScan) c.getDeclaredConstructor().newInstance();
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                return new ScalarQuantizedScan(16);
            }
        }
        return new ScalarQuantizedScan(16);
    }

    /** The scan {@link #of(float[], int, int, int, float[], int)} uses. */
    static QuantizedScan active() {
        return ACTIVE;
    }
}
