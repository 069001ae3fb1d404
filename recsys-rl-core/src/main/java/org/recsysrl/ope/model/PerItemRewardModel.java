package org.recsysrl.ope.model;

import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.recsysrl.ope.LoggedFeedback;

/**
 * The scaffold the ridge and logistic reward models share: one coefficient vector β_a per item on
 * the features φ(x, k) of {@link RowFeatures}, fitted on the log's shown entries of item a and
 * shrunk towards a pooled vector β₀ fitted on all of them (β₀ itself for an item the fit never
 * saw). A subclass gives the two fits and the link from the score β_a · φ(x, k) to q̂, and
 * implements {@link RewardModel} itself (so that it may call the interface's defaults).
 */
abstract class PerItemRewardModel {
    /** Context features per row. */
    final int contextDim;
    /** Positions φ has indicators for (at least 1). */
    final int positions;
    /** φ's dimension, 1 + contextDim + positions − 1. */
    final int dim;
    /** β, items × dim, row-major. */
    final double[] beta;

    PerItemRewardModel(Layout layout, double[] beta) {
        this.contextDim = layout.contextDim();
        this.positions = layout.positions();
        this.dim = layout.dim();
        this.beta = beta;
    }

    /**
     * The shape of a log's fit.
     *
     * @param contextDim the log's context features
     * @param positions  its positions, at least 1
     * @param dim        φ's dimension
     * @param items      the log's items, one coefficient vector each
     */
    record Layout(int contextDim, int positions, int dim, int items) {
        static Layout of(LoggedFeedback log) {
            int positions = Math.max(1, log.numPositions());
            return new Layout(log.contextDim(), positions, RowFeatures.dim(log.contextDim(), positions),
                    log.numItems());
        }
    }

    /** Receives one shown entry a fit reads. */
    @FunctionalInterface
    interface EntryVisitor {
        /** Entry {@code k} of {@code row}, showing {@code item}, with the reward {@code y} the model is fitted to. */
        void entry(int row, int k, int item, double y);
    }

    /**
     * Visits, in row and slate order, every shown entry of the rows {@code include} accepts that has
     * a reward to fit ({@link RowFeatures#target}, not NaN), with φ(x_row, its position) written to
     * {@code phi} first when {@code phi} is not null.
     */
    static void forEachEntry(LoggedFeedback log, IntPredicate include, double[] phi, EntryVisitor visitor) {
        for (int r = 0; r < log.rows(); r++) {
            if (!include.test(r)) {
                continue;
            }
            for (int k = 0; k < log.slateLength(r); k++) {
                double y = RowFeatures.target(log, r, k);
                if (Double.isNaN(y)) {
                    continue;
                }
                if (phi != null) {
                    RowFeatures.fill(log, r, log.position(r) + k, log.contextDim(), phi);
                }
                visitor.entry(r, k, log.item(r, k), y);
            }
        }
    }

    /** The items' coefficient vectors stacked into β (items × dim): item a's is {@code itemFit.apply(a)}. */
    static double[] stack(Layout layout, IntFunction<double[]> itemFit) {
        double[] beta = new double[layout.items() * layout.dim()];
        for (int a = 0; a < layout.items(); a++) {
            System.arraycopy(itemFit.apply(a), 0, beta, a * layout.dim(), layout.dim());
        }
        return beta;
    }

    /** {@code coef[offset ..]} · φ(x_row, position). */
    final double linear(double[] coef, int offset, LoggedFeedback log, int row, int position) {
        return RowFeatures.dot(coef, offset, log, row, position, contextDim, positions);
    }

    /** The score β_item · φ(x_row, position). */
    final double score(LoggedFeedback log, int row, int position, int item) {
        return linear(beta, item * dim, log, row, position);
    }

    /** The coefficients of {@code item} (a copy): intercept, context, position indicators. */
    public double[] coefficients(int item) {
        return Arrays.copyOfRange(beta, item * dim, (item + 1) * dim);
    }
}
