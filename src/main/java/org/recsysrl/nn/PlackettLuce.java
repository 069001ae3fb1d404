package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/**
 * A slate of K distinct items drawn from a categorical distribution p = softmax(s) without
 * replacement, one position after the other (the Plackett–Luce model), with its exact
 * log-probability and gradient, for policy-gradient learning of slate policies:
 *
 * <pre>
 *     log P(a_1 … a_K) = Σ_k [ log p_{a_k} − log(1 − S_k) ],     S_k = Σ_{m&lt;k} p_{a_m}
 *     ∂ log P / ∂ s_j  = 1{j ∈ slate} − p_j · Σ_{k : j still available at position k} 1 / (1 − S_k)
 * </pre>
 *
 * (an item of the slate at position i is available at positions 1 … i; every other item at all K).
 * Works on probabilities already computed by {@link Categorical}; allocates nothing.
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
        double remaining = 1.0;
        for (int pos = 0; pos < k; pos++) {
            double u = rng.nextDouble() * remaining;
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
            remaining -= probs[off + chosen];
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

    /** log P of the slate {@code slate[slateOff .. slateOff + k)} given log-probabilities and probabilities. */
    public static double logProb(float[] logp, float[] probs, int off, int[] slate, int slateOff, int k) {
        double total = 0;
        double chosen = 0;
        for (int pos = 0; pos < k; pos++) {
            int a = slate[slateOff + pos];
            total += logp[off + a] - Math.log(Math.max(1e-30, 1 - chosen));
            chosen += probs[off + a];
        }
        return total;
    }

    /**
     * Adds {@code g · ∂ log P(slate) / ∂ s} to {@code dLogits[dOff .. dOff + n)}.
     */
    public static void backward(float[] probs, int off, int n, int[] slate, int slateOff, int k, float g,
            float[] dLogits, int dOff) {
        // C = Σ_k 1/(1 − S_k); every item loses g·p_j·C, and the slate's item at position i gets back
        // g·(1 + p_{a_i}·Σ_{k>i} 1/(1 − S_k))
        double chosen = 0;
        double total = 0;
        for (int pos = 0; pos < k; pos++) {
            total += 1 / Math.max(1e-30, 1 - chosen);
            chosen += probs[off + slate[slateOff + pos]];
        }
        for (int j = 0; j < n; j++) {
            dLogits[dOff + j] -= (float) (g * probs[off + j] * total);
        }
        chosen = 0;
        double upTo = 0;
        for (int pos = 0; pos < k; pos++) {
            int a = slate[slateOff + pos];
            upTo += 1 / Math.max(1e-30, 1 - chosen);
            chosen += probs[off + a];
            dLogits[dOff + a] += (float) (g * (1 + probs[off + a] * (total - upTo)));
        }
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
