package org.recsysrl.ope.estimator;

import java.util.Arrays;
import java.util.function.DoubleFunction;

/**
 * The hyperparameter rule of the tuned estimators (Switch-DR, DRos): for each candidate h with
 * per-row terms t_i(h), estimate its mean squared error as
 *
 * <pre>
 *   MSE(h) = Var(t(h)) / n + max(0, (mean t(h) − mean d)² − Var(t(h) − d) / n)
 * </pre>
 *
 * with d_i the unbiased DR terms: the first part is the estimator's variance, the second an estimate
 * of its squared bias corrected for the noise of the difference. The candidate with the smallest value
 * wins (ties: the earliest).
 */
public final class Tuning {
    private static final double[] QUANTILES = {0.5, 0.7, 0.8, 0.9, 0.95, 0.99};

    private Tuning() {
    }

    /** The weights' 50, 70, 80, 90, 95 and 99 % quantiles, their maximum, and +∞. */
    public static double[] weightQuantiles(double[] w) {
        double[] sorted = w.clone();
        Arrays.sort(sorted);
        double[] out = new double[QUANTILES.length + 2];
        for (int i = 0; i < QUANTILES.length; i++) {
            out[i] = sorted[Math.min(sorted.length - 1, (int) Math.floor(QUANTILES[i] * (sorted.length - 1)))];
        }
        out[QUANTILES.length] = sorted[sorted.length - 1];
        out[QUANTILES.length + 1] = Double.POSITIVE_INFINITY;
        return out;
    }

    /** Index of the candidate with the smallest estimated MSE. */
    public static int choose(double[] anchor, double[] candidates, DoubleFunction<double[]> rowTerms) {
        int best = 0;
        double bestMse = Double.POSITIVE_INFINITY;
        for (int c = 0; c < candidates.length; c++) {
            double mse = estimatedMse(rowTerms.apply(candidates[c]), anchor);
            if (mse < bestMse) {
                bestMse = mse;
                best = c;
            }
        }
        return best;
    }

    /** The estimated MSE of terms {@code t} against unbiased terms {@code d} (see the class comment). */
    public static double estimatedMse(double[] t, double[] d) {
        int n = t.length;
        double mt = 0;
        double md = 0;
        for (int i = 0; i < n; i++) {
            mt += t[i];
            md += d[i];
        }
        mt /= n;
        md /= n;
        double vt = 0;
        double vdiff = 0;
        for (int i = 0; i < n; i++) {
            vt += (t[i] - mt) * (t[i] - mt);
            double e = (t[i] - d[i]) - (mt - md);
            vdiff += e * e;
        }
        double denom = Math.max(1, n - 1);
        vt /= denom;
        vdiff /= denom;
        double bias2 = Math.max(0, (mt - md) * (mt - md) - vdiff / n);
        return vt / n + bias2;
    }
}
