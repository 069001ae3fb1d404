package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.recsysrl.env.ActionMasks;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.Rng;

/** The episode tally's means, the random policy's masking and the linear head's accessors, by hand. */
class SmallPiecesTest {
    @Test
    void theTallyAveragesTheEpisodesSinceTheLastDrainAndKeepsTheTotal() {
        EpisodeTally tally = new EpisodeTally();
        assertThat(tally.meanReturn()).isNaN();
        assertThat(tally.meanLength()).isNaN();
        tally.add(3.0, 4);
        tally.add(-1.0, 2);
        tally.add(4.0, 9);
        assertThat(tally.count()).isEqualTo(3);
        assertThat(tally.total()).isEqualTo(3);
        assertThat(tally.meanReturn()).isEqualTo(2.0); // (3 − 1 + 4) / 3
        assertThat(tally.meanLength()).isEqualTo(5.0); // (4 + 2 + 9) / 3
        tally.drain();
        assertThat(tally.count()).isZero();
        assertThat(tally.meanReturn()).isNaN();
        assertThat(tally.meanLength()).isNaN();
        tally.add(1.5, 7);
        assertThat(tally.meanReturn()).isEqualTo(1.5);
        assertThat(tally.meanLength()).isEqualTo(7.0);
        assertThat(tally.total()).isEqualTo(4);
        tally.restoreTotal(40);
        assertThat(tally.total()).isEqualTo(40);
    }

    @Test
    void theRandomPolicyPicksTheOnlyAllowedActionOfEachRow() {
        int actions = 70; // two mask words a row
        int words = ActionMasks.words(actions);
        int[] only = {66, 3, 41};
        long[] allowed = new long[3 * words];
        for (int b = 0; b < 3; b++) {
            ActionMasks.allow(allowed, b * words, only[b]);
        }
        RandomPolicy policy = new RandomPolicy(actions, new Rng(7));
        int[] out = new int[3];
        policy.act(new float[3], 3, allowed, out);
        assertThat(out).containsExactly(only);
        assertThat(policy.name()).isEqualTo("random");
    }

    @Test
    void theRandomPolicyWithoutAMaskDrawsAsTheUnmaskedForm() {
        int[] unmasked = new int[6];
        new RandomPolicy(1000, new Rng(11)).act(new float[6], 6, unmasked);
        int[] nullMask = new int[6];
        Arrays.fill(nullMask, -1);
        new RandomPolicy(1000, new Rng(11)).act(new float[6], 6, null, nullMask);
        assertThat(nullMask).containsExactly(unmasked);
        assertThat(Arrays.stream(nullMask).distinct().count()).isGreaterThan(1);
        assertThat(Arrays.stream(nullMask).allMatch(a -> a >= 0 && a < 1000)).isTrue();
    }

    @Test
    void theLinearHeadReportsItsShapeAndItsWeightRows() {
        ParameterStore store = new ParameterStore();
        LinearLogitsHead head = new LinearLogitsHead(store, "actor.logits", 2, 3);
        assertThat(head.featureSize()).isEqualTo(2);
        assertThat(head.actionCount()).isEqualTo(3);
        float[] p = store.data();
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 2; i++) {
                p[head.linear().weightIndex(o, i)] = 10 * o + i;
            }
        }
        assertThat(head.itemVectors()).containsExactly(0f, 1f, 10f, 11f, 20f, 21f);
    }
}
