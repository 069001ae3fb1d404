package org.recsysrl.ope.estimator;

/**
 * Direct method (DM): the reward model's value of the target, averaged over the logged contexts:
 *
 * <pre>
 *   V̂_DM = (1/n) Σ_i Σ_a π(a | x_i) q̂(x_i, a)
 * </pre>
 *
 * Low variance and no weights, but biased by whatever the reward model gets wrong. One-step logs only.
 */
public final class DirectMethod implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "dm";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        return UnitTerms.mean(in.qTarget().clone(), null);
    }
}
