package org.recsysrl.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.Recommender;

/** The Markov chain's scores, to the bit, against adding 1/n(a→·) once per observed transition. */
class MarkovChainTest {
    @Test
    void scoresEqualTheSumOverEveryTransitionToTheBit() {
        // 8 items and long sequences: many repeated transitions, the case the distinct pairs compress
        InteractionLog log = TinyLog.random(17, 40, 8, 30, Layout.LOG_CSV);
        for (double beta : new double[] {0.01, 10}) {
            Recommender m = new MarkovChain().prepare(log, new FitContext(1, 0, true, false))
                    .fit(Hyperparameters.of("beta", beta));
            int[] counts = log.itemCounts();
            float[] out = new float[8];
            for (int last = 0; last < 8; last++) {
                // the definition: popularity times beta, then 1/n(last→·) added once per transition last→b
                float[] expected = new float[8];
                for (int i = 0; i < 8; i++) {
                    expected[i] = (float) beta * (float) ((double) counts[i] / log.size());
                }
                int outgoing = 0;
                for (int u = 0; u < log.userCount(); u++) {
                    for (int p = log.start(u) + 1; p < log.end(u); p++) {
                        if (log.items()[p - 1] == last) {
                            outgoing++;
                        }
                    }
                }
                float w = 1f / outgoing;
                for (int u = 0; u < log.userCount(); u++) {
                    for (int p = log.start(u) + 1; p < log.end(u); p++) {
                        if (log.items()[p - 1] == last) {
                            expected[log.items()[p]] += w;
                        }
                    }
                }
                m.newScorer().score(History.of(3, last), out);
                assertThat(out).as("beta " + beta + ", last item " + last).containsExactly(expected);
            }
        }
    }
}
