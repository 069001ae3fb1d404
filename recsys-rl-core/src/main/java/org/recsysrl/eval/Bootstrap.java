package org.recsysrl.eval;

import java.util.Arrays;
import org.recsysrl.util.Rng;

/**
 * Percentile-bootstrap confidence intervals for means over users: draw the users with replacement
 * {@code resamples} times, take each metric's mean over every draw, and report the 2.5th and 97.5th
 * percentiles of those means (Efron &amp; Tibshirani 1993, ch. 13). The draws depend only on the
 * seed and the number of users, so two models evaluated on the same users get the same draws.
 * Values that are NaN (a metric undefined for a user) are left out of the means.
 */
public final class Bootstrap {
    private Bootstrap() {
    }

    /** The estimate of every metric of {@code result}, in its metric order. */
    public static Estimate[] intervals(RankingResult result, int resamples, long seed) {
        return intervals(result, resamples, seed, 1);
    }

    /**
     * The same estimates as {@link #intervals(RankingResult, int, long)}, to the bit, with the
     * resamples spread over {@code threads} threads.
     */
    public static Estimate[] intervals(RankingResult result, int resamples, long seed, int threads) {
        return intervals(result.values(), result.userCount(), result.metrics().size(), resamples, seed, threads);
    }

    /**
     * Estimates for {@code width} metrics over {@code n} users whose values are stored user-major in
     * {@code values} ({@code values[k * width + m]}).
     */
    public static Estimate[] intervals(double[] values, int n, int width, int resamples, long seed) {
        return intervals(values, n, width, resamples, seed, 1);
    }

    /**
     * {@link #intervals(double[], int, int, int, long)} on {@code threads} threads: the draws come
     * from one stream whose state at the start of every resample is recorded in a first, cheap
     * pass, so each resample's sums are the same whichever thread computes them.
     */
    public static Estimate[] intervals(double[] values, int n, int width, int resamples, long seed, int threads) {
        double[] sum = new double[width];
        int[] count = new int[width];
        for (int k = 0; k < n; k++) {
            for (int m = 0; m < width; m++) {
                double v = values[k * width + m];
                if (!Double.isNaN(v)) {
                    sum[m] += v;
                    count[m]++;
                }
            }
        }
        double[][] means = resampledMeans(values, n, width, resamples, seed, threads);
        Estimate[] out = new Estimate[width];
        for (int m = 0; m < width; m++) {
            double mean = count[m] == 0 ? Double.NaN : sum[m] / count[m];
            double[] sorted = means[m];
            Arrays.sort(sorted); // NaN sorts last
            int valid = 0;
            while (valid < sorted.length && !Double.isNaN(sorted[valid])) {
                valid++;
            }
            out[m] = valid == 0 ? new Estimate(mean, Double.NaN, Double.NaN, count[m])
                    : new Estimate(mean, percentile(sorted, valid, 0.025), percentile(sorted, valid, 0.975), count[m]);
        }
        return out;
    }

    /**
     * Per metric, the mean of each of {@code resamples} resamples of the {@code n} users (NaN values
     * skipped); every resample draws from the seeded stream as a one-thread run would, so the
     * figures do not depend on {@code threads}.
     */
    private static double[][] resampledMeans(double[] values, int n, int width, int resamples, long seed,
            int threads) {
        double[][] means = new double[width][resamples];
        if (n > 0) {
            int workers = Math.max(1, Math.min(threads, resamples));
            long[] starts = new long[resamples];
            Rng rng = Rng.stream(seed, 41);
            if (workers > 1) {
                // the stream's state at the start of each resample (nextInt may take more than one draw)
                for (int b = 0; b < resamples; b++) {
                    starts[b] = rng.state();
                    for (int draw = 0; draw < n; draw++) {
                        rng.nextInt(n);
                    }
                }
            }
            int chunk = 16;
            org.recsysrl.util.Parallel.forChunks((resamples + chunk - 1) / chunk, workers, (worker, next) -> {
                double[] s = new double[width];
                int[] c = new int[width];
                Rng r = workers > 1 ? new Rng(0) : rng; // one worker: the stream itself, in order
                for (int k = next.getAsInt(); k >= 0; k = next.getAsInt()) {
                    for (int b = k * chunk; b < Math.min(resamples, (k + 1) * chunk); b++) {
                        if (workers > 1) {
                            r.restore(starts[b]);
                        }
                        Arrays.fill(s, 0);
                        Arrays.fill(c, 0);
                        for (int draw = 0; draw < n; draw++) {
                            int off = r.nextInt(n) * width;
                            for (int m = 0; m < width; m++) {
                                double v = values[off + m];
                                if (!Double.isNaN(v)) {
                                    s[m] += v;
                                    c[m]++;
                                }
                            }
                        }
                        for (int m = 0; m < width; m++) {
                            means[m][b] = c[m] == 0 ? Double.NaN : s[m] / c[m];
                        }
                    }
                }
            });
        }
        return means;
    }

    /** The q-quantile of the first {@code n} sorted values, linearly interpolated. */
    static double percentile(double[] sorted, int n, double q) {
        double pos = q * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(n - 1, lo + 1);
        double f = pos - lo;
        return sorted[lo] * (1 - f) + sorted[hi] * f;
    }
}
