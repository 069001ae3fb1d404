package org.recsysrl.eval;

import org.recsysrl.util.Rng;

/**
 * Compares two models evaluated on the same users, user by user: the mean of the per-user
 * differences d_u = a_u − b_u with its percentile-bootstrap 95 % interval, and a two-sided p-value
 * from a paired sign-flip randomisation test: under the null hypothesis that the two models are
 * exchangeable for every user, each d_u is as likely to be −d_u, so p is the share of random sign
 * assignments whose mean is at least as far from 0 as the observed one,
 * {@code p = (1 + #{|mean(s·d)| ≥ |mean(d)|}) / (1 + flips)}. Users where either value is NaN
 * are left out.
 *
 * @param metric the metric compared
 * @param meanA mean of model A
 * @param meanB mean of model B
 * @param difference mean of a − b with its interval
 * @param pValue two-sided p-value of the randomisation test
 * @param flips number of random sign assignments
 */
public record PairedComparison(String metric, double meanA, double meanB, Estimate difference, double pValue,
        int flips) {

    /** Compares {@code metric} of two results on the same users. */
    public static PairedComparison of(RankingResult a, RankingResult b, String metric, int resamples, int flips,
            long seed) {
        if (!java.util.Arrays.equals(a.users(), b.users())) {
            throw new IllegalArgumentException("paired comparison needs the same users in the same order");
        }
        return of(metric, a.column(metric), b.column(metric), resamples, flips, seed);
    }

    /** Compares two per-user value arrays of equal length. */
    public static PairedComparison of(String metric, double[] a, double[] b, int resamples, int flips, long seed) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired values must have the same length");
        }
        int n = 0;
        double[] d = new double[a.length];
        double sa = 0;
        double sb = 0;
        for (int k = 0; k < a.length; k++) {
            if (!Double.isNaN(a[k]) && !Double.isNaN(b[k])) {
                d[n++] = a[k] - b[k];
                sa += a[k];
                sb += b[k];
            }
        }
        d = java.util.Arrays.copyOf(d, n);
        Estimate diff = Bootstrap.intervals(d, n, 1, resamples, seed)[0];
        return new PairedComparison(metric, n == 0 ? Double.NaN : sa / n, n == 0 ? Double.NaN : sb / n, diff,
                signFlipP(d, flips, seed), flips);
    }

    /** The randomisation test's two-sided p-value for the mean of {@code d} being 0. */
    static double signFlipP(double[] d, int flips, long seed) {
        int n = d.length;
        if (n == 0) {
            return Double.NaN;
        }
        double observed = 0;
        for (double v : d) {
            observed += v;
        }
        observed = Math.abs(observed);
        if (observed == 0) {
            return 1.0;
        }
        double tolerance = observed * 1e-12; // sums of the same terms in another order
        Rng rng = Rng.stream(seed, 43);
        int extreme = 0;
        for (int f = 0; f < flips; f++) {
            double s = 0;
            long bits = 0;
            for (int k = 0; k < n; k++) {
                if ((k & 63) == 0) {
                    bits = rng.nextLong();
                }
                s += (bits & 1L) == 0 ? d[k] : -d[k];
                bits >>>= 1;
            }
            if (Math.abs(s) >= observed - tolerance) {
                extreme++;
            }
        }
        return (1.0 + extreme) / (1.0 + flips);
    }
}
