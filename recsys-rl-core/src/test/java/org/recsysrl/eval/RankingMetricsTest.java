package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Each ranking metric against values computed by hand. */
class RankingMetricsTest {
    private static final double L3 = Math.log(3) / Math.log(2); // log2(3)

    @Test
    void ndcgRecallAndHitRate() {
        int[] list = {3, 7, 1, 9};
        int[] relevant = {1, 2, 3};
        // hits at ranks 1 and 3: DCG = 1/log2(2) + 1/log2(4) = 1.5;
        // IDCG over min(4, 3) = 3 ranks: 1 + 1/log2(3) + 1/2
        assertThat(RankingMetrics.ndcg(list, 4, 4, relevant)).isCloseTo(1.5 / (1.5 + 1 / L3), within(1e-12));
        assertThat(RankingMetrics.recall(list, 4, relevant)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(RankingMetrics.hitRate(list, 4, relevant)).isEqualTo(1.0);
        // K = 2: list [3, 7], DCG = 1, IDCG = 1 + 1/log2(3)
        assertThat(RankingMetrics.ndcg(list, 2, 2, relevant)).isCloseTo(1 / (1 + 1 / L3), within(1e-12));
        assertThat(RankingMetrics.recall(list, 2, relevant)).isCloseTo(1.0 / 3, within(1e-12));
        // a perfect list scores 1; a list without hits 0
        assertThat(RankingMetrics.ndcg(new int[] {2, 1, 3}, 3, 3, relevant)).isCloseTo(1.0, within(1e-12));
        assertThat(RankingMetrics.ndcg(new int[] {5, 6}, 2, 2, relevant)).isZero();
        assertThat(RankingMetrics.hitRate(new int[] {5, 6}, 2, relevant)).isZero();
        // one relevant item at rank 2 of K = 10: 1/log2(3) / 1
        assertThat(RankingMetrics.ndcg(new int[] {0, 4}, 2, 10, new int[] {4})).isCloseTo(1 / L3, within(1e-12));
    }

    @Test
    void intraListDiversityIsTheMeanPairwiseCosineDistance() {
        float[] e = {1, 0, 0, 1, 1, 1, -1, 0, 0, 0}; // items 0..4 in 2-d; item 4 is the zero vector
        // pairs of [0, 1, 3]: (0,1) cos 0 → 1; (0,3) cos −1 → 2; (1,3) cos 0 → 1; mean 4/3
        assertThat(RankingMetrics.intraListDiversity(new int[] {0, 1, 3}, 3, e, 2)).isCloseTo(4.0 / 3, within(1e-12));
        assertThat(RankingMetrics.intraListDiversity(new int[] {0, 2}, 2, e, 2))
                .isCloseTo(1 - 1 / Math.sqrt(2), within(1e-7));
        assertThat(RankingMetrics.intraListDiversity(new int[] {0, 4}, 2, e, 2)).isEqualTo(1.0);
        assertThat(RankingMetrics.intraListDiversity(new int[] {0}, 1, e, 2)).isNaN();
    }

    @Test
    void topKTakesTheLargestScoresSkippingMaskedOnesWithTiesToTheLowerIndex() {
        float[] s = {0.5f, Float.NEGATIVE_INFINITY, 2f, 2f, 1f, Float.NaN, 0.5f};
        int[] out = new int[10];
        assertThat(RankingMetrics.topK(s, s.length, 3, out)).isEqualTo(3);
        assertThat(out).startsWith(2, 3, 4);
        assertThat(RankingMetrics.topK(s, s.length, 10, out)).isEqualTo(5);
        assertThat(out).startsWith(2, 3, 4, 0, 6);
    }
}
