package org.recsysrl.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Interactions;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.MemoryNeed;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;

/**
 * What the baselines tell the report about themselves: the fitted models' names, the one-line
 * descriptions, every memory estimate by hand, EASE's grid and its popular-item cut, and the
 * shared base scores of the sparse scorers.
 */
class BaselineAccountsTest {
    private static final long GB = 1L << 30;

    /** {@code users} users with one interaction each, on item {@code u mod items}. */
    private static Interactions oneEach(int users, int items) {
        int[][] rows = new int[users][];
        for (int u = 0; u < users; u++) {
            rows[u] = new int[] {u % items};
        }
        return TinyLog.of(items, rows);
    }

    @Test
    void everyFittedModelCarriesItsFamilysNameAndEveryFamilyDescribesItself() {
        // ratings (IN_MEMORY layout) and times, so that every family is available
        InteractionLog log = TinyLog.random(3, 40, 12, 6, Layout.IN_MEMORY);
        FitContext ctx = new FitContext(1, 5, true, true);
        for (ModelFamily family : Baselines.all()) {
            assertThat(family.description()).as(family.name()).isNotBlank();
            assertThat(family.unavailableReason(ctx)).as(family.name()).isNull();
            Hyperparameters first = family.grid(log, ctx).get(0);
            Recommender model = family.prepare(log, ctx).fit(first);
            assertThat(model.name()).as(family.name()).isEqualTo(family.name());
            assertThat(model.itemCount()).as(family.name()).isEqualTo(12);
        }
    }

    @Test
    void memoryEstimatesByHand() {
        // 3 users, 5 items, 7 interactions (two of them repeats)
        Interactions train = TinyLog.of(5, new int[][] {{0, 1, 1}, {2}, {3, 4, 4}});
        FitContext threeThreads = new FitContext(3, 1, true, true);
        assertThat(BinaryMatrix.bytes(train)).isEqualTo(8L * 7 + 4L * (3 + 2 * 5 + 2));

        MemoryNeed popular = new MostPopular().memory(train, threeThreads);
        assertThat(popular.bytes()).isEqualTo(8L * 5);
        assertThat(popular.largest()).isEqualTo("the item counts");

        MemoryNeed recent = new RecentlyPopular().memory(train, threeThreads);
        assertThat(recent.bytes()).isEqualTo(8L * 7 + 12L * 5);
        assertThat(recent.largest()).isEqualTo("the 7 sorted interaction times");

        MemoryNeed markov = new MarkovChain().memory(train, threeThreads);
        assertThat(markov.bytes()).isEqualTo(16L * 7 + 16L * 5 + 4L * 5 * 3);
        assertThat(markov.largest()).isEqualTo("the 7 transitions and their distinct pairs");

        MemoryNeed rating = new RatingFactorization().memory(train, threeThreads);
        assertThat(rating.bytes()).isEqualTo(8L * 33 * (3 + 5) + 16L * 7);
        assertThat(rating.largest()).isEqualTo("the 32-dimensional factors of 3 users and 5 items");

        MemoryNeed knn = new ItemKnn().memory(train, threeThreads);
        // 5 items keep at most 4 neighbours each, for each of 3 shrinks plus one list while packing
        assertThat(knn.bytes()).isEqualTo(5L * 4 * 8 * 4 + BinaryMatrix.bytes(train) + 28L * 5 * 3);
        assertThat(knn.largest()).isEqualTo("the neighbour lists of 5 items × 200 for each of 3 shrinks");
    }

    @Test
    void itemKnnCountsAtMostTwoHundredNeighboursPerItem() {
        Interactions train = oneEach(10, 300);
        FitContext ctx = new FitContext(2, 1, false, false);
        assertThat(new ItemKnn().memory(train, ctx).bytes())
                .isEqualTo(300L * 200 * 8 * 4 + BinaryMatrix.bytes(train) + 28L * 300 * 2);
    }

    @Test
    void easeDualEstimateByHand() {
        assertThat(Ease.dualBytes(7, 11, 3)).isEqualTo(16L * 7 * 7 + 3 * 8L * (2 * 7 + 11) + 4L * 11);
        // 40 users with one item each of 100: 40 active users, fewer than the items, so the dual
        Interactions train = oneEach(40, 100);
        FitContext ctx = new FitContext(2, 1, false, false, 4 * GB);
        assertThat(Ease.usesDual(train)).isTrue();
        MemoryNeed need = new Ease().memory(train, ctx);
        assertThat(need.bytes()).isEqualTo(Ease.dualBytes(40, 100, 2) + BinaryMatrix.bytes(train));
        assertThat(need.largest()).isEqualTo("the 40 × 40 user-user matrices of the dual solve");
        // users without interactions are not active: 40 active of 45 is still the dual
        int[][] rows = new int[45][];
        for (int u = 0; u < 45; u++) {
            rows[u] = u < 40 ? new int[] {u} : new int[0];
        }
        Interactions sparse = TinyLog.of(41, rows);
        assertThat(Ease.usesDual(sparse)).isTrue();
        assertThat(new Ease().memory(sparse, ctx).largest()).contains("40 × 40");
    }

