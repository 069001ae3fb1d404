package org.recsysrl.ope.estimator;

/**
 * Independent IPS (IIPS, Li et al. 2018): each position's reward is reweighted by that position's own
 * marginal weight, assuming a position's reward depends only on the item shown there:
 *
 * <pre>
 *   V̂_IIPS = (1/n) Σ_i Σ_k w_{i,k} r_{i,k},   w_{i,k} = π(a_{i,k} at k | x_i) / μ(a_{i,k} at k | x_i)
 * </pre>
 *
 * Needs per-position rewards. The diagnostic weight of a row is the mean of its position weights.
 * On a one-step log it equals IPS.
 */
public final class IndependentIps implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "iips";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        return SlateTerms.perPosition(in, name(), SlateTerms.Weighting.INDEPENDENT,
                (entry, reward, above, weight) -> weight * reward);
    }
}
