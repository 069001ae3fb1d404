package org.recsysrl.ope.estimator;

/**
 * Doubly robust (DR, Dudík, Langford and Li 2011):
 *
 * <pre>
 *   V̂_DR = (1/n) Σ_i [ v̂(x_i) + w_i (r_i − q̂(x_i, a_i)) ],   v̂(x) = Σ_a π(a | x) q̂(x, a)
 * </pre>
 *
 * Unbiased when the propensities are right (whatever the model), and with lower variance than IPS
 * when q̂ is close to the true expected reward. One-step logs only.
 */
public final class DoublyRobust implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "dr";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        return UnitTerms.mean(rowTerms(in), in.weights());
    }

    /** The per-row DR terms v̂_i + w_i (r_i − q̂_i) (also the unbiased anchor of the tuned estimators). */
    static double[] rowTerms(OpeInput in) {
        return rowTerms(in, in.weights());
    }

    /** v̂_i + w_i (r_i − q̂_i) with the weights {@code w} (the marginalized DR's marginal weights). */
    static double[] rowTerms(OpeInput in, double[] w) {
        double[] q = in.qLogged();
        double[] v = in.qTarget();
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = v[i] + w[i] * (in.log().reward(i) - q[i]);
        }
        return out;
    }
}
