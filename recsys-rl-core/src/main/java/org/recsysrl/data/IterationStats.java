package org.recsysrl.data;

/**
 * Progress of one ALS sweep.
 *
 * @param iteration 1-based sweep number
 * @param objective the regularised training loss after the sweep (see {@link FactorizationSpec})
 * @param trainRmse root-mean-square training error of the unclamped predictions
 * @param testRmse root-mean-square error of the clamped predictions on the held-out interactions,
 *     NaN if there are none
 */
public record IterationStats(int iteration, double objective, double trainRmse, double testRmse) {}
