package org.recsysrl.ope.policy;

import org.recsysrl.ope.LoggedFeedback;

/** Scores every item of a log for one logged row (higher is better): the hook for recsys-rl models. */
@FunctionalInterface
public interface ItemScorer {
    /** Writes a finite score for each item {@code 0..log.numItems()-1} of {@code row} into {@code out}. */
    void score(LoggedFeedback log, int row, double[] out);
}
