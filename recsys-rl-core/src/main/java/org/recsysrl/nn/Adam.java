package org.recsysrl.nn;

import java.util.Arrays;

/**
 * Adam optimiser computed the way PyTorch's single-tensor {@code torch.optim.Adam} does (no weight
 * decay, no amsgrad): moments in float, bias corrections and step size in double.
 */
public final class Adam {
    private final int size;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final float[] m;
    private final float[] v;
    private double lr;
    private long t;

    /**
     * Creates the optimiser for a parameter vector of {@code size} floats, with zero moments.
     *
     * @throws IllegalArgumentException if a hyper-parameter is out of range
     */
    public Adam(int size, double lr, double beta1, double beta2, double eps) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        if (!(lr >= 0.0)) {
            throw new IllegalArgumentException("learning rate must be >= 0: " + lr);
        }
        if (!(beta1 >= 0.0 && beta1 < 1.0) || !(beta2 >= 0.0 && beta2 < 1.0)) {
            throw new IllegalArgumentException("betas must be in [0, 1): " + beta1 + ", " + beta2);
        }
        if (!(eps >= 0.0)) {
            throw new IllegalArgumentException("eps must be >= 0: " + eps);
        }
        this.size = size;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.m = new float[size];
        this.v = new float[size];
    }

    /**
     * One update over {@code params[0..size)} using {@code grads[0..size)}: {@code t += 1};
     * {@code m = b1 m + (1-b1) g} (evaluated as {@code m + (1-b1)(g - m)}, PyTorch's lerp);
     * {@code v = b2 v + (1-b2) g^2};
     * {@code p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)}.
     * Modifies {@code params} and the internal moments; reads {@code grads}.
     */
    public void step(float[] params, float[] grads) {
        step(params, grads, 1f);
    }

    /**
     * As {@link #step(float[], float[])} with every gradient multiplied by {@code gradScale} first
     * (for instance the coefficient of {@link GradClip#coefficient}): the same bits as scaling
     * {@code grads} in place and then stepping, without the extra pass. {@code grads} is not
     * modified, so after a clipped step it still holds the unclipped gradient.
     */
    public void step(float[] params, float[] grads, float gradScale) {
        if (params.length < size || grads.length < size) {
            throw new IllegalArgumentException(
                    "Adam over " + size + " values got params[" + params.length + "], grads[" + grads.length + "]");
        }
        beginStep();
        updateRange(params, grads, gradScale, 0, size);
    }

    // the constants of the current step, set by beginStep
    private float stepW1;
    private float stepB2;
    private float stepW2;
    private float stepNeg;
    private float stepBc2Sqrt;
    private float stepEps;

    /**
     * Starts a step without updating anything: {@code t += 1} and the step's bias corrections.
     * Follow it with {@link #updateRange} and {@link #updateRows} over the parameters to update;
     * {@link #step} is {@code beginStep} plus one {@code updateRange} over everything.
     */
    public void beginStep() {
        t++;
        double bc1 = 1.0 - Math.pow(beta1, t);
        double bc2 = 1.0 - Math.pow(beta2, t);
        stepNeg = (float) (-lr / bc1);
        stepBc2Sqrt = (float) Math.sqrt(bc2);
        stepW1 = (float) (1.0 - beta1);
        stepB2 = (float) beta2;
        stepW2 = (float) (1.0 - beta2);
        stepEps = (float) eps;
    }

    /** The Adam update of the current step over {@code params[from, to)} (see {@link #step}). */
    public void updateRange(float[] params, float[] grads, float gradScale, int from, int to) {
        if (t == 0) {
            throw new IllegalStateException("call beginStep() first");
        }
        if (from < 0 || to > size || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside [0, " + size + ")");
        }
        Kernels.adamUpdate(params, grads, gradScale, m, v, from, to, stepW1, stepB2, stepW2, stepNeg, stepBc2Sqrt,
                stepEps);
    }

    /**
     * The Adam update of the current step over {@code count} rows of {@code width} parameters, row
     * r from {@code from + r·stride} (some columns of every row of a weight matrix): the same bits
     * as {@link #updateRange} of each row. Threads may call it at once on disjoint parameters after
     * one {@link #beginStep}.
     */
    public void updateStrided(float[] params, float[] grads, float gradScale, int from, int width, int stride,
            int count) {
        if (t == 0) {
            throw new IllegalStateException("call beginStep() first");
        }
        if (count > 0 && (from < 0 || width < 0 || from + (long) (count - 1) * stride + width > size)) {
            throw new IllegalArgumentException("rows from " + from + " (" + count + " × " + width + ", stride "
                    + stride + ") outside [0, " + size + ")");
        }
        Kernels.adamUpdateStrided(params, grads, gradScale, m, v, from, width, stride, count, stepW1, stepB2, stepW2,
                stepNeg, stepBc2Sqrt, stepEps);
    }

    /** Values stepped and cleared together by {@link #updateRangeAndClear}: 16 KB of each array, well inside L1/L2. */
    private static final int CLEAR_BLOCK = 4096;

    /**
     * {@link #updateRange} over {@code [from, to)}, then {@code grads} set to 0 there, one block
     * of {@value #CLEAR_BLOCK} values at a time so that each block is cleared while still in the
     * cache (one pass over the gradient instead of two). The same bits as {@code updateRange}
     * followed by {@code Arrays.fill}. Threads may call it at once on disjoint ranges after one
     * {@link #beginStep}.
     */
    public void updateRangeAndClear(float[] params, float[] grads, float gradScale, int from, int to) {
        for (int b0 = from; b0 < to; b0 += CLEAR_BLOCK) {
            int b1 = Math.min(to, b0 + CLEAR_BLOCK);
            updateRange(params, grads, gradScale, b0, b1);
            Arrays.fill(grads, b0, b1, 0f);
        }
    }

    /**
     * Lazy ("sparse") Adam for a table: the update of the current step only for the rows in
     * {@code rows} of the table starting at {@code offset} with rows of {@code width} values. Rows
     * not listed keep their parameters and moments untouched (their moments do not decay, unlike
     * dense Adam, where a zero gradient still moves a parameter by its momentum); the bias
     * corrections use the global step count. Costs O(rows · width) instead of the whole table.
     */
    public void updateRows(float[] params, float[] grads, float gradScale, int offset, int width,
            Embedding.RowSet rows) {
        for (int k = 0; k < rows.size(); k++) {
            int from = offset + rows.get(k) * width;
            updateRange(params, grads, gradScale, from, from + width);
        }
    }

    /** Current learning rate. */
    public double learningRate() {
        return lr;
    }

    /** Sets the learning rate used by subsequent steps (e.g. for annealing). */
    public void setLearningRate(double lr) {
        if (!(lr >= 0.0)) {
            throw new IllegalArgumentException("learning rate must be >= 0: " + lr);
        }
        this.lr = lr;
    }

    /** Number of steps taken so far (t). */
    public long stepCount() {
        return t;
    }

    /** The live first-moment array m (length size); modifications affect the optimiser. */
    public float[] firstMoment() {
        return m;
    }

    /** The live second-moment array v (length size); modifications affect the optimiser. */
    public float[] secondMoment() {
        return v;
    }

    /**
     * Restores a saved state: sets t and copies {@code m}, {@code v} into the internal moments.
     *
     * @throws IllegalArgumentException if the lengths differ from size or stepCount is negative
     */
    public void restore(long stepCount, float[] m, float[] v) {
        if (stepCount < 0) {
            throw new IllegalArgumentException("step count must be >= 0: " + stepCount);
        }
        if (m.length != size || v.length != size) {
            throw new IllegalArgumentException(
                    "Adam state size mismatch: expected " + size + ", got m[" + m.length + "], v[" + v.length + "]");
        }
        System.arraycopy(m, 0, this.m, 0, size);
        System.arraycopy(v, 0, this.v, 0, size);
        this.t = stepCount;
    }

    /** Zeroes both moments and the step count (the learning rate is kept). */
    public void reset() {
        Arrays.fill(m, 0f);
        Arrays.fill(v, 0f);
        t = 0;
    }
}
