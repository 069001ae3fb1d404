package org.recsysrl.ope.model;

import java.util.Arrays;
import org.recsysrl.ope.LoggedFeedback;

/**
 * The features the linear and logistic reward models share: φ(x, k) = [1, x_1..x_d, 1{k = 1}, ..,
 * 1{k = P−1}] (intercept, context, position indicators), of dimension 1 + d + P − 1.
 */
final class RowFeatures {
    private RowFeatures() {
    }

    /** The dimension of φ for {@code contextDim} context features and {@code positions} positions. */
    static int dim(int contextDim, int positions) {
        return 1 + contextDim + Math.max(0, positions - 1);
    }

    /** Writes φ(x_row, position) to {@code phi} (of length {@link #dim}). */
    static void fill(LoggedFeedback log, int row, int position, int contextDim, double[] phi) {
        Arrays.fill(phi, 0.0);
        phi[0] = 1;
        for (int j = 0; j < contextDim; j++) {
            phi[1 + j] = log.context(row, j);
        }
        if (position >= 1 && 1 + contextDim + position - 1 < phi.length) {
            phi[1 + contextDim + position - 1] = 1;
        }
    }

    /** coef[offset ..] · φ(x_row, position), without building φ. */
    static double dot(double[] coef, int offset, LoggedFeedback log, int row, int position, int contextDim,
            int positions) {
        double v = coef[offset];
        for (int j = 0; j < contextDim; j++) {
            v += coef[offset + 1 + j] * log.context(row, j);
        }
        if (position >= 1 && position < positions) {
            v += coef[offset + contextDim + position];
        }
        return v;
    }

    /**
     * The reward of shown entry {@code k} of {@code row} the models are fitted to: the row's total
     * for a single item, else the position's reward ({@code NaN} when the row has only a total).
     */
    static double target(LoggedFeedback log, int row, int k) {
        return log.slateLength(row) == 1 ? log.reward(row) : log.positionReward(row, k);
    }
}
