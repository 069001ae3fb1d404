package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Percentile-bootstrap intervals: hand cases and coverage on known distributions. */
class BootstrapTest {

    @Test
    void percentilesAreLinearlyInterpolated() {
        double[] sorted = {1, 2, 3, 4, 5, 99};
        // over the first 5: q = 0.025 → position 0.025 · 4 = 0.1 → 1 + 0.1 · (2 − 1) = 1.1
        assertThat(Bootstrap.percentile(sorted, 5, 0.025)).isCloseTo(1.1, within(1e-12));
        // q = 0.975 → position 3.9 → 4 + 0.9 · (5 − 4) = 4.9 (the 99 beyond n is never read)
        assertThat(Bootstrap.percentile(sorted, 5, 0.975)).isCloseTo(4.9, within(1e-12));
        assertThat(Bootstrap.percentile(sorted, 5, 0.5)).isCloseTo(3.0, within(1e-12));
        assertThat(Bootstrap.percentile(sorted, 5, 1.0)).isCloseTo(5.0, within(1e-12));
        // two values 10, 20: q = 0.25 → position 0.25 → 12.5
        assertThat(Bootstrap.percentile(new double[] {10, 20, Double.NaN}, 2, 0.25)).isCloseTo(12.5, within(1e-12));
        assertThat(Bootstrap.percentile(new double[] {7}, 1, 0.975)).isEqualTo(7.0);
    }

    @Test
    void meansLeaveOutNaNAndAConstantMetricHasAZeroWidthInterval() {
        // two metrics, user-major: metric 0 = (1, NaN, 3), metric 1 = (2, 2, 2)
        double[] values = {1, 2, Double.NaN, 2, 3, 2};
        Estimate[] e = Bootstrap.intervals(values, 3, 2, 200, 1);
        assertThat(e[0].mean()).isCloseTo(2.0, within(1e-12)); // (1 + 3) / 2
        assertThat(e[0].n()).isEqualTo(2);
        assertThat(e[0].low()).isBetween(1.0, 2.0);
        assertThat(e[0].high()).isBetween(2.0, 3.0);
        assertThat(e[1].mean()).isEqualTo(2.0);
        assertThat(e[1].n()).isEqualTo(3);
        assertThat(e[1].low()).isEqualTo(2.0);
        assertThat(e[1].high()).isEqualTo(2.0);
        assertThat(e[1].halfWidth()).isZero();
        // nothing defined: NaN everywhere
        Estimate none = Bootstrap.intervals(new double[] {Double.NaN, Double.NaN}, 2, 1, 50, 1)[0];
        assertThat(none.mean()).isNaN();
        assertThat(none.low()).isNaN();
        assertThat(none.n()).isZero();
    }

    @Test
    void everyMetricIsResampledWithTheSameDraws() {
        // metric 1 = metric 0 + 1 for every user: with the same users drawn, each bootstrap mean is
        // shifted by exactly 1 (up to rounding), and so are both ends of the interval
        SplittableRandom r = new SplittableRandom(4);
        int n = 50;
        double[] values = new double[2 * n];
        for (int k = 0; k < n; k++) {
            values[2 * k] = r.nextDouble();
            values[2 * k + 1] = values[2 * k] + 1;
        }
        Estimate[] e = Bootstrap.intervals(values, n, 2, 300, 9);
        assertThat(e[1].low()).isCloseTo(e[0].low() + 1, within(1e-12));
        assertThat(e[1].high()).isCloseTo(e[0].high() + 1, within(1e-12));
        // same seed, same answer; another seed, other draws
        Estimate again = Bootstrap.intervals(values, n, 2, 300, 9)[0];
        assertThat(again).isEqualTo(e[0]);
        assertThat(Bootstrap.intervals(values, n, 2, 300, 10)[0].low()).isNotEqualTo(e[0].low());
    }

    /** Share of 300 seeded samples of size 200 whose 95 % interval holds the true mean. */
    private static double coverage(boolean exponential) {
        int trials = 300;
        int n = 200;
        int covered = 0;
        for (int t = 0; t < trials; t++) {
            SplittableRandom r = new SplittableRandom(1000 + t);
            double[] x = new double[n];
            for (int k = 0; k < n; k++) {
                // exponential with mean 1 (inverse CDF), or Bernoulli(0.3)
                x[k] = exponential ? -Math.log(1 - r.nextDouble()) : (r.nextDouble() < 0.3 ? 1 : 0);
            }
            Estimate e = Bootstrap.intervals(x, n, 1, 400, t)[0];
            double truth = exponential ? 1.0 : 0.3;
            if (e.low() <= truth && truth <= e.high()) {
                covered++;
            }
        }
        return (double) covered / trials;
    }

    @Test
    void intervalsCoverTheTrueMeanAtAboutTheNominalRate() {
        // nominal 95 %; with 300 trials the standard error of the coverage is about 0.013, so
        // [0.90, 0.98] fails only if the intervals are systematically too narrow or too wide
        assertThat(coverage(true)).isBetween(0.90, 0.98);
        assertThat(coverage(false)).isBetween(0.90, 0.98);
    }

    @Test
    void theIntervalIsThe2point5thAnd97point5thPercentileOfTheReplayedResampleMeans() {
        // replay the documented draws (Rng.stream(seed, 41), one nextInt(n) per draw) and take the
        // percentiles by hand: a 95th-percentile upper end or a 5th-percentile lower end fails
        double[] values = {0.0, 1.0, 0.25, 3.0, 0.5, 2.0, 0.0, 1.5, 4.0, 0.75, 0.1};
        int n = values.length;
        int resamples = 199;
        long seed = 12345;
        org.recsysrl.util.Rng rng = org.recsysrl.util.Rng.stream(seed, 41);
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double sum = 0;
            for (int draw = 0; draw < n; draw++) {
                sum += values[rng.nextInt(n)];
            }
            means[b] = sum / n;
        }
        java.util.Arrays.sort(means);
        // position q * (R - 1): 0.025 * 198 = 4.95 and 0.975 * 198 = 193.05
        double low = means[4] + 0.95 * (means[5] - means[4]);
        double high = means[193] + 0.05 * (means[194] - means[193]);
        double mean = java.util.Arrays.stream(values).sum() / n;

        Estimate e = Bootstrap.intervals(values, n, 1, resamples, seed)[0];

        assertThat(e.mean()).isCloseTo(mean, within(1e-12));
        assertThat(e.low()).isCloseTo(low, within(1e-12));
        assertThat(e.high()).isCloseTo(high, within(1e-12));
        assertThat(e.n()).isEqualTo(n);
        assertThat(e.low()).isLessThan(e.high());
    }

    @Test
    void resamplesSpreadOverThreadsGiveTheSameBits() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 301;
        int width = 3;
        double[] values = new double[n * width];
        for (int k = 0; k < values.length; k++) {
            values[k] = k % 7 == 0 ? Double.NaN : r.nextDouble();
        }
        Estimate[] one = Bootstrap.intervals(values, n, width, 250, 9, 1);
        assertThat(Bootstrap.intervals(values, n, width, 250, 9)).containsExactly(one);
        for (int threads : new int[] {2, 3, 8}) {
            assertThat(Bootstrap.intervals(values, n, width, 250, 9, threads)).as(threads + " threads")
                    .containsExactly(one);
        }
        // another seed gives other intervals (the comparison above can fail)
        assertThat(Bootstrap.intervals(values, n, width, 250, 10, 2)[0]).isNotEqualTo(one[0]);
    }
}
