package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/**
 * A slate of K distinct items drawn from a categorical distribution p = softmax(s) without
 * replacement, one position after the other (the Plackett–Luce model), with its exact
 * log-probability and gradient, for policy-gradient learning of slate policies:
 *
 * <pre>
 *     log P(a_1 … a_K) = Σ_k [ log p_{a_k} − log R_k ],     R_k = Σ_{j not among a_1 … a_{k−1}} p_j
 *     ∂ log P / ∂ s_j  = 1{j ∈ slate} − p_j · Σ_{k : j still available at position k} 1 / R_k
 * </pre>
 *
 * (an item of the slate at position i is available at positions 1 … i; every other item at all K).
 * The remaining mass R_k is summed over the items still available rather than taken as 1 − Σ of
 * the chosen ones: when the first choice holds almost all the mass, 1 − p loses every digit and
 * 1 / R_k would blow up, while the sum of the small probabilities stays exact. Works on
 * probabilities already computed by {@link Categorical}; allocates nothing; O(n·K) per slate.
 */
public final class PlackettLuce {
    private PlackettLuce() {
    }

    /**
     * Draws a slate of {@code k} distinct items into {@code slate[slateOff ..)}: position by
     * position, by inverse CDF over the items not yet chosen (one {@code rng} draw each).
     *
     * @throws IllegalArgumentException if fewer than {@code k} items have positive probability
     */
    public static void sample(float[] probs, int off, int n, int k, Rng rng, int[] slate, int slateOff) {
        for (int pos = 0; pos < k; pos++) {
            double u = rng.nextDouble() * remaining(probs, off, n, slate, slateOff, pos);
            double c = 0;
            int chosen = -1;
            int last = -1;
            for (int j = 0; j < n; j++) {
                float p = probs[off + j];
                if (p <= 0f || taken(slate, slateOff, pos, j)) {
                    continue;
                }
                c += p;
                last = j;
                if (u < c) {
                    chosen = j;
                    break;
                }
            }
            if (chosen < 0) {
                chosen = last;
            }
            if (chosen < 0) {
                throw new IllegalArgumentException("slate of " + k + ": only " + pos + " items have positive probability");
            }
            slate[slateOff + pos] = chosen;
        }
    }

    /** The {@code k} most probable items, best first (ties to the lower index): the greedy slate. */
    public static void top(float[] probs, int off, int n, int k, int[] slate, int slateOff) {
        for (int pos = 0; pos < k; pos++) {
            int best = -1;
            for (int j = 0; j < n; j++) {
                if (!taken(slate, slateOff, pos, j) && (best < 0 || probs[off + j] > probs[off + best])) {
                    best = j;
                }
            }
            slate[slateOff + pos] = best;
        }
    }

    /**
     * log P of the slate {@code slate[slateOff .. slateOff + k)} given the log-probabilities and
     * probabilities of the {@code n} items.
     */
    public static double logProb(float[] logp, float[] probs, int off, int n, int[] slate, int slateOff, int k) {
        double total = 0;
        for (int pos = 0; pos < k; pos++) {
            total += logp[off + slate[slateOff + pos]]
                    - Math.log(Math.max(1e-300, remaining(probs, off, n, slate, slateOff, pos)));
        }
        return total;
    }

    /**
     * Adds {@code g · ∂ log P(slate) / ∂ s} to {@code dLogits[dOff .. dOff + n)}.
     */
    public static void backward(float[] probs, int off, int n, int[] slate, int slateOff, int k, float g,
            float[] dLogits, int dOff) {
        // C = Σ_k 1/R_k; every item loses g·p_j·C, and the slate's item at position i gets back
        // g·(1 + p_{a_i}·Σ_{k>i} 1/R_k)
        double total = 0;
        for (int pos = 0; pos < k; pos++) {
            total += 1 / Math.max(1e-300, remaining(probs, off, n, slate, slateOff, pos));
        }
        for (int j = 0; j < n; j++) {
            dLogits[dOff + j] -= (float) (g * probs[off + j] * total);
        }
        double upTo = 0;
        for (int pos = 0; pos < k; pos++) {
            int a = slate[slateOff + pos];
            upTo += 1 / Math.max(1e-300, remaining(probs, off, n, slate, slateOff, pos));
            dLogits[dOff + a] += (float) (g * (1 + probs[off + a] * (total - upTo)));
        }
    }

    /**
     * R_pos: the probability mass of the items not among {@code slate[slateOff .. slateOff + pos)},
     * summed in double over those items.
     */
    private static double remaining(float[] probs, int off, int n, int[] slate, int slateOff, int pos) {
        double r = 0;
        for (int j = 0; j < n; j++) {
            if (!taken(slate, slateOff, pos, j)) {
                r += probs[off + j];
            }
        }
        return r;
    }

    private static boolean taken(int[] slate, int slateOff, int filled, int item) {
        for (int m = 0; m < filled; m++) {
            if (slate[slateOff + m] == item) {
                return true;
            }
        }
        return false;
    }
}
