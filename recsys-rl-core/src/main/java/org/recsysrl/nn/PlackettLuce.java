package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/**
 * A slate of K distinct items drawn from a categorical distribution p = softmax(s) without
 * replacement, one position after the other (the Plackett–Luce model), with its exact
 * log-probability and gradient, for policy-gradient learning of slate policies:
 *
 * <pre>
 *     log P(a_1 … a_K) = Σ_k [ log p_{a_k} − log R_k ],     R_k = Σ_{j not among a_1 … a_{k−1}} p_j
 *     ∂ log P / ∂ s_j  = 1{j ∈ slate} − Σ_{k : j still available at position k} p_j / R_k
 * </pre>
 *
 * (an item of the slate at position i is available at positions 1 … i; every other item at all K).
 * log R_k is computed from the log-probabilities of the items still available (log-sum-exp in
 * double), not as log(1 − Σ chosen p): when the first choice holds almost all the mass, 1 − p loses
 * every digit, and when a policy is nearly deterministic the other items' probabilities underflow
 * to 0 in float while their log-probabilities stay exact. Allocates nothing; O(n·K²) per slate.
 */
public final class PlackettLuce {
    private PlackettLuce() {
    }

    /**
     * Draws a slate of {@code k} distinct items into {@code slate[slateOff ..)}: position by
     * position, by inverse CDF over the items not yet chosen (one {@code rng} draw each). When
     * every remaining item's probability has underflowed to 0, the position takes the remaining item
     * with the largest log-probability.
     *
     * @throws IllegalArgumentException if fewer than {@code k} items have a finite log-probability
     *     (are allowed)
     */
    public static void sample(float[] logp, float[] probs, int off, int n, int k, Rng rng, int[] slate,
            int slateOff) {
        for (int pos = 0; pos < k; pos++) {
            double remaining = 0;
            for (int j = 0; j < n; j++) {
                if (!taken(slate, slateOff, pos, j)) {
                    remaining += probs[off + j];
                }
            }
            double u = rng.nextDouble() * remaining;
            double c = 0;
            int chosen = -1;
            int last = -1;
            for (int j = 0; j < n && remaining > 0; j++) {
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
                chosen = last >= 0 ? last : best(logp, off, n, slate, slateOff, pos);
            }
            if (chosen < 0) {
                throw new IllegalArgumentException("slate of " + k + ": only " + pos + " items are allowed");
            }
            slate[slateOff + pos] = chosen;
        }
    }

    /**
     * The {@code k} items with the largest {@code scores} (log-probabilities or probabilities), best
     * first, ties to the lower index: the greedy slate.
     */
    public static void top(float[] scores, int off, int n, int k, int[] slate, int slateOff) {
        for (int pos = 0; pos < k; pos++) {
            int best = -1;
            for (int j = 0; j < n; j++) {
                if (!taken(slate, slateOff, pos, j) && (best < 0 || scores[off + j] > scores[off + best])) {
                    best = j;
                }
            }
            slate[slateOff + pos] = best;
        }
    }

    /** log P of the slate {@code slate[slateOff .. slateOff + k)} given the {@code n} items' log-probabilities. */
    public static double logProb(float[] logp, int off, int n, int[] slate, int slateOff, int k) {
        double total = 0;
        for (int pos = 0; pos < k; pos++) {
            total += logp[off + slate[slateOff + pos]] - logRemaining(logp, off, n, slate, slateOff, pos);
        }
        return total;
    }

    /**
     * Adds {@code g · ∂ log P(slate) / ∂ s} to {@code dLogits[dOff .. dOff + n)}, given the items'
     * log-probabilities.
     */
    public static void backward(float[] logp, int off, int n, int[] slate, int slateOff, int k, float g,
            float[] dLogits, int dOff) {
        for (int pos = 0; pos < k; pos++) {
            double logR = logRemaining(logp, off, n, slate, slateOff, pos);
            for (int j = 0; j < n; j++) {
                if (!taken(slate, slateOff, pos, j)) {
                    dLogits[dOff + j] -= (float) (g * Math.exp(logp[off + j] - logR));
                }
            }
            dLogits[dOff + slate[slateOff + pos]] += g;
        }
    }

    /**
     * log R_pos: the log of the probability mass of the items not among
     * {@code slate[slateOff .. slateOff + pos)}, a log-sum-exp of their log-probabilities in double.
     */
    private static double logRemaining(float[] logp, int off, int n, int[] slate, int slateOff, int pos) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (!taken(slate, slateOff, pos, j)) {
                max = Math.max(max, logp[off + j]);
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            if (!taken(slate, slateOff, pos, j)) {
                sum += Math.exp(logp[off + j] - max);
            }
        }
        return max + Math.log(sum);
    }

    /** The available item with the largest finite log-probability, or −1. */
    private static int best(float[] logp, int off, int n, int[] slate, int slateOff, int pos) {
        int best = -1;
        for (int j = 0; j < n; j++) {
            if (logp[off + j] != Float.NEGATIVE_INFINITY && !taken(slate, slateOff, pos, j)
                    && (best < 0 || logp[off + j] > logp[off + best])) {
                best = j;
            }
        }
        return best;
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
