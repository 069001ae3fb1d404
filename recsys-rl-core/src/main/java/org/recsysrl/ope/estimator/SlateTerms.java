package org.recsysrl.ope.estimator;

import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.UserInputException;

/** Shared checks of the slate estimators. */
final class SlateTerms {
    private SlateTerms() {
    }

    static void requirePositionRewards(OpeInput in, String estimator) {
        LoggedFeedback log = in.log();
        for (int r = 0; r < log.rows(); r++) {
            if (!log.hasPositionRewards(r)) {
                throw new UserInputException(log.source() + " row " + (r + 1) + " has only a total reward: " + estimator
                        + " needs per-position \"rewards\"; use pi (the pseudo-inverse) for total rewards");
            }
        }
    }
}
