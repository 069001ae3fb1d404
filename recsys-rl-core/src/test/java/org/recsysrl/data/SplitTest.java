package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

class SplitTest {

    /**
     * index: user item timestamp
     * 0: a i1 30 | 1: b i1 5 | 2: a i2 10 | 3: a i3 20 | 4: c i1 1 | 5: a i4 20 | 6: b i2 5 | 7: a i5 40 | 8: b i3 3
     * Chronologically (ties by index): a = 2, 3, 5, 0, 7;  b = 8, 1, 6;  c = 4.
     */
    static RatingDataset tiny() {
        return new RatingDataset.Builder()
                .add("a", "i1", 1, 30).add("b", "i1", 2, 5).add("a", "i2", 3, 10)
                .add("a", "i3", 4, 20).add("c", "i1", 5, 1).add("a", "i4", 1, 20)
                .add("b", "i2", 2, 5).add("a", "i5", 3, 40).add("b", "i3", 4, 3)
                .build();
    }

    private static int[] trainOf(Split s, int u) {
        return Arrays.copyOfRange(s.train(), s.trainOffsets()[u], s.trainOffsets()[u + 1]);
    }

    private static int[] testOf(Split s, int u) {
        return Arrays.copyOfRange(s.test(), s.testOffsets()[u], s.testOffsets()[u + 1]);
    }

    @Test
    void lastKHoldsOutTheLatestInteractionsBreakingTimestampTiesByFileOrder() {
        RatingDataset d = tiny();
        Split s = Split.chronological(d, SplitSpec.lastK(2, 3));
        assertThat(trainOf(s, 0)).containsExactly(2, 3, 5);
        assertThat(testOf(s, 0)).containsExactly(0, 7);
        assertThat(trainOf(s, 1)).containsExactly(8);
        assertThat(testOf(s, 1)).containsExactly(1, 6);
        assertThat(trainOf(s, 2)).containsExactly(4); // 1 interaction < 3: all training
        assertThat(testOf(s, 2)).isEmpty();
        assertThat(s.train()).containsExactly(2, 3, 5, 8, 4);
        assertThat(s.test()).containsExactly(0, 7, 1, 6);
        assertThat(s.trainSize()).isEqualTo(5);
        assertThat(s.testSize()).isEqualTo(4);
        assertThat(s.testUserCount()).isEqualTo(2);
        assertThat(d.itemIds().raw(s.lastTrainItem(0))).isEqualTo("i4");
        assertThat(d.itemIds().raw(s.lastTrainItem(1))).isEqualTo("i3");
    }

    @Test
    void usersBelowTheMinimumKeepEverythingInTraining() {
        Split s = Split.chronological(tiny(), SplitSpec.lastK(2, 4));
        assertThat(testOf(s, 0)).containsExactly(0, 7);
        assertThat(trainOf(s, 1)).containsExactly(8, 1, 6); // 3 < 4
        assertThat(testOf(s, 1)).isEmpty();
    }

    @Test
    void lastFractionRoundsHalfUpAndKeepsOneTrainingInteraction() {
        Split half = Split.chronological(tiny(), SplitSpec.lastFraction(0.5, 2));
        assertThat(trainOf(half, 0)).containsExactly(2, 3); // round(2.5) = 3 held out
        assertThat(testOf(half, 0)).containsExactly(5, 0, 7);
        assertThat(testOf(half, 1)).containsExactly(1, 6); // round(1.5) = 2
        assertThat(testOf(half, 2)).isEmpty();

        Split fifth = Split.chronological(tiny(), SplitSpec.lastFraction(0.2, 1));
        assertThat(testOf(fifth, 0)).containsExactly(7); // round(1.0)
        assertThat(testOf(fifth, 1)).containsExactly(6); // max(1, round(0.6))
        assertThat(testOf(fifth, 2)).isEmpty(); // a single interaction stays in training
    }

