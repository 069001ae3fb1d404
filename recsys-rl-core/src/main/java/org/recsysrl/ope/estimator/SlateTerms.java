package org.recsysrl.ope.estimator;

import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.UserInputException;

/**
 * What the per-position slate estimators ({@link IndependentIps}, {@link SlateDoublyRobust},
 * {@link RewardInteractionIps}, {@link CascadeDoublyRobust}) share: the check for per-position
 * rewards and the loop that sums each row's position terms.
 */
final class SlateTerms {
    private SlateTerms() {
    }

    /** How a row's per-position weights w_{i,k} combine into the weight of position k. */
    enum Weighting {
        /**
         * Position k is weighted by its own w_{i,k} (the independence assumption); the row's
         * diagnostic weight is the mean of its position weights.
         */
        INDEPENDENT,
        /**
         * Position k is weighted by the product W_{i,k} = Π_{j ≤ k} w_{i,j} down to it (the cascade
         * assumption); the row's diagnostic weight is the full product.
         */
        CASCADE
    }

    /** One position's term of a row's value. */
    @FunctionalInterface
    interface PositionTerm {
        /**
         * The term of one shown position.
         *
         * @param entry  the shown entry's index into {@link OpeInput}'s per-entry values
         * @param reward the position's reward r_{i,k}
         * @param above  the weight of the positions above, W_{i,k−1} (1 at the top, and always 1 when
         *               the weighting is {@link Weighting#INDEPENDENT})
         * @param weight the position's weight: W_{i,k}, or w_{i,k} when independent
         */
        double at(int entry, double reward, double above, double weight);
    }

    /**
     * The mean over rows of Σ_k {@code term} (the estimate), with each row's diagnostic weight as
     * {@code weighting} says; refuses a log without per-position rewards, naming {@code estimator}.
     */
    static UnitTerms perPosition(OpeInput in, String estimator, Weighting weighting, PositionTerm term) {
        requirePositionRewards(in, estimator);
        boolean cascade = weighting == Weighting.CASCADE;
        LoggedFeedback log = in.log();
        double[] num = new double[log.rows()];
        double[] diag = new double[log.rows()];
        for (int r = 0; r < log.rows(); r++) {
            int s = log.slateStart(r);
            int len = log.slateLength(r);
            double above = 1;
            double wsum = 0;
            double v = 0;
            for (int k = 0; k < len; k++) {
                double w = in.entryWeight(s + k);
                double weight = cascade ? above * w : w;
                v += term.at(s + k, log.positionReward(r, k), above, weight);
                wsum += w;
                if (cascade) {
                    above = weight;
                }
            }
            num[r] = v;
            diag[r] = cascade ? above : wsum / len;
        }
        return UnitTerms.mean(num, diag);
    }

    private static void requirePositionRewards(OpeInput in, String estimator) {
        LoggedFeedback log = in.log();
        for (int r = 0; r < log.rows(); r++) {
            if (!log.hasPositionRewards(r)) {
                throw new UserInputException(log.source() + " row " + (r + 1) + " has only a total reward: " + estimator
                        + " needs per-position \"rewards\"; use pi (the pseudo-inverse) for total rewards");
            }
        }
    }
}
