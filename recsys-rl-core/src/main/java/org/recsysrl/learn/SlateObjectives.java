package org.recsysrl.learn;

/**
 * The per-row losses of learning a Plackett–Luce slate policy from logged slates under the
 * independence assumption (the {@code iips} estimator's weights), with their exact gradients with
 * respect to the logits.
 *
 * <p>The policy draws K distinct items from p = softmax(z) one position after the other. Its
 * per-position marginals M[k][a] = π(a at position k | x) are computed exactly by enumerating every
 * ordered slate of K distinct items (n!/(n−K)! of them: 720 for 3 of 10), each with probability
 * P(s) = Π_m p_{s_m} / R_m, R_m = Σ_{j not among s_0 … s_{m−1}} p_j. For a loss L(M) with
 * upstream G[k][a] = ∂L/∂M[k][a], the gradient is
 *
 * <pre>  ∂L/∂z_j = Σ_s P(s) · (Σ_m G[m][s_m]) · ∂ log P(s)/∂z_j,
 *  ∂ log P(s)/∂z_j = Σ_m (1[j = s_m] − 1[j available at m] · p_j / R_m).</pre>
 *
 * Row i showed a_ik at position k with logging propensity μ_ik = μ(a_ik at k | x_i) and got the
 * position's reward r_ik; w_ik = M_i[k][a_ik] / μ_ik. The losses are sums over positions (the slate's
 * value is the sum of its positions' rewards):
 *
 * <ul>
 *   <li>BanditNet: L_i = Σ_k (λ − r_ik)·w_ik.</li>
 *   <li>Doubly robust: L_i = −Σ_k [Σ_a M_i[k][a] q̂(x_i, k, a) + w_ik (r_ik − q̂(x_i, k, a_ik))].</li>
 * </ul>
 */
public final class SlateObjectives {
    /** The most ordered slates a row may enumerate. */
    public static final long MAX_SLATES = 200_000;

    private SlateObjectives() {
    }

    /** n!/(n−k)!, the ordered slates of {@code k} distinct of {@code n} items (saturating at Long.MAX_VALUE). */
    public static long slateCount(int n, int k) {
        long c = 1;
        for (int m = 0; m < k; m++) {
            if (c > Long.MAX_VALUE / n) {
                return Long.MAX_VALUE;
            }
            c *= n - m;
        }
        return c;
    }

    /**
     * The exact per-position marginals of the Plackett–Luce policy p = {@code probs[off .. off + n)}:
     * {@code out[k·n + a]} = π(a at position k), k &lt; {@code slate}.
     */
    public static void marginals(double[] probs, int off, int n, int slate, double[] out) {
        java.util.Arrays.fill(out, 0, slate * n, 0);
        new Walk(probs, off, n, slate, out, null, null).visit(0, 1.0, mass(probs, off, n));
    }

    /**
     * Writes {@code scale} × ∂L/∂z to {@code grad[gradOff .. gradOff + n)} for a loss L of the
     * marginals with {@code upstream[k·n + a]} = ∂L/∂M[k][a].
     */
    public static void backward(double[] probs, int off, int n, int slate, double[] upstream, float[] grad,
            int gradOff, double scale) {
        double[] g = new double[n];
        new Walk(probs, off, n, slate, null, upstream, g).visit(0, 1.0, mass(probs, off, n));
        for (int j = 0; j < n; j++) {
            grad[gradOff + j] = (float) (scale * g[j]);
        }
    }

    private static double mass(double[] probs, int off, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += probs[off + j];
        }
        return s;
    }

    /**
     * The BanditNet loss of one row, Σ_k (λ − r_k)·M[k][a_k]/μ_k, with its upstream ∂L/∂M written to
     * {@code upstream} (k·n + a).
     */
    public static double banditNet(double[] m, int n, int[] items, double[] rewards, double[] propensities,
            double lambda, double[] upstream) {
        java.util.Arrays.fill(upstream, 0, items.length * n, 0);
        double loss = 0;
        for (int k = 0; k < items.length; k++) {
            double coef = (lambda - rewards[k]) / propensities[k];
            upstream[k * n + items[k]] = coef;
            loss += coef * m[k * n + items[k]];
        }
        return loss;
    }

    /**
     * The doubly robust loss of one row, −Σ_k [Σ_a M[k][a] q̂_k(a) + (r_k − q̂_k(a_k))·M[k][a_k]/μ_k],
     * with {@code q[k·n + a]} = q̂(x, k, a), and its upstream ∂L/∂M written to {@code upstream}.
     */
    public static double doublyRobust(double[] m, int n, int[] items, double[] rewards, double[] propensities,
            double[] q, double[] upstream) {
        double loss = 0;
        for (int k = 0; k < items.length; k++) {
            for (int a = 0; a < n; a++) {
                upstream[k * n + a] = -q[k * n + a];
                loss -= m[k * n + a] * q[k * n + a];
            }
            int shown = items[k];
            double c = (rewards[k] - q[k * n + shown]) / propensities[k];
            upstream[k * n + shown] -= c;
            loss -= c * m[k * n + shown];
        }
        return loss;
    }

    /** A depth-first walk over the ordered slates, accumulating marginals or the gradient. */
    private static final class Walk {
        private final double[] probs;
        private final int off;
        private final int n;
        private final int k;
        private final double[] marginals;
        private final double[] upstream;
        private final double[] grad;
        private final int[] slate;
        private final double[] rest;
        private final boolean[] taken;

        Walk(double[] probs, int off, int n, int k, double[] marginals, double[] upstream, double[] grad) {
            this.probs = probs;
            this.off = off;
            this.n = n;
            this.k = k;
            this.marginals = marginals;
            this.upstream = upstream;
            this.grad = grad;
            this.slate = new int[k];
            this.rest = new double[k];
            this.taken = new boolean[n];
        }

        /** Visits every completion of the prefix slate[0 .. depth) of probability {@code p}, mass left {@code r}. */
        void visit(int depth, double p, double r) {
            if (depth == k) {
                leaf(p);
                return;
            }
            if (!(r > 0)) {
                return;
            }
            rest[depth] = r;
            for (int a = 0; a < n; a++) {
                if (taken[a] || probs[off + a] <= 0) {
                    continue;
                }
                slate[depth] = a;
                taken[a] = true;
                visit(depth + 1, p * probs[off + a] / r, r - probs[off + a]);
                taken[a] = false;
            }
        }

        private void leaf(double p) {
            if (marginals != null) {
                for (int m = 0; m < k; m++) {
                    marginals[m * n + slate[m]] += p;
                }
                return;
            }
            double g = 0;
            for (int m = 0; m < k; m++) {
                g += upstream[m * n + slate[m]];
            }
            double coef = p * g;
            if (coef == 0) {
                return;
            }
            for (int m = 0; m < k; m++) {
                grad[slate[m]] += coef;
            }
            // item j is available at positions 0 .. (its position, or k − 1 if not shown)
            for (int j = 0; j < n; j++) {
                int last = k - 1;
                for (int m = 0; m < k; m++) {
                    if (slate[m] == j) {
                        last = m;
                        break;
                    }
                }
                double s = 0;
                for (int m = 0; m <= last; m++) {
                    s += 1 / rest[m];
                }
                grad[j] -= coef * probs[off + j] * s;
            }
        }
    }
}