    @Test
    void holdoutCountTable() {
        SplitSpec k3 = SplitSpec.lastK(3, 5);
        assertThat(new int[] {k3.holdoutCount(1), k3.holdoutCount(4), k3.holdoutCount(5), k3.holdoutCount(100)})
                .containsExactly(0, 0, 3, 3);
        SplitSpec k9 = SplitSpec.lastK(9, 2);
        assertThat(k9.holdoutCount(4)).isEqualTo(3); // at least one stays in training
        SplitSpec f = SplitSpec.lastFraction(0.2, 1);
        assertThat(new int[] {f.holdoutCount(1), f.holdoutCount(2), f.holdoutCount(7), f.holdoutCount(8), f.holdoutCount(10)})
                .containsExactly(0, 1, 1, 2, 2); // 1.4 -> 1, 1.6 -> 2
    }

    @Test
    void largeRandomSplitIsAChronologicalPartition() {
        Rng rng = new Rng(11);
        RatingDataset.Builder b = new RatingDataset.Builder();
        for (int k = 0; k < 6000; k++) {
            b.add("u" + rng.nextInt(40), "i" + rng.nextInt(300), 1 + rng.nextInt(5), rng.nextInt(50)); // many ties
        }
        RatingDataset d = b.build();
        Split s = Split.chronological(d, SplitSpec.lastFraction(0.25, 10));
        boolean[] seen = new boolean[d.size()];
        for (int u = 0; u < d.userCount(); u++) {
            int[] all = new int[s.trainCount(u) + s.testCount(u)];
            int[] tr = trainOf(s, u);
            int[] te = testOf(s, u);
            System.arraycopy(tr, 0, all, 0, tr.length);
            System.arraycopy(te, 0, all, tr.length, te.length);
            assertThat(te.length).isEqualTo(SplitSpec.lastFraction(0.25, 10).holdoutCount(all.length));
            for (int k = 0; k < all.length; k++) {
                assertThat(d.user(all[k])).isEqualTo(u);
                assertThat(seen[all[k]]).isFalse();
                seen[all[k]] = true;
                if (k > 0) {
                    long t0 = d.timestamp(all[k - 1]);
                    long t1 = d.timestamp(all[k]);
                    assertThat(t0 < t1 || (t0 == t1 && all[k - 1] < all[k])).as("user %d position %d", u, k).isTrue();
                }
            }
        }
        for (boolean x : seen) {
            assertThat(x).isTrue();
        }
        // reproducible
        Split again = Split.chronological(d, SplitSpec.lastFraction(0.25, 10));
        assertThat(again.train()).isEqualTo(s.train());
        assertThat(again.test()).isEqualTo(s.test());
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("split.holdout_last", (Runnable) () -> new SplitSpec(-1, 0.2, 5)),
                Arguments.of("split.holdout_fraction", (Runnable) () -> new SplitSpec(0, 1.0, 5)),
                Arguments.of("split.holdout_fraction", (Runnable) () -> new SplitSpec(0, Double.NaN, 5)),
                Arguments.of("exactly one", (Runnable) () -> new SplitSpec(0, 0.0, 5)),
                Arguments.of("exactly one", (Runnable) () -> new SplitSpec(2, 0.2, 5)),
                Arguments.of("split.min_user_ratings", (Runnable) () -> new SplitSpec(2, 0.0, 0)),
                Arguments.of("split.holdout_last", (Runnable) () -> SplitSpec.lastK(0, 5)),
                Arguments.of("split.holdout_fraction", (Runnable) () -> SplitSpec.lastFraction(0, 5)));
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("badSpecs")
    void rejectsBadSpecsNamingTheSetting(String key, Runnable construct) {
        assertThatThrownBy(construct::run).isInstanceOf(UserInputException.class).hasMessageContaining(key);
    }

    @Test
    void specRoundTripsThroughMetadata() {
        for (SplitSpec s : new SplitSpec[] {SplitSpec.DEFAULT, SplitSpec.lastK(3, 7)}) {
            assertThat(SplitSpec.fromMetadata(s.toMetadata(), "x")).isEqualTo(s);
        }
        assertThat(SplitSpec.DEFAULT.describe()).isEqualTo("last 20.0% per user (users with >= 5 ratings)");
        assertThatThrownBy(() -> SplitSpec.fromMetadata(java.util.Map.of(), "ckpt"))
                .isInstanceOf(UserInputException.class).hasMessageContaining("ckpt");
    }
}
