package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/**
 * Categorical-distribution maths over one row of logits at a time, numerically stable (the row
 * maximum is subtracted before exponentiating). Masked entries are logits equal to
 * {@link Float#NEGATIVE_INFINITY}: they get probability 0 and log-probability -inf. Nothing here
 * allocates.
 */
public final class Categorical {

    private Categorical() {}

    /**
     * Log-softmax of one row: {@code out[outOff+j] = logits[off+j] - m - log(sum_k exp(logits[off+k]
     * - m))} with {@code m = max_k logits[off+k]}, for {@code j < n} (sum in double). Masked
     * ({@code -inf}) logits give {@code -inf} and contribute nothing to the sum. Overwrites
     * {@code out[outOff .. outOff+n)}; {@code out} may be {@code logits} with the same offset.
     *
     * @throws IllegalArgumentException if {@code n <= 0} or every logit is masked
     */
    public static void logSoftmax(float[] logits, int off, int n, float[] out, int outOff) {
        if (n <= 0) {
            throw new IllegalArgumentException("logSoftmax needs n > 0: " + n);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float v = logits[off + j];
            if (v > max) {
                max = v;
            }
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("logSoftmax: all " + n + " logits are masked (-inf)");
        }
        double sum = 0.0;
        for (int j = 0; j < n; j++) {
            sum += Math.exp((double) logits[off + j] - max); // exp(-inf) == 0
        }
        double lse = max + Math.log(sum);
        for (int j = 0; j < n; j++) {
            out[outOff + j] = (float) (logits[off + j] - lse);
        }
    }

    /**
     * Entropy {@code H = -sum_j p_j logp_j} with {@code p_j = exp(logp_j)}, computed in double;
     * terms with {@code p_j == 0} (including masked entries) contribute 0. Reads only.
     */
    public static float entropy(float[] logp, int off, int n) {
        return (float) entropyDouble(logp, off, n);
    }

    private static double entropyDouble(float[] logp, int off, int n) {
        double h = 0.0;
        for (int j = 0; j < n; j++) {
            double lp = logp[off + j];
            double p = Math.exp(lp);
            if (p > 0.0) {
                h -= p * lp;
            }
        }
        return h;
    }

    /**
     * Draws an index by inverse CDF from one {@code u = rng.nextDouble()}: the first {@code j} with
     * {@code u < sum_{k<=j} exp(logp_k)}. Entries whose log-probability is -inf are never returned
     * (if rounding leaves the cumulative sum below {@code u}, the last entry with positive
     * probability is returned). Advances {@code rng} by one draw.
     *
     * @throws IllegalArgumentException if no entry has positive probability
     */
    public static int sample(float[] logp, int off, int n, Rng rng) {
        double u = rng.nextDouble();
        double c = 0.0;
        int last = -1;
        for (int j = 0; j < n; j++) {
            double p = Math.exp(logp[off + j]);
            if (p > 0.0) {
                c += p;
                last = j;
                if (u < c) {
                    return j;
                }
            }
        }
        if (last < 0) {
            throw new IllegalArgumentException("sample: no entry has positive probability");
        }
        return last;
    }

    /**
     * Draws an index by inverse CDF from probabilities (no exponentials): the first {@code j} with
     * {@code u < sum_{k<=j} probs_k}, {@code u = rng.nextDouble()}. Entries with probability 0 are
     * never returned (if rounding leaves the sum below u, the last positive entry is). Advances
     * {@code rng} by one draw.
     *
     * @throws IllegalArgumentException if no entry has positive probability
     */
    public static int sampleFromProbs(float[] probs, int off, int n, Rng rng) {
        double u = rng.nextDouble();
        double c = 0.0;
        int last = -1;
        for (int j = 0; j < n; j++) {
            float p = probs[off + j];
            if (p > 0f) {
                c += p;
                last = j;
                if (u < c) {
                    return j;
                }
            }
        }
        if (last < 0) {
            throw new IllegalArgumentException("sample: no entry has positive probability");
        }
        return last;
    }

    /** Index {@code j < n} (relative to {@code off}) of the largest {@code x[off+j]}; the first one on ties. */
    public static int argmax(float[] x, int off, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("argmax needs n > 0: " + n);
        }
        int best = 0;
        float bestV = x[off];
        for (int j = 1; j < n; j++) {
            float v = x[off + j];
            if (v > bestV) {
                bestV = v;
                best = j;
            }
        }
        return best;
    }

    /**
     * Gradient with respect to the logits of {@code L = gLogp * logp[action] + gEntropy * H}, where
     * {@code logp} is the log-softmax of the logits and H the entropy:
     * {@code dLogits[dOff+j] = gLogp * (delta_{j,action} - p_j) - gEntropy * p_j * (logp_j + H)}
     * with {@code p_j = exp(logp_j)} (masked entries get 0 from the entropy term). An
     * {@code action} of -1 drops the log-prob term. Overwrites {@code dLogits[dOff .. dOff+n)}.
     *
     * @throws IllegalArgumentException if {@code action} is not in {@code [-1, n)}
     */
    public static void backward(
            float[] logp, int off, int n, int action, float gLogp, float gEntropy, float[] dLogits, int dOff) {
        if (action < -1 || action >= n) {
            throw new IllegalArgumentException("action " + action + " outside [-1, " + n + ")");
        }
        double h = gEntropy != 0f ? entropyDouble(logp, off, n) : 0.0;
        for (int j = 0; j < n; j++) {
            double lp = logp[off + j];
            double p = Math.exp(lp);
            double g = 0.0;
            if (action >= 0) {
                g = gLogp * ((j == action ? 1.0 : 0.0) - p);
            }
            if (p > 0.0) {
                g -= gEntropy * p * (lp + h);
            }
            dLogits[dOff + j] = (float) g;
        }
    }
}
