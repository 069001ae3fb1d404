package org.recsysrl.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Interactions;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.MemoryNeed;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.util.Rng;

/** The baselines' memory estimates, hand-computed, and EASE restricting itself to the popular items. */
class MemoryEstimateTest {
    private static final long GB = 1L << 30;

    /** {@code users} users with one interaction each, on item {@code u mod items}: sizes without data. */
    private static Interactions oneEach(int users, int items) {
        int[][] rows = new int[users][];
        for (int u = 0; u < users; u++) {
            rows[u] = new int[] {u % items};
        }
        return TinyLog.of(items, rows);
    }

    private static FitContext budget(long bytes) {
        return new FitContext(2, 1, false, false, bytes);
    }

    @Test
    void easeOnTheWholeCatalogNeedsTwentyEightBytesPerItemPair() {
        Interactions train = oneEach(70_000, 59_000); // more users than items: the primal solve
        // B fits nowhere: 28 × 59,000² ≈ 90.8 GB, more than a 2³¹-entry array anyway, so the whole catalog never fits
        assertThat(Ease.primalBytes(59_000)).isEqualTo(28L * 59_000 * 59_000);
        MemoryNeed big = new Ease().memory(train, budget(Long.MAX_VALUE / 4));
        // budget huge but n² > 2³¹: restricted to the 46,340 items a Java array can hold
        assertThat(Ease.itemsWithin(train, budget(Long.MAX_VALUE / 4))).isEqualTo(Ease.MAX_PRIMAL_ITEMS);
        assertThat(big.largest()).contains("46,340 × 46,340").contains("most popular");
        // 4 GB: 0.7 × 4 GB minus the binary matrix, over 28 bytes per pair
        long matrix = BinaryMatrix.bytes(train);
        int expected = (int) Math.sqrt((0.7 * 4 * GB - matrix) / 28.0);
        assertThat(Ease.itemsWithin(train, budget(4 * GB))).isEqualTo(expected).isBetween(10_000, 10_400);
        assertThat(new Ease().grid(train, budget(4 * GB)))
                .allSatisfy(hp -> assertThat(hp.getInt("items")).isEqualTo(expected));
    }

    @Test
    void easeThatFitsKeepsTheWholeCatalogAndItsGrid() {
        Interactions train = oneEach(3_000, 2_000);
        assertThat(Ease.itemsWithin(train, budget(4 * GB))).isEqualTo(2_000);
        MemoryNeed need = new Ease().memory(train, budget(4 * GB));
        assertThat(need.bytes()).isEqualTo(28L * 2_000 * 2_000 + BinaryMatrix.bytes(train));
        assertThat(new Ease().grid(train, budget(4 * GB))).extracting(Hyperparameters::toString)
                .containsExactly("lambda=10", "lambda=50", "lambda=200", "lambda=500", "lambda=2000");
    }

    @Test
    void easeBelowAThousandItemsOfBudgetAsksForTheWholeCatalog() {
        Interactions train = oneEach(3_000, 2_000);
        // 20 MB: sqrt(0.7 × 20 MB / 28) ≈ 724 items < 1,000: the estimate is the whole solve, so it is refused
        assertThat(Ease.itemsWithin(train, budget(20L << 20))).isLessThan(Ease.MIN_ITEMS);
        assertThat(new Ease().memory(train, budget(20L << 20)).bytes()).isGreaterThan(28L * 2_000 * 2_000);
    }

    @Test
    void itemKnnCountsItsNeighbourListsAndBuffers() {
        Interactions train = oneEach(1_000, 500);
        MemoryNeed need = new ItemKnn().memory(train, budget(GB));
        assertThat(need.bytes()).isEqualTo(500L * 200 * 8 * 4 + BinaryMatrix.bytes(train) + 28L * 500 * 2);
        assertThat(need.largest()).contains("500 items");
    }

    @Test
    void implicitAlsCountsItsFactors() {
        Interactions train = oneEach(1_000, 500);
        MemoryNeed need = new ImplicitAls().memory(train, budget(GB));
        long factors = 4L * 64 * (1_000 + 2 * 500);
        assertThat(need.bytes()).isEqualTo(factors + 16L * 1_000 + 8L * 1_500 + 2 * (8L * 64 * 64 + 4L * 500));
    }

    @Test
    void restrictedEaseRanksOnlyThePopularItemsAndEqualsEaseOnThemAlone() {
        // 1,500 items, the first 1,100 (by popularity: low ids are drawn more) are kept under this budget
        Rng rng = new Rng(3);
        int users = 2_500;
        int items = 1_500;
        int[][] rows = new int[users][];
        for (int u = 0; u < users; u++) {
            rows[u] = new int[6];
            for (int k = 0; k < 6; k++) {
                double x = rng.nextDouble();
                rows[u][k] = (int) (x * x * items);
            }
        }
        InteractionLog log = TinyLog.of(items, rows);
        long budgetBytes = (long) ((28.0 * 1_100 * 1_100 + BinaryMatrix.bytes(log)) / 0.7) + 1;
        FitContext ctx = budget(budgetBytes);
        assertThat(Ease.itemsWithin(log, ctx)).isEqualTo(1_100);
        int[] keep = Ease.mostPopular(log, 1_100);
        Hyperparameters hp = new Ease().grid(log, ctx).get(1);
        assertThat(hp.toString()).isEqualTo("lambda=50 items=1100");
        Recommender restricted = new Ease().prepare(log, ctx).fit(hp);

        // the same interactions with the other items removed and the kept ones renumbered
        int[] newOf = new int[items];
        java.util.Arrays.fill(newOf, -1);
        for (int j = 0; j < keep.length; j++) {
            newOf[keep[j]] = j;
        }
        int[][] kept = new int[users][];
        for (int u = 0; u < users; u++) {
            kept[u] = java.util.Arrays.stream(rows[u]).map(i -> newOf[i]).filter(j -> j >= 0).toArray();
        }
        Recommender alone = new Ease().prepare(TinyLog.of(keep.length, kept), budget(4 * GB))
                .fit(Hyperparameters.of("lambda", 50));

        float[] a = new float[items];
        float[] b = new float[keep.length];
        for (int[] history : List.of(new int[] {0, 5, 1_400}, new int[] {3}, new int[] {1_499})) {
            restricted.newScorer().score(History.of(history), a);
            int[] mapped = java.util.Arrays.stream(history).map(i -> newOf[i]).filter(j -> j >= 0).toArray();
            alone.newScorer().score(History.of(mapped), b);
            for (int i = 0; i < items; i++) {
                if (newOf[i] < 0) {
                    assertThat(a[i]).isEqualTo(Float.NEGATIVE_INFINITY);
                } else {
                    assertThat(a[i]).isCloseTo(b[newOf[i]], within(1e-5f));
                }
            }
        }
    }
}
