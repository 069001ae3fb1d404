package org.recsysrl.ope.estimator;

/**
 * Inverse propensity scoring (IPS, Horvitz–Thompson):
 *
 * <pre>
 *   V̂_IPS = (1/n) Σ_i w_i r_i,   w_i = π(a_i | x_i) / μ(a_i | x_i)
 * </pre>
 *
 * Unbiased when the logger covers the target's support and the propensities are right; its variance
 * grows with the weights. One-step logs only.
 */
public final class InversePropensity implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "ips";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        return UnitTerms.mean(weightedRewards(in), in.weights());
    }

    /** w_i r_i for every row: IPS's terms, and SNIPS's numerators. */
    static double[] weightedRewards(OpeInput in) {
        return weightedRewards(in, in.weights());
    }

    /** w_i r_i with the weights {@code w} (MIPS's marginal weights). */
    static double[] weightedRewards(OpeInput in, double[] w) {
        double[] num = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            num[i] = w[i] * in.log().reward(i);
        }
        return num;
    }
}
