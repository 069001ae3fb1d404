package org.recsysrl.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;

/**
 * A scorer is reused across users by every evaluation thread: what it scored before must not leak
 * into the next history (stamps, buffers cleared). Also item-kNN's neighbour order on equal
 * similarities and its reuse of neighbour lists across fits.
 */
class ScorerReuseAndTiesTest {

    private static void assertReuseLeaksNothing(ModelFamily family, InteractionLog log, Hyperparameters hp) {
        Recommender model = family.prepare(log, new FitContext(1, 2, true, false)).fit(hp);
        int n = model.itemCount();
        History[] histories = {History.of(1, 2, 2, 5), History.of(3), History.of(4, 1, 4, 0, 6), History.of(2)};
        Recommender.Scorer reused = model.newScorer();
        for (History h : histories) {
            float[] again = new float[n];
            java.util.Arrays.fill(again, 7f); // whatever the caller's array held
            reused.score(h, again);
            float[] fresh = new float[n];
            model.newScorer().score(h, fresh);
            assertThat(again).as("%s after other histories: %s", family.name(), h).containsExactly(fresh);
        }
    }

    @Test
    void easePrimalScorersLeakNothingBetweenHistories() {
        InteractionLog log = TinyLog.random(12, 60, 10, 6, Layout.LOG_CSV); // more users than items
        assertThat(Ease.usesDual(log)).isFalse();
        assertReuseLeaksNothing(new Ease(), log, Hyperparameters.of("lambda", 5.0));
    }

    @Test
    void easeDualScorersLeakNothingBetweenHistories() {
        InteractionLog log = TinyLog.random(13, 8, 30, 9, Layout.LOG_CSV); // more items than users
        assertThat(Ease.usesDual(log)).isTrue();
        assertReuseLeaksNothing(new Ease(), log, Hyperparameters.of("lambda", 5.0));
    }

    @Test
    void itemKnnAndMarkovScorersLeakNothingBetweenHistories() {
        InteractionLog log = TinyLog.random(14, 40, 10, 7, Layout.LOG_CSV);
        assertReuseLeaksNothing(new ItemKnn(), log, Hyperparameters.of("k", 3, "shrink", 10.0));
        assertReuseLeaksNothing(new MarkovChain(), log, Hyperparameters.of("beta", 0.1));
        assertReuseLeaksNothing(new ImplicitAls(), log,
                Hyperparameters.of("alpha", 20, "lambda", 1, "dim", 4, "sweeps", 2));
    }

    @Test
    void equalSimilaritiesKeepTheLowerIndexFirstWhateverTheOrderTheyAreMet() {
        // item 0 shares one user with each of items 3, 2, 1 (met in that order: users ascending);
        // items 1..3 each have one user, so all three similarities are 1/sqrt(3); item 4 shares two users
        InteractionLog log = TinyLog.of(5, new int[][] {{0, 3}, {0, 2}, {0, 1}, {4, 0}, {4, 0}});
        BinaryMatrix x = BinaryMatrix.of(log);
        ItemKnn.Neighbours two = ItemKnn.neighbours(x, 2, 0.0, 1);
        // item 0: c_0 = 5; item 4 (c 2, shared 2): 2/sqrt(10); items 1..3: 1/sqrt(5)
        assertThat(java.util.Arrays.copyOfRange(two.ids(), two.offsets()[0], two.offsets()[1])).containsExactly(4, 1);
        ItemKnn.Neighbours three = ItemKnn.neighbours(x, 3, 0.0, 1);
        assertThat(java.util.Arrays.copyOfRange(three.ids(), three.offsets()[0], three.offsets()[1]))
                .containsExactly(4, 1, 2);
        assertThat(three.sims()[three.offsets()[0] + 1]).isEqualTo((float) (1 / Math.sqrt(5)));
        ItemKnn.Neighbours all = ItemKnn.neighbours(x, 4, 0.0, 1);
        assertThat(java.util.Arrays.copyOfRange(all.ids(), all.offsets()[0], all.offsets()[1]))
                .containsExactly(4, 1, 2, 3);
        // a shrink lowers every similarity but keeps the order here
        ItemKnn.Neighbours shrunk = ItemKnn.neighbours(x, 1, 1.0, 1);
        assertThat(shrunk.sims()[shrunk.offsets()[0]]).isEqualTo((float) (2 / (Math.sqrt(10) + 1)));
    }

    @Test
    void fitsShareTheNeighbourListsTheyCanAndRecomputeTheOthers() {
        InteractionLog log = TinyLog.random(15, 30, 12, 6, Layout.LOG_CSV);
        ModelFamily.Fitter fitter = new ItemKnn().prepare(log, new FitContext(1, 0, false, false));
        ItemKnn.Neighbours shrinkZero = neighbours(fitter, 5, 0.0);
        assertThat(neighbours(fitter, 200, 0.0)).isSameAs(shrinkZero); // the grid's largest k: the same lists
        assertThat(neighbours(fitter, 5, 10.0)).isNotSameAs(shrinkZero);
        ItemKnn.Neighbours odd = neighbours(fitter, 5, 3.0);
        assertThat(neighbours(fitter, 200, 3.0)).isSameAs(odd);
        ItemKnn.Neighbours larger = neighbours(fitter, 201, 3.0);
        assertThat(larger).isNotSameAs(odd);
        assertThat(neighbours(fitter, 201, 3.0)).isSameAs(larger);
        assertThat(neighbours(fitter, 201, 0.0)).isNotSameAs(shrinkZero).isNotSameAs(larger);
    }

    private static ItemKnn.Neighbours neighbours(ModelFamily.Fitter fitter, int k, double shrink) {
        return ((ItemKnn.Model) fitter.fit(Hyperparameters.of("k", k, "shrink", shrink))).neighbours();
    }

    @Test
    void givenNeighbourListsMayBeEmptyAndKMayBeOne() {
        Recommender none = ItemKnn.fromNeighbours(new int[] {0}, new int[0], new float[0], 1);
        assertThat(none.itemCount()).isZero();
        Recommender one = ItemKnn.fromNeighbours(new int[] {0, 2, 2}, new int[] {1, 0}, new float[] {0.5f, 0.25f}, 1);
        float[] out = new float[2];
        one.newScorer().score(History.of(0), out);
        assertThat(out).containsExactly(0f, 0.5f);
        assertThatThrownBy(() -> ItemKnn.fromNeighbours(new int[] {0}, new int[0], new float[0], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ItemKnn.fromNeighbours(new int[0], new int[0], new float[0], 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
