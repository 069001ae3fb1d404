package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.FixedRecommender;
import org.recsysrl.recommend.Recommender;

/** Full-ranking evaluation of a fixed-score model on a hand-made task. */
class FullRankingEvaluatorTest {


    // 6 items. Scores: 0 → 0.9, 3 → 0.7, 1 and 2 tie at 0.5, 4 → 0.1, 5 → −∞ (never recommended).
    // tieRank puts item 2 before item 1, so the unrestricted order is 0, 3, 2, 1, 4.
    private static final float[] SCORES = {0.9f, 0.5f, 0.5f, 0.7f, 0.1f, Float.NEGATIVE_INFINITY};
    private static final int[] TIE_RANK = {0, 2, 1, 3, 4, 5};
    private static final int[] TRAIN_COUNTS = {3, 1, 1, 2, 0, 0};

    /** Histories: u0 = [0], u1 = [3, 4], u2 = [0, 1, 2, 3]; targets u0 {1}, u1 {0, 2}, u2 {4}. */
    private static EvalTask task(boolean excludeKnown) {
        InteractionLog histories = TinyLog.of(6, new int[][] {{0}, {3, 4}, {0, 1, 2, 3}});
        return new EvalTask("test", histories, new int[] {0, 1, 2}, new int[] {0, 1, 3, 4}, new int[] {1, 0, 2, 4},
                excludeKnown, 0);
    }

    private static RankingSetup setup() {
        return new RankingSetup(new int[] {1, 3}, 3, TIE_RANK, TRAIN_COUNTS, 3, null, 0);
    }

    @Test
    void perUserMetricsNoveltyAndCatalogFiguresByHand() {
        RankingResult r = FullRankingEvaluator.evaluate(FixedRecommender.of(SCORES), task(true), setup(), 1, null);
        assertThat(r.metrics()).containsExactly("hr@1", "ndcg@1", "mrr@1", "recall@1", "precision@1", "hr@3",
                "ndcg@3", "mrr@3", "recall@3", "precision@3", "novelty@3");
        assertThat(r.users()).containsExactly(0, 1, 2);
        // u0: history {0} excluded → list 3, 2, 1 (2 before 1 by tie rank); target 1 at rank 3.
        //   @1: nothing. @3: HR 1, NDCG = (1/log2 4) / 1 = 0.5, MRR 1/3, recall 1, precision 1/3.
        //   novelty@3 = (−log2(3/4) − log2(2/4) − log2(2/4)) / 3 = (log2(4/3) + 2) / 3 (U = 3 users)
        double[] u0 = Arrays.copyOfRange(r.values(), 0, 11);
        assertThat(Arrays.copyOf(u0, 5)).containsExactly(0, 0, 0, 0, 0);
        assertThat(u0[5]).isEqualTo(1.0);
        assertThat(u0[6]).isCloseTo(0.5, within(1e-12));
        assertThat(u0[7]).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(u0[8]).isEqualTo(1.0);
        assertThat(u0[9]).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(u0[10]).isCloseTo((Math.log(4.0 / 3) / Math.log(2) + 2) / 3, within(1e-12));
        // u1: history {3, 4} excluded → list 0, 2, 1; targets {0, 2} at ranks 1 and 2.
        //   @1: HR 1, NDCG 1 (ideal over min(1, 2) = 1), MRR 1, recall 1/2, precision 1.
        //   @3: DCG = 1 + 1/log2(3) = IDCG over 2 → NDCG 1; MRR 1; recall 1; precision 2/3.
        //   novelty@3 = (0 + 1 + 1) / 3 = 2/3
        double[] u1 = Arrays.copyOfRange(r.values(), 11, 22);
        assertThat(u1[0]).isEqualTo(1.0);
        assertThat(u1[1]).isCloseTo(1.0, within(1e-12));
        assertThat(u1[2]).isEqualTo(1.0);
        assertThat(u1[3]).isCloseTo(0.5, within(1e-12));
        assertThat(u1[4]).isEqualTo(1.0);
        assertThat(u1[6]).isCloseTo(1.0, within(1e-12));
        assertThat(u1[8]).isEqualTo(1.0);
        assertThat(u1[9]).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(u1[10]).isCloseTo(2.0 / 3, within(1e-12));
        // u2: history {0, 1, 2, 3} excluded and 5 is −∞ → the list is just [4], shorter than K = 3;
        //   target 4 at rank 1: @1 all 1; @3 HR 1, NDCG 1, MRR 1, recall 1, precision 1/3.
        //   novelty@3 over the one entry: −log2((0 + 1)/4) = 2
        double[] u2 = Arrays.copyOfRange(r.values(), 22, 33);
        assertThat(Arrays.copyOf(u2, 5)).containsExactly(1, 1, 1, 1, 1);
        assertThat(u2[9]).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(u2[10]).isCloseTo(2.0, within(1e-12));
        // means over users: hr@3 = 1, mrr@3 = (1/3 + 1 + 1) / 3
        assertThat(r.mean("hr@3")).isEqualTo(1.0);
        assertThat(r.mean("mrr@3")).isCloseTo((1.0 / 3 + 2) / 3, within(1e-12));

        // exposure @1: items 3, 0, 4 once each → coverage 3/6; sorted (0,0,0,1,1,1), n = 6:
        //   Σ (2i − 7) e_(i) = 1 + 3 + 5 = 9, / (6 · 3) = 1/2
        assertThat(r.catalog().get("coverage@1")).isCloseTo(0.5, within(1e-12));
        assertThat(r.catalog().get("gini@1")).isCloseTo(0.5, within(1e-12));
        // exposure @3: lists {3,2,1}, {0,2,1}, {4}: item 0:1, 1:2, 2:2, 3:1, 4:1, 5:0 → coverage 5/6;
        //   sorted (0,1,1,1,2,2): −5·0 − 3·1 − 1·1 + 1·1 + 3·2 + 5·2 = 13, / (6 · 7) = 13/42
        assertThat(r.catalog().get("coverage@3")).isCloseTo(5.0 / 6, within(1e-12));
        assertThat(r.catalog().get("gini@3")).isCloseTo(13.0 / 42, within(1e-12));
    }

