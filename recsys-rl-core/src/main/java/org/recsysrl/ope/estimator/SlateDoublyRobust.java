package org.recsysrl.ope.estimator;

/**
 * Doubly robust for slates with an additive (per-position) reward, the DR counterpart of
 * {@link IndependentIps}:
 *
 * <pre>
 *   V̂_SDR = (1/n) Σ_i Σ_k [ v̂_k(x_i) + w_{i,k} (r_{i,k} − q̂(x_i, k, a_{i,k})) ],   v̂_k(x) = Σ_a π(a at k | x) q̂(x, k, a)
 * </pre>
 *
 * with a per-position reward model q̂ (the log's reward model fitted on every position's reward).
 * Unbiased under IIPS's assumption (a position's reward depends only on its own item) whatever the
 * model, with less variance when q̂ explains part of the reward. Needs per-position rewards; the
 * diagnostic weight of a row is the mean of its position weights.
 */
public final class SlateDoublyRobust implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "sdr";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        return SlateTerms.perPosition(in, name(), SlateTerms.Weighting.INDEPENDENT,
                (entry, reward, above, weight) -> in.entryQTarget(entry) + weight * (reward - in.entryQLogged(entry)));
    }
}
