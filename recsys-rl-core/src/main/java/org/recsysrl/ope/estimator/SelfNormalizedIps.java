package org.recsysrl.ope.estimator;

/**
 * Self-normalised IPS (SNIPS, the weighted importance-sampling estimator):
 *
 * <pre>
 *   V̂_SNIPS = Σ_i w_i r_i / Σ_i w_i
 * </pre>
 *
 * Slightly biased (consistent), usually with much lower variance than IPS, and always within the range
 * of the observed rewards. One-step logs only.
 */
public final class SelfNormalizedIps implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "snips";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        double[] w = in.weights();
        return UnitTerms.ratio(InversePropensity.weightedRewards(in), w.clone(), w);
    }
}
