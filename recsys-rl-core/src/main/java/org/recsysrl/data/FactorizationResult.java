package org.recsysrl.data;

import java.util.List;

/**
 * A fitted factorisation and how it got there.
 *
 * @param model the final model
 * @param spec the settings used
 * @param history one entry per sweep, in order
 * @param testRmse held-out RMSE of the clamped predictions of the final model (NaN without test data)
 * @param testCount number of held-out interactions it was measured on
 */
public record FactorizationResult(FactorizationModel model, FactorizationSpec spec, List<IterationStats> history,
        double testRmse, int testCount) {

    /** Copies the history into an unmodifiable list. */
    public FactorizationResult {
        history = List.copyOf(history);
    }
}
