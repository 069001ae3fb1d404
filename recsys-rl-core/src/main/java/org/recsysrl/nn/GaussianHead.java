package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/**
 * Diagonal Gaussian policy head for continuous actions: {@code mean = features W^T + b} (a
 * {@link Linear} named {@code name + ".mean"}) and a state-independent log standard deviation
 * {@code name + ".log_std"} of shape {@code [actionDim]}, initially 0 (the store is zero-filled).
 * The log-std is allocated before the mean layer, as in the PyTorch state dict of a module with a
 * direct parameter and a sub-module. Nothing here allocates after construction.
 */
public final class GaussianHead {
    private static final double LOG_2PI = Math.log(2.0 * Math.PI);

    private final ParameterStore store;
    private final Linear mean;
    private final int logStdOffset;
    private final int actionDim;

    /**
     * Allocates {@code name.log_std [actionDim]} and the mean layer {@code name.mean} ({@code in ->
     * actionDim}) in {@code store}, which must not be frozen yet.
     */
    public GaussianHead(ParameterStore store, String name, int in, int actionDim) {
        if (actionDim <= 0) {
            throw new IllegalArgumentException("GaussianHead '" + name + "' needs actionDim > 0: " + actionDim);
        }
        this.store = store;
        this.actionDim = actionDim;
        this.logStdOffset = store.allocate(name + ".log_std", actionDim);
        this.mean = new Linear(store, name + ".mean", in, actionDim);
    }

    /** The mean layer. */
    public Linear mean() {
        return mean;
    }

    /** Offset of the {@code [actionDim]} log-std in the store's data()/grad(). */
    public int logStdOffset() {
        return logStdOffset;
    }

    /** Number of action dimensions d. */
    public int actionDim() {
        return actionDim;
    }

    /**
     * {@code meanOut[b*d+k] = bias[k] + sum_i features[b*in+i] W[k,i]} for {@code b < batch}.
     * Overwrites {@code meanOut[0 .. batch*d)}.
     */
    public void forwardMean(float[] features, float[] meanOut, int batch) {
        mean.forward(features, meanOut, batch);
    }

    /**
     * {@code log N(a | m, diag(s^2))} with {@code s = exp(logStd)}, summed over the d dimensions:
     * {@code -0.5 * sum_k ((a_k - m_k)/s_k)^2 - sum_k logStd_k - 0.5 * d * log(2 pi)}, for the row
     * {@code m = mean[off ..]}, {@code a = action[aOff ..]} (computed in double). Reads only.
     */
    public float logProb(float[] mean, int off, float[] action, int aOff) {
        float[] p = store.data();
        double sq = 0.0;
        double sumLogStd = 0.0;
        for (int k = 0; k < actionDim; k++) {
            double ls = p[logStdOffset + k];
            double z = ((double) action[aOff + k] - mean[off + k]) * Math.exp(-ls);
            sq += z * z;
            sumLogStd += ls;
        }
        return (float) (-0.5 * sq - sumLogStd - 0.5 * actionDim * LOG_2PI);
    }

    /** Entropy of the distribution (state independent): {@code sum_k logStd_k + 0.5 * d * (1 + log(2 pi))}. */
    public float entropy() {
        float[] p = store.data();
        double sumLogStd = 0.0;
        for (int k = 0; k < actionDim; k++) {
            sumLogStd += p[logStdOffset + k];
        }
        return (float) (sumLogStd + 0.5 * actionDim * (1.0 + LOG_2PI));
    }

    /**
     * Draws {@code actionOut[aOff+k] = mean[off+k] + exp(logStd_k) * z_k} with
     * {@code z_k = rng.nextGaussian()}, k = 0..d-1 in order. Overwrites {@code actionOut[aOff ..
     * aOff+d)}; advances {@code rng} by d Gaussian draws.
     */
    public void sample(float[] mean, int off, Rng rng, float[] actionOut, int aOff) {
        float[] p = store.data();
        for (int k = 0; k < actionDim; k++) {
            double s = Math.exp(p[logStdOffset + k]);
            actionOut[aOff + k] = (float) (mean[off + k] + s * rng.nextGaussian());
        }
    }

    /**
     * Gradient of {@code L = gLogp * logProb(row) + gEntropy * entropy()} for one row:
     * {@code dMean[dOff+k] = gLogp * (a_k - m_k) / s_k^2} (overwrites) and
     * {@code grad[logStd_k] += gLogp * ((a_k - m_k)^2 / s_k^2 - 1) + gEntropy} (accumulates into
     * {@code store.grad()}). Calling it once per row of a batch therefore differentiates the sum of
     * the per-row losses, the entropy term included once per row. The gradient for the mean-layer
     * parameters is obtained afterwards with {@code mean().backward(features, dMean, ...)}.
     */
    public void backward(
            float[] mean, int off, float[] action, int aOff, float gLogp, float gEntropy, float[] dMean, int dOff) {
        float[] p = store.data();
        float[] g = store.grad();
        for (int k = 0; k < actionDim; k++) {
            double ls = p[logStdOffset + k];
            double invVar = Math.exp(-2.0 * ls);
            double diff = (double) action[aOff + k] - mean[off + k];
            dMean[dOff + k] = (float) (gLogp * diff * invVar);
            g[logStdOffset + k] += (float) (gLogp * (diff * diff * invVar - 1.0) + gEntropy);
        }
    }
}
