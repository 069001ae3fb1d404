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
        t++;
        double bc1 = 1.0 - Math.pow(beta1, t);
        double bc2 = 1.0 - Math.pow(beta2, t);
        float negStep = (float) (-lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float w1 = (float) (1.0 - beta1);
        float b2 = (float) beta2;
        float w2 = (float) (1.0 - beta2);
        float e = (float) eps;
        Kernels.adamUpdate(params, grads, gradScale, m, v, 0, size, w1, b2, w2, negStep, bc2Sqrt, e);
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
