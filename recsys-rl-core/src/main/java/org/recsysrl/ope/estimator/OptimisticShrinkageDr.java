package org.recsysrl.ope.estimator;

import java.util.Locale;

/**
 * Doubly robust with optimistic shrinkage (DRos, Su, Dimakopoulou, Krishnamurthy and Dudík 2020): the
 * weights in the DR correction are shrunk towards 0,
 *
 * <pre>
 *   V̂_DRos(λ) = (1/n) Σ_i [ v̂(x_i) + ŵ_i (r_i − q̂(x_i, a_i)) ],   ŵ_i = λ w_i / (w_i² + λ)
 * </pre>
 *
 * λ = ∞ is DR and λ = 0 is DM. λ is chosen by {@link Tuning} among the squares of the weights'
 * 50–99 % quantiles and maximum (times 1 and 10) and ∞, by the smallest estimated mean squared error
 * with DR as the unbiased anchor; the interval holds λ fixed. One-step logs only.
 */
public final class OptimisticShrinkageDr implements Estimator<OpeInput> {
    private final double fixedLambda;

    /** λ chosen by the estimated-MSE rule. */
    public OptimisticShrinkageDr() {
        this(Double.NaN);
    }

    /** A fixed λ ≥ 0 ({@code NaN}: tuned; {@code +∞}: plain DR). */
    public OptimisticShrinkageDr(double lambda) {
        this.fixedLambda = lambda;
    }

    @Override
    public String name() {
        return "dros";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        double[] w = in.weights();
        double lambda = fixedLambda;
        if (Double.isNaN(lambda)) {
            double[] q = Tuning.weightQuantiles(w);
            double[] candidates = new double[2 * q.length - 1];
            int c = 0;
            for (int i = 0; i < q.length - 1; i++) {
                candidates[c++] = q[i] * q[i];
                candidates[c++] = 10 * q[i] * q[i];
            }
            candidates[c] = Double.POSITIVE_INFINITY;
            double[] anchor = DoublyRobust.rowTerms(in);
            lambda = candidates[Tuning.choose(anchor, candidates, l -> rows(in, l))];
        }
        double[] eff = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            eff[i] = shrink(w[i], lambda);
        }
        return UnitTerms.mean(rows(in, lambda), eff, String.format(Locale.ROOT, "lambda=%.4g", lambda));
    }

    static double shrink(double w, double lambda) {
        if (Double.isInfinite(lambda)) {
            return w;
        }
        double d = w * w + lambda;
        return d == 0 ? 0.0 : lambda * w / d;
    }

    static double[] rows(OpeInput in, double lambda) {
        double[] w = in.weights();
        double[] q = in.qLogged();
        double[] v = in.qTarget();
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = v[i] + shrink(w[i], lambda) * (in.log().reward(i) - q[i]);
        }
        return out;
    }
}
