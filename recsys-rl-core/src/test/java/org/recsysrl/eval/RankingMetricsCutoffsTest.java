package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/** {@link RankingMetrics#atCutoffs}, the tie-ranked top-K, novelty and the Gini coefficient, by hand. */
class RankingMetricsCutoffsTest {
    private static final double L3 = Math.log(3) / Math.log(2); // log2(3)
    private static final double L5 = Math.log(5) / Math.log(2); // log2(5)
    private static final double L6 = Math.log(6) / Math.log(2); // log2(6)
    private static final int HR = 0;
    private static final int NDCG = 1;
    private static final int MRR = 2;
    private static final int RECALL = 3;
    private static final int PRECISION = 4;

    private static double[] metrics(int[] list, int n, int[] relevant, int from, int to, int[] cutoffs) {
        double[] out = new double[RankingMetrics.PER_CUTOFF * cutoffs.length];
        RankingMetrics.atCutoffs(list, n, relevant, from, to, cutoffs, out, 0);
        return out;
    }

    @Test
    void everyMetricAtThreeCutoffs() {
        // relevant = the slice [1, 5) of the target array: {1, 3, 4, 8}, R = 4; 0 and 9 lie outside it
        int[] targets = {0, 1, 3, 4, 8, 9};
        int[] list = {7, 3, 1, 9, 4};
        // hits at ranks 2 (item 3), 3 (item 1) and 5 (item 4); item 9 at rank 4 is NOT relevant here
        double[] out = new double[2 + 15 + 1];
        Arrays.fill(out, -7);
        RankingMetrics.atCutoffs(list, 5, targets, 1, 5, new int[] {1, 3, 5}, out, 2);
        assertThat(out[0]).isEqualTo(-7); // nothing before the offset is written
        assertThat(out[1]).isEqualTo(-7);
        assertThat(out[17]).isEqualTo(-7); // nor after the 3 × 5 values

        // K = 1: [7] has no hit: all five are 0
        assertThat(Arrays.copyOfRange(out, 2, 7)).containsExactly(0, 0, 0, 0, 0);
        // K = 3: hits at ranks 2, 3. DCG = 1/log2(3) + 1/log2(4) = 1/L3 + 0.5;
        // IDCG over min(3, 4) = 3 ranks = 1 + 1/L3 + 0.5; MRR = 1/2; recall 2/4; precision 2/3
        int o = 2 + 5;
        assertThat(out[o + HR]).isEqualTo(1.0);
        assertThat(out[o + NDCG]).isCloseTo((1 / L3 + 0.5) / (1.5 + 1 / L3), within(1e-12));
        assertThat(out[o + MRR]).isCloseTo(0.5, within(1e-12));
        assertThat(out[o + RECALL]).isCloseTo(0.5, within(1e-12));
        assertThat(out[o + PRECISION]).isCloseTo(2.0 / 3, within(1e-12));
        // K = 5: one more hit at rank 5: DCG += 1/log2(6); IDCG over min(5, 4) = 4 ranks adds 1/log2(5);
        // MRR still 1/2 (first hit at rank 2); recall 3/4; precision 3/5
        o = 2 + 10;
        assertThat(out[o + HR]).isEqualTo(1.0);
        assertThat(out[o + NDCG]).isCloseTo((1 / L3 + 0.5 + 1 / L6) / (1.5 + 1 / L3 + 1 / L5), within(1e-12));
        assertThat(out[o + MRR]).isCloseTo(0.5, within(1e-12));
        assertThat(out[o + RECALL]).isCloseTo(0.75, within(1e-12));
        assertThat(out[o + PRECISION]).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void idealDcgRunsOverAtMostTheNumberOfRelevantItems() {
        // R = 1 < K = 3: the hit at rank 2 gives DCG = 1/log2(3); the ideal list has ONE relevant item at
        // rank 1, IDCG = 1, so NDCG = 1/L3 ≈ 0.631 (not (1/L3) / (1 + 1/L3 + 1/2) ≈ 0.292)
        double[] out = metrics(new int[] {2, 5, 6}, 3, new int[] {5}, 0, 1, new int[] {3});
        assertThat(out[NDCG]).isCloseTo(1 / L3, within(1e-12));
        assertThat(out[RECALL]).isEqualTo(1.0);
        assertThat(out[PRECISION]).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(out[MRR]).isCloseTo(0.5, within(1e-12));
        // both relevant items at the top of a K = 10 list: NDCG = 1 exactly as ideal
        double[] perfect = metrics(new int[] {5, 2, 0, 1}, 4, new int[] {2, 5}, 0, 2, new int[] {10});
        assertThat(perfect[NDCG]).isCloseTo(1.0, within(1e-12));
        assertThat(perfect[PRECISION]).isCloseTo(0.2, within(1e-12)); // 2 hits / K = 10
    }

    @Test
    void aListShorterThanTheCutoffCountsItsMissingEntriesAsMisses() {
        // n = 2 of K = 5; the entries after n (7, 7, 7) are garbage and must not be read
        int[] list = {4, 6, 7, 7, 7};
        double[] out = metrics(list, 2, new int[] {6, 7}, 0, 2, new int[] {5});
        // one hit at rank 2: DCG = 1/L3, IDCG over min(5, 2) = 2 ranks = 1 + 1/L3
        assertThat(out[HR]).isEqualTo(1.0);
        assertThat(out[NDCG]).isCloseTo((1 / L3) / (1 + 1 / L3), within(1e-12));
        assertThat(out[MRR]).isCloseTo(0.5, within(1e-12));
        assertThat(out[RECALL]).isCloseTo(0.5, within(1e-12));
        assertThat(out[PRECISION]).isCloseTo(0.2, within(1e-12)); // 1 / 5, not 1 / 2
    }

    @Test
    void aUserWithoutRelevantItemsIsRejected() {
        assertThatThrownBy(() -> metrics(new int[] {1}, 1, new int[] {3}, 1, 1, new int[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topKBreaksTiesByTheTieRankAndNeverPicksMaskedScores() {
        // items 1, 2, 4, 7 tie at 3; 6 has 2; 0 has 1; 3 (NaN) and 5 (−∞) are never chosen
        float[] s = {1, 3, 3, Float.NaN, 3, Float.NEGATIVE_INFINITY, 2, 3};
        int[] identity = {0, 1, 2, 3, 4, 5, 6, 7};
        int[] reversed = {7, 6, 5, 4, 3, 2, 1, 0};
        int[] out = new int[10];
        assertThat(RankingMetrics.topK(s, s.length, 3, identity, out)).isEqualTo(3);
        assertThat(Arrays.copyOf(out, 3)).containsExactly(1, 2, 4);
        assertThat(RankingMetrics.topK(s, s.length, 3, reversed, out)).isEqualTo(3);
        assertThat(Arrays.copyOf(out, 3)).containsExactly(7, 4, 2);
        // k larger than the number of scorable items: 6 of them, best first
        assertThat(RankingMetrics.topK(s, s.length, 10, identity, out)).isEqualTo(6);
        assertThat(Arrays.copyOf(out, 6)).containsExactly(1, 2, 4, 7, 6, 0);
        assertThat(RankingMetrics.topK(s, s.length, 10, reversed, out)).isEqualTo(6);
        assertThat(Arrays.copyOf(out, 6)).containsExactly(7, 4, 2, 1, 6, 0);
        // +∞ is a score like any other (first); only −∞ and NaN are masks
        float[] inf = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f};
        assertThat(RankingMetrics.topK(inf, 4, 4, new int[] {0, 1, 2, 3}, out)).isEqualTo(2);
        assertThat(Arrays.copyOf(out, 2)).containsExactly(1, 3);
        float[] none = {Float.NaN, Float.NEGATIVE_INFINITY};
        assertThat(RankingMetrics.topK(none, 2, 2, new int[] {0, 1}, out)).isZero();
    }

    @Test
    void topKAgreesWithAFullSortOnRandomScoresWithManyTies() {
        Rng rng = new Rng(17);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rng.nextInt(60);
            float[] s = new float[n];
            for (int i = 0; i < n; i++) {
                int r = rng.nextInt(8);
                s[i] = r == 0 ? Float.NEGATIVE_INFINITY : r == 1 ? Float.NaN : rng.nextInt(4); // many ties
            }
            int[] tieRank = RankingSetup.randomTieRank(n, trial);
            int k = 1 + rng.nextInt(n + 3);
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Comparator<Integer> byScoreThenRank = Comparator.<Integer>comparingDouble(i -> -s[i])
                    .thenComparingInt(i -> tieRank[i]);
            int[] expected = Arrays.stream(order).filter(i -> s[i] > Float.NEGATIVE_INFINITY).sorted(byScoreThenRank)
                    .limit(k).mapToInt(Integer::intValue).toArray();
            int[] out = new int[k];
            int m = RankingMetrics.topK(s, n, k, tieRank, out);
            assertThat(Arrays.copyOf(out, m)).as("trial %d", trial).containsExactly(expected);
        }
    }

    @Test
    void noveltyIsTheMeanLaplaceSmoothedSelfInformation() {
        int[] counts = {3, 0, 1};
        // U = 3 users: p_0 = (3+1)/(3+1) = 1 → 0 bits; p_2 = (1+1)/4 → 1 bit; mean over 2 = 0.5
        assertThat(RankingMetrics.novelty(new int[] {0, 2}, 2, counts, 3)).isCloseTo(0.5, within(1e-12));
        // an item nobody saw: p_1 = (0+1)/4 → 2 bits (finite)
        assertThat(RankingMetrics.novelty(new int[] {1, 0}, 1, counts, 3)).isCloseTo(2.0, within(1e-12));
        assertThat(RankingMetrics.novelty(new int[] {1}, 0, counts, 3)).isNaN();
    }

    @Test
    void giniOfExposure() {
        assertThat(RankingMetrics.gini(new long[] {5, 5, 5, 5})).isCloseTo(0.0, within(1e-12));
        // one item takes everything: sorted (0, 0, 0, 8): (2·4 − 5)·8 / (4 · 8) = 3/4 = (n − 1)/n
        assertThat(RankingMetrics.gini(new long[] {0, 8, 0, 0})).isCloseTo(0.75, within(1e-12));
        // (3, 1, 2) sorted (1, 2, 3), n = 3: Σ (2i − 4) e_(i) = −2·1 + 0·2 + 2·3 = 4; / (3 · 6) = 2/9
        long[] e = {3, 1, 2};
        assertThat(RankingMetrics.gini(e)).isCloseTo(2.0 / 9, within(1e-12));
        assertThat(e).containsExactly(3, 1, 2); // the caller's array is not sorted in place
        assertThat(RankingMetrics.gini(new long[] {0, 0, 0})).isNaN();
    }
}
