package org.recsysrl.ope.estimator;

/**
 * Marginalized inverse propensity scoring over a discrete item embedding (MIPS; Saito and Joachims,
 * ICML 2022):
 *
 * <pre>
 *   V̂_MIPS = (1/n) Σ_i w(e_i | x_i) r_i,   w(e | x) = p(e | x, π) / p(e | x, μ),
 *   p(e | x, π) = Σ_a π(a | x) 1[e(a) = e]
 * </pre>
 *
 * with e(a) the item's group ({@link ItemGroups}) and μ the logger's whole distribution at the row.
 * Unbiased when the expected reward depends on the item only through e(a) given x (no direct effect
 * of the item) and the logger gives every group the target uses positive mass; its variance is that
 * of IPS with the smaller marginal weights. When the item matters beyond e(a) it is biased by
 * Σ_e p(e | x, π) (E_{μ(a | x, e)}[q(x, a)] − E_{π(a | x, e)}[q(x, a)]) per context. One-step logs only;
 * the ESS and largest weight reported are the marginal weights'.
 */
public final class MarginalizedIps implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "mips";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        double[] w = in.marginalWeights();
        return UnitTerms.mean(InversePropensity.weightedRewards(in, w), w, in.itemGroups().note());
    }
}
