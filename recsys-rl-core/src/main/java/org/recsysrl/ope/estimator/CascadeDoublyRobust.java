package org.recsysrl.ope.estimator;

/**
 * Cascade doubly robust (Kiyohara et al. 2022), the DR counterpart of {@link RewardInteractionIps}:
 * a position's reward may depend on the items above it, so its correction carries the product of the
 * weights down to it and the model's value of the target at k carries the product above it:
 *
 * <pre>
 *   V̂_CDR = (1/n) Σ_i Σ_k [ W_{i,k−1} v̂_k(x_i) + W_{i,k} (r_{i,k} − q̂(x_i, k, a_{i,k})) ],
 *   W_{i,k} = Π_{j ≤ k} w_{i,j},  W_{i,−1} = 1,   v̂_k(x) = Σ_a π(a at k | x) q̂(x, k, a)
 * </pre>
 *
 * With a model of the position and its own item only (as here), E[W_{i,k} q̂(a_{i,k}) | above] =
 * W_{i,k−1} v̂_k, so the estimate is unbiased under RIPS's assumptions whatever the model (and equals
 * RIPS when q̂ = 0). Needs per-position rewards; the diagnostic weight of a row is its full product.
 */
public final class CascadeDoublyRobust implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "cascade-dr";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        return SlateTerms.perPosition(in, name(), SlateTerms.Weighting.CASCADE,
                (entry, reward, above, weight) -> above * in.entryQTarget(entry)
                        + weight * (reward - in.entryQLogged(entry)));
    }
}
