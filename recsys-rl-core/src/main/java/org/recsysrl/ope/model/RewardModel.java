package org.recsysrl.ope.model;

import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.TargetPolicy;

/**
 * An estimate q̂(x, k, a) of the expected reward of showing item {@code a} at position {@code k} in a
 * logged row's context: the direct method's model and the control variate of the doubly robust
 * estimators.
 */
public interface RewardModel {
    /** q̂ for {@code item} at {@code position} in {@code row}'s context. */
    double predict(LoggedFeedback log, int row, int position, int item);

    /**
     * Σ_a π(a | x, k) q̂(x, k, a): the model's value of the target at {@code row} and {@code position}.
     * The default loops over all items with the target's distribution; {@code scratch} has length
     * {@code log.numItems()}.
     */
    default double expectedUnder(TargetPolicy target, LoggedFeedback log, int row, int position, double[] scratch) {
        target.distribution(log, row, position, scratch);
        double v = 0;
        for (int a = 0; a < log.numItems(); a++) {
            if (scratch[a] != 0) {
                v += scratch[a] * predict(log, row, position, a);
            }
        }
        return v;
    }
}
