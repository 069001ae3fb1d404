package org.recsysrl.ope.policy;

import org.recsysrl.ope.LoggedFeedback;

/**
 * A policy whose value is estimated: for a logged row (its context) and a position, a distribution
 * over the log's items ({@code 0..log.numItems()-1}). For slates the policy is described by its
 * per-position marginals π(item at position | context); slate estimators that need more (RIPS, the
 * pseudo-inverse) assume positions are chosen independently, as their javadoc says.
 */
public interface TargetPolicy {
    /** A short name for reports. */
    String name();

    /** π(item at position | row's context). */
    double probability(LoggedFeedback log, int row, int position, int item);

    /**
     * Fills {@code out[0..log.numItems())} with the distribution at {@code position} for {@code row}.
     * The default calls {@link #probability} per item; implementations override it when faster.
     */
    default void distribution(LoggedFeedback log, int row, int position, double[] out) {
        for (int a = 0; a < log.numItems(); a++) {
            out[a] = probability(log, row, position, a);
        }
    }

    /**
     * π(the whole slate logged at {@code row} | context). The default is the product of the
     * per-position probabilities, Π_k π(a_k at k | x): exact for a policy that fills positions
     * independently; a policy that samples whole slates (e.g. ε-uniform over slates) overrides it.
     */
    default double slateProbability(LoggedFeedback log, int row) {
        double p = 1;
        for (int k = 0; k < log.slateLength(row); k++) {
            p *= probability(log, row, log.position(row) + k, log.item(row, k));
        }
        return p;
    }

    /** Whether the distribution depends only on the position, not on the row (allows precomputation). */
    default boolean contextFree() {
        return false;
    }

    /**
     * Probability mass the policy puts on items outside the log's vocabulary at {@code position}
     * (items the logger never showed and no catalog listed): counted as unsupported mass.
     */
    default double massOutsideLog(LoggedFeedback log, int position) {
        return 0.0;
    }

    /**
     * Refuses, with a {@link org.recsysrl.util.UserInputException}, a log this policy cannot be
     * evaluated on (e.g. a table without probabilities for a position the log uses).
     */
    default void checkCompatible(LoggedFeedback log) {
    }
}
