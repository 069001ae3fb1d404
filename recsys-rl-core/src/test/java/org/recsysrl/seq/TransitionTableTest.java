package org.recsysrl.seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.recsysrl.baselines.MarkovChain;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.Recommender;

class TransitionTableTest {

    @Test
    void scoresBitForBitAsTheMarkovBaseline() {
        // a small catalog, so pairs repeat and the repeated float additions matter
        InteractionLog log = SequenceTestData.randomLog(60, 12, 7, 5);
        TransitionTable table = TransitionTable.of(log, 0.01f);
        Recommender chain = new MarkovChain().prepare(log, new FitContext(1, 0, false, false))
                .fit(Hyperparameters.of("beta", 0.01));
        assertThat(table.targets().length).isLessThan((int) log.totalCount() - log.userCount());
        Recommender.Scorer a = table.newScorer();
        Recommender.Scorer b = chain.newScorer();
        for (int last = -1; last < 7; last++) {
            History h = last < 0 ? History.of() : History.of(3, last);
            float[] x = new float[7];
            float[] y = new float[7];
            a.score(h, x);
            b.score(h, y);
            for (int i = 0; i < 7; i++) {
                assertThat(Float.floatToRawIntBits(x[i])).as("last %d item %d", last, i)
                        .isEqualTo(Float.floatToRawIntBits(y[i]));
            }
        }
    }

    @Test
    void countsDistinctPairsByHand() {
        // user 0: 0 1 0 1 ; user 1: 0 2 ; -> 0→1 twice, 1→0 once, 0→2 once
        InteractionLog log = new InteractionLog(new int[] {0, 4, 6}, new int[] {0, 1, 0, 1, 0, 2}, null, null,
                org.recsysrl.data.IdMap.of("a", "b"), org.recsysrl.data.IdMap.of("x", "y", "z"), null,
                new org.recsysrl.data.DataIdentity(org.recsysrl.data.Layout.IN_MEMORY, "<t>", "0", 0, 6, 2, 3));
        TransitionTable t = TransitionTable.of(log, 0.5f);
        assertThat(t.offsets()).containsExactly(0, 2, 3, 3);
        assertThat(t.targets()).containsExactly(1, 2, 0);
        assertThat(t.counts()).containsExactly(2, 1, 1);
        assertThat(t.popularity()).containsExactly(3f / 6, 2f / 6, 1f / 6);
        float[] out = new float[3];
        t.newScorer().score(History.of(0), out);
        assertThat(out[1]).isEqualTo(0.5f * (2f / 6) + 1f / 3 + 1f / 3);
        assertThat(out[2]).isEqualTo(0.5f * (1f / 6) + 1f / 3);
        int[][] expanded = t.expanded();
        assertThat(expanded[0]).containsExactly(0, 3, 4, 4);
        assertThat(expanded[1]).containsExactly(1, 1, 2, 0);
        TransitionTable back = TransitionTable.fromExpanded(expanded[0], expanded[1], t.popularity(), 0.5f);
        assertThat(back.offsets()).containsExactly(t.offsets());
        assertThat(back.targets()).containsExactly(t.targets());
        assertThat(back.counts()).containsExactly(t.counts());
        assertThatThrownBy(() -> new TransitionTable(new int[] {0, 1}, new int[] {5}, new int[] {1}, new float[] {1f}, 0f))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
