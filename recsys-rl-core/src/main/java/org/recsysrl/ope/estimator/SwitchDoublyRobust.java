package org.recsysrl.ope.estimator;

import java.util.Locale;

/**
 * Switch doubly robust (Switch-DR, Wang, Agarwal and Dudík 2017, in the per-observed-action form the
 * Open Bandit Pipeline uses): the DR correction is kept only for rows whose weight is at most τ,
 *
 * <pre>
 *   V̂_Switch(τ) = (1/n) Σ_i [ v̂(x_i) + 1{w_i ≤ τ} w_i (r_i − q̂(x_i, a_i)) ]
 * </pre>
 *
 * τ = ∞ is DR; τ = 0 is DM. τ is chosen by the estimator itself with {@link Tuning}: from the
 * weights' 50–99 % quantiles, their maximum and ∞, the one with the smallest estimated mean squared
 * error, taking DR as the unbiased anchor. The interval is computed with τ fixed at the chosen value.
 * A fixed τ can be given instead. One-step logs only.
 */
public final class SwitchDoublyRobust implements Estimator<OpeInput> {
    private final double fixedTau;

    /** τ chosen by the estimated-MSE rule. */
    public SwitchDoublyRobust() {
        this(Double.NaN);
    }

    /** A fixed threshold τ ≥ 0 ({@code NaN}: tuned). */
    public SwitchDoublyRobust(double tau) {
        this.fixedTau = tau;
    }

    @Override
    public String name() {
        return "switch-dr";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        double[] w = in.weights();
        double tau = fixedTau;
        if (Double.isNaN(tau)) {
            double[] candidates = Tuning.weightQuantiles(w);
            double[] anchor = DoublyRobust.rowTerms(in);
            tau = candidates[Tuning.choose(anchor, candidates, t -> rows(in, t))];
        }
        double[] eff = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            eff[i] = w[i] <= tau ? w[i] : 0.0;
        }
        return UnitTerms.mean(rows(in, tau), eff, String.format(Locale.ROOT, "tau=%.4g", tau));
    }

    static double[] rows(OpeInput in, double tau) {
        double[] w = in.weights();
        double[] q = in.qLogged();
        double[] v = in.qTarget();
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = v[i] + (w[i] <= tau ? w[i] * (in.log().reward(i) - q[i]) : 0.0);
        }
        return out;
    }

    @Override
    public String toString() {
        return name() + (Double.isNaN(fixedTau) ? "" : "(tau=" + fixedTau + ")");
    }
}