    @Test
    void withoutExclusionHistoryItemsCompeteForTheList() {
        RankingResult r = FullRankingEvaluator.evaluate(FixedRecommender.of(SCORES), task(false), setup(), 1, null);
        // u0: list 0, 3, 2 (item 0 of the history is no longer excluded) → target 1 is at rank 4: all 0 @3
        assertThat(Arrays.copyOfRange(r.values(), 5, 10)).containsExactly(0, 0, 0, 0, 0);
        // u2: list 0, 3, 2 as well → target 4 missed
        assertThat(r.column("hr@3")).containsExactly(0.0, 1.0, 0.0);
        // every list is a prefix of 0, 3, 2: coverage@3 = 3/6
        assertThat(r.catalog().get("coverage@3")).isCloseTo(0.5, within(1e-12));
    }

    /** Scores that depend on the history (its last item and length), with many ties. */
    private static Recommender historyDependent(int items) {
        return new Recommender() {
            @Override
            public String name() {
                return "hashy";
            }

            @Override
            public int itemCount() {
                return items;
            }

            @Override
            public Scorer newScorer() {
                return (History h, float[] out) -> {
                    for (int i = 0; i < items; i++) {
                        out[i] = (i * 31 + h.lastItem() * 17 + h.length()) % 7;
                    }
                };
            }
        };
    }

    @Test
    void theResultDoesNotDependOnTheThreadCount() {
        // 400 users: 7 chunks of 64, so 3 threads really share the work
        InteractionLog log = TinyLog.random(5, 400, 50, 12, Layout.LOG_CSV);
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        EvalTask task = split.testTask(true);
        assertThat(task.size()).isGreaterThan(200);
        RankingSetup setup = new RankingSetup(new int[] {1, 5, 10}, 5, RankingSetup.randomTieRank(50, 3),
                split.trainPart().itemCounts(), 400, null, 0);
        RankingResult one = FullRankingEvaluator.evaluate(historyDependent(50), task, setup, 1, null);
        RankingResult three = FullRankingEvaluator.evaluate(historyDependent(50), task, setup, 3, null);
        assertThat(three.values()).containsExactly(one.values());
        assertThat(three.catalog()).isEqualTo(one.catalog());
        assertThat(three).isEqualTo(one);
        // and the values are not trivial: some hits, some misses
        assertThat(one.mean("hr@10")).isBetween(0.05, 0.95);
    }
}
