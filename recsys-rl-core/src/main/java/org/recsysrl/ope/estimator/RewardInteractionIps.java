package org.recsysrl.ope.estimator;

/**
 * Reward-interaction IPS (RIPS, McInerney et al. 2020; Kiyohara et al. 2022) under the cascade
 * assumption: a position's reward depends on the items at that position and above, so its weight is
 * the product of the weights down to it:
 *
 * <pre>
 *   V̂_RIPS = (1/n) Σ_i Σ_k ( Π_{j ≤ k} w_{i,j} ) r_{i,k}
 * </pre>
 *
 * The product of per-position marginal ratios equals the ratio of prefix probabilities when both
 * policies choose positions independently given the context (the setting of the logged format's
 * per-position propensities). Needs per-position rewards; the diagnostic weight of a row is its full
 * product. On a one-step log it equals IPS.
 */
public final class RewardInteractionIps implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "rips";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        return SlateTerms.perPosition(in, name(), SlateTerms.Weighting.CASCADE,
                (entry, reward, above, weight) -> weight * reward);
    }
}
