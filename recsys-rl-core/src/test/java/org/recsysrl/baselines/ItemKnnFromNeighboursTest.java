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
import org.recsysrl.recommend.Recommender;

/** {@link ItemKnn#fromNeighbours}: neighbour lists computed elsewhere score as the fitted model does. */
class ItemKnnFromNeighboursTest {
    @Test
    void neighboursFromOutsideScoreAsTheFittedModel() {
        InteractionLog log = TinyLog.random(3, 60, 40, 12, Layout.LOG_CSV);
        Recommender fitted = new ItemKnn().prepare(log, new FitContext(1, 0, false, false))
                .fit(Hyperparameters.of("k", 5, "shrink", 10.0));
        ItemKnn.Neighbours nb = ItemKnn.neighbours(BinaryMatrix.of(log), 7, 10.0, 1);
        Recommender rebuilt = ItemKnn.fromNeighbours(nb.offsets(), nb.ids(), nb.sims(), 5);
        float[] a = new float[log.itemCount()];
        float[] b = new float[log.itemCount()];
        Recommender.Scorer sa = fitted.newScorer();
        Recommender.Scorer sb = rebuilt.newScorer();
        boolean nonZero = false;
        for (int u = 0; u < log.userCount(); u++) {
            History h = new History(u, log.items(), null, log.start(u), log.end(u));
            sa.score(h, a);
            sb.score(h, b);
            assertThat(b).containsExactly(a);
            for (float x : a) {
                nonZero |= x != 0f;
            }
        }
        assertThat(nonZero).isTrue();
        // only the first k = 5 of the 7 neighbours count: with k = 7 the scores differ somewhere
        Recommender wider = ItemKnn.fromNeighbours(nb.offsets(), nb.ids(), nb.sims(), 7);
        boolean differs = false;
        Recommender.Scorer sw = wider.newScorer();
        for (int u = 0; u < log.userCount() && !differs; u++) {
            History h = new History(u, log.items(), null, log.start(u), log.end(u));
            sa.score(h, a);
            sw.score(h, b);
            differs = !java.util.Arrays.equals(a, b);
        }
        assertThat(differs).isTrue();
    }

    @Test
    void inconsistentArraysAreRefused() {
        assertThatThrownBy(() -> ItemKnn.fromNeighbours(new int[] {0, 2}, new int[] {1}, new float[] {1f}, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ItemKnn.fromNeighbours(new int[] {0, 1}, new int[] {1}, new float[] {1f}, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