    @Test
    void easeRestrictedToThePopularItemsCountsBothMatricesAndTheScoringBuffers() {
        Interactions train = oneEach(3_000, 2_000);
        long matrix = BinaryMatrix.bytes(train);
        // a budget whose 70 % holds the matrix and the primal solve of 1,500 items
        long budget = (long) Math.ceil((matrix + 28.0 * 1_500 * 1_500) / 0.7) + 1000;
        FitContext ctx = new FitContext(2, 1, false, false, budget);
        assertThat(Ease.itemsWithin(train, ctx)).isEqualTo(1_500);
        MemoryNeed need = new Ease().memory(train, ctx);
        assertThat(need.bytes()).isEqualTo(Ease.primalBytes(1_500) + 2 * matrix + 4L * 2_000 * 2);
        assertThat(need.largest()).isEqualTo("the 1,500 × 1,500 item-item matrices of the most popular items");
        assertThat(new Ease().grid(train, ctx)).extracting(Hyperparameters::toString).containsExactly(
                "lambda=10 items=1500", "lambda=50 items=1500", "lambda=200 items=1500",
                "lambda=500 items=1500", "lambda=2000 items=1500");
    }

    @Test
    void easeKeepsFiveLambdasUpToFiveThousandItemsOrInTheDual() {
        FitContext ctx = new FitContext(2, 1, false, false, 64 * GB);
        assertThat(new Ease().grid(oneEach(6_000, 5_000), ctx)).hasSize(5);
        assertThat(new Ease().grid(oneEach(6_000, 5_001), ctx)).extracting(Hyperparameters::toString)
                .containsExactly("lambda=25", "lambda=100", "lambda=400");
        // more items than users: the dual's m × m solve is cheap whatever the catalog
        assertThat(new Ease().grid(oneEach(100, 6_000), ctx)).hasSize(5);
    }

    @Test
    void easesPopularItemsAreTheMostInteractedWithTiesToTheLowerIndexInIndexOrder() {
        // counts: item 0: 1, 1: 3, 2: 2, 3: 3, 4: 2, 5: 0
        Interactions train = TinyLog.of(6, new int[][] {{1, 1, 1}, {3, 3, 3}, {2, 2, 4}, {4, 0}});
        assertThat(Ease.mostPopular(train, 1)).containsExactly(1);
        assertThat(Ease.mostPopular(train, 2)).containsExactly(1, 3);
        assertThat(Ease.mostPopular(train, 3)).containsExactly(1, 2, 3);
        assertThat(Ease.mostPopular(train, 4)).containsExactly(1, 2, 3, 4);
        assertThat(Ease.mostPopular(train, 6)).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void sparseScorersShareTheirBaseScoresAndReportTheTouchedItems() {
        // transitions: 0→1, 1→2, 0→2 (u1), 0→1 (u2); counts 0: 3, 1: 2, 2: 2 of 7
        InteractionLog log = TinyLog.of(3, new int[][] {{0, 1, 2}, {0, 2}, {0, 1}});
        FitContext ctx = new FitContext(1, 1, false, false);
        Recommender markov = new MarkovChain().prepare(log, ctx).fit(Hyperparameters.of("beta", 0.5));
        Recommender.SparseScorer scorer = (Recommender.SparseScorer) markov.newScorer();
        assertThat(scorer.base()).containsExactly(0.5f * 3 / 7, 0.5f * 2 / 7, 0.5f * 2 / 7);
        float[] out = scorer.base().clone();
        int[] touched = new int[3];
        assertThat(scorer.scoreTouched(History.of(2, 0), out, touched)).isEqualTo(2);
        assertThat(touched).startsWith(1, 2);
        // P(1 | 0) = 2/3, P(2 | 0) = 1/3, added one transition at a time in float
        float third = 1f / 3;
        assertThat(out[1]).isEqualTo(scorer.base()[1] + third + third);
        assertThat(out[2]).isEqualTo(scorer.base()[2] + third);
        assertThat(scorer.scoreTouched(History.of(1), out, touched)).isEqualTo(1);
        assertThat(scorer.scoreTouched(History.of(2), out, touched)).isZero();

        Recommender popular = new MostPopular().prepare(log, ctx).fit(Hyperparameters.NONE);
        assertThat(((Recommender.SparseScorer) popular.newScorer()).base()).containsExactly(3f, 2f, 2f);
        Recommender.SparseScorer knn = (Recommender.SparseScorer) new ItemKnn().prepare(log, ctx)
                .fit(Hyperparameters.of("k", 5, "shrink", 0.0)).newScorer();
        assertThat(knn.base()).containsExactly(0f, 0f, 0f);
    }

    @Test
    void baselineSelectionByName() {
        List<ModelFamily> picked = Baselines.select(" ease , popular");
        assertThat(picked).extracting(ModelFamily::name).containsExactly("ease", "popular");
        assertThat(Baselines.names()).containsExactly("random", "popular", "recent-popular", "item-knn", "ease",
                "ials", "markov", "mf-rating");
    }
}
