package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The paired sign-flip randomisation test and the interval on the mean difference. */
class PairedComparisonTest {

    @Test
    void identicalModelsDifferByZeroWithPOne() {
        double[] a = {0.1, 0.5, 0.0, 1.0, 0.3};
        PairedComparison c = PairedComparison.of("ndcg@10", a, a.clone(), 200, 500, 1);
        assertThat(c.difference().mean()).isZero();
        assertThat(c.difference().low()).isZero();
        assertThat(c.difference().high()).isZero();
        assertThat(c.pValue()).isEqualTo(1.0);
        assertThat(c.meanA()).isCloseTo(0.38, within(1e-12)); // 1.9 / 5
        assertThat(c.meanB()).isCloseTo(0.38, within(1e-12));
    }

    @Test
    void aConsistentLargeShiftGetsTheSmallestPossibleP() {
        // 30 users, every one better under A by about 1: a random sign assignment reaches |Σ| = Σ only
        // if all 30 signs agree (probability 2 / 2^30), so no flip of 1000 does and p = 1 / (1000 + 1)
        double[] a = new double[30];
        double[] b = new double[30];
        for (int k = 0; k < 30; k++) {
            b[k] = 0.01 * k;
            a[k] = b[k] + 1 + 0.001 * k;
        }
        PairedComparison c = PairedComparison.of("hr@10", a, b, 200, 1000, 2);
        assertThat(c.pValue()).isEqualTo(1.0 / 1001);
        assertThat(c.flips()).isEqualTo(1000);
        // mean difference = 1 + 0.001 · mean(0..29) = 1 + 0.001 · 14.5 = 1.0145
        assertThat(c.difference().mean()).isCloseTo(1.0145, within(1e-12));
        assertThat(c.difference().low()).isGreaterThan(1.0).isLessThan(1.0145);
    }

    @Test
    void pValueMatchesTheEnumeratedSignFlipDistribution() {
        // d = (4, 2, −1), observed |Σ| = 5. The 8 sign patterns give sums ±7 (4+2+1), ±5 (4+2−1),
        // ±3 (4−2+1), ±1 (4−2−1): |s| ≥ 5 for 4 of 8 → exact p = 0.5
        double[] b = {0, 0, 0};
        PairedComparison half = PairedComparison.of("m", new double[] {4, 2, -1}, b, 100, 20_000, 3);
        // Monte-Carlo p = (1 + X) / 20001 with X ~ Binomial(20000, 0.5): standard error 0.0035
        assertThat(half.pValue()).isCloseTo(0.5, within(0.02));
        // d = (1, 2, 4), observed 7: only the all-plus and all-minus patterns reach it → exact p = 2/8
        PairedComparison quarter = PairedComparison.of("m", new double[] {1, 2, 4}, b, 100, 20_000, 3);
        assertThat(quarter.pValue()).isCloseTo(0.25, within(0.02));
        // d = (3, 1, −1), observed 3: sums ±5, ±3, ±3, ±1 → 6 of 8 reach 3 → exact p = 0.75
        PairedComparison most = PairedComparison.of("m", new double[] {3, 1, -1}, b, 100, 20_000, 3);
        assertThat(most.pValue()).isCloseTo(0.75, within(0.02));
    }

    @Test
    void pairsWithANaNAreLeftOut() {
        double[] a = {1, Double.NaN, 3, 5};
        double[] b = {0, 2, Double.NaN, 1};
        // pairs kept: (1, 0) and (5, 1): mean A = 3, mean B = 0.5, mean difference (1 + 4) / 2 = 2.5
        PairedComparison c = PairedComparison.of("m", a, b, 100, 100, 4);
        assertThat(c.meanA()).isCloseTo(3.0, within(1e-12));
        assertThat(c.meanB()).isCloseTo(0.5, within(1e-12));
        assertThat(c.difference().mean()).isCloseTo(2.5, within(1e-12));
        assertThat(c.difference().n()).isEqualTo(2);
    }

    @Test
    void resultsMustCoverTheSameUsers() {
        RankingResult r1 = new RankingResult("a", new int[] {0, 1}, List.of("hr@1"), new double[] {1, 0}, Map.of(), 0);
        RankingResult r2 = new RankingResult("b", new int[] {0, 2}, List.of("hr@1"), new double[] {1, 1}, Map.of(), 0);
        assertThatThrownBy(() -> PairedComparison.of(r1, r2, "hr@1", 10, 10, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same users");
        RankingResult r3 = new RankingResult("c", new int[] {0, 1}, List.of("hr@1"), new double[] {0, 0}, Map.of(), 0);
        // A − C = (1, 0): mean 0.5
        assertThat(PairedComparison.of(r1, r3, "hr@1", 50, 50, 1).difference().mean()).isCloseTo(0.5, within(1e-12));
    }
}
