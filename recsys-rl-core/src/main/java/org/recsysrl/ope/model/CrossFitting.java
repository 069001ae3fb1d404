package org.recsysrl.ope.model;

import java.util.function.Function;
import java.util.function.IntPredicate;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.TargetPolicy;

/**
 * Cross-fitting of a reward model: the rows are split into parts by a hash of the row index (so
 * periodic patterns in the log do not line up with the parts), one model is fitted on the other
 * parts for each, and a row of the log is predicted by the model that did not see it — so the DR
 * family's correction is not biased by the model having fitted the row's own reward. Rows of any
 * other log are predicted by a model fitted on all rows.
 */
final class CrossFitting {
    private CrossFitting() {
    }

    /**
     * The cross-fitted model; {@code fit} fits a model on the rows a predicate accepts. With fewer
     * than two folds, the model fitted on every row.
     */
    static RewardModel of(LoggedFeedback log, int folds, Function<IntPredicate, RewardModel> fit) {
        if (folds < 2) {
            return fit.apply(r -> true);
        }
        RewardModel[] byFold = new RewardModel[folds];
        for (int f = 0; f < folds; f++) {
            final int fold = f;
            byFold[f] = fit.apply(r -> fold(r, folds) != fold);
        }
        RewardModel all = fit.apply(r -> true);
        return new RewardModel() {
            private RewardModel of(LoggedFeedback l, int row) {
                return l == log ? byFold[fold(row, folds)] : all;
            }

            @Override
            public double predict(LoggedFeedback l, int row, int position, int item) {
                return of(l, row).predict(l, row, position, item);
            }

            @Override
            public double expectedUnder(TargetPolicy target, LoggedFeedback l, int row, int position,
                    double[] scratch) {
                return of(l, row).expectedUnder(target, l, row, position, scratch);
            }
        };
    }

    /** The part of row {@code r} among {@code folds}: a multiplicative hash of r, modulo folds. */
    static int fold(int r, int folds) {
        return (int) Long.remainderUnsigned((r + 1L) * 0x9E3779B97F4A7C15L >>> 16, folds);
    }
}
