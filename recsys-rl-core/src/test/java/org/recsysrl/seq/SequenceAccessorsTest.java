package org.recsysrl.seq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.recommend.FixedRecommender;
import org.recsysrl.util.Rng;

/** What the sequence classes report about themselves: names, sizes, copies of their tables. */
class SequenceAccessorsTest {

    @Test
    void theMarkovPiecesReportTheirSettings() {
        TransitionTable table = TransitionTable.of(SequenceTestData.logOf(4, new int[] {0, 1, 2}), 0.25f);
        assertThat(table.name()).isEqualTo("markov");
        assertThat(table.itemCount()).isEqualTo(4);
        assertThat(table.backoff()).isEqualTo(0.25f);
        MarkovMixture mix = new MarkovMixture(FixedRecommender.of(0f, 1f, 2f, 3f), table, 0.3, "net+markov");
        assertThat(mix.alpha()).isEqualTo(0.3);
        assertThat(mix.name()).isEqualTo("net+markov");
        assertThat(mix.itemCount()).isEqualTo(4);
    }

    @Test
    void aModelReportsItsItemVectorsAndWorkspaceShape() {
        SequenceModel m = new SequenceModel(new SequenceSpec(EncoderKind.MEAN, 3, 4, 2, 1, 1, 0.0, true, false));
        m.initialize(new Rng(1));
        float[] vectors = m.itemVectors();
        float[] p = m.store().data();
        int from = m.itemEmbedding().offset();
        assertThat(vectors).hasSize(6);
        for (int i = 0; i < 6; i++) {
            assertThat(vectors[i]).isEqualTo(p[from + i]);
        }
        vectors[0] += 1;
        assertThat(p[from]).isNotEqualTo(vectors[0]); // a copy
        SequenceModel.Workspace ws = m.newWorkspace(2);
        ws.ids()[0] = 1;
        ws.ids()[1] = 2;
        ws.ids()[3] = 0;
        ws.firstValid()[0] = 0;
        ws.firstValid()[1] = 1;
        m.encode(ws, 2, 2, false, null);
        assertThat(ws.batch()).isEqualTo(2);
        assertThat(ws.length()).isEqualTo(2);
        assertThat(new SequenceRecommender(m).name()).isNotEmpty();
    }

    @Test
    void aTrainerReportsItsWindowsAndBestValue() {
        SequenceModel m = new SequenceModel(new SequenceSpec(EncoderKind.MEAN, 5, 4, 2, 1, 1, 0.0, true, false));
        m.initialize(new Rng(1));
        SequenceTrainer t = new SequenceTrainer(m, SequenceTestData.logOf(5, new int[] {0, 1, 2}, new int[] {3, 4}),
                SequenceTrainer.Settings.builder().epochs(1).batchSize(2).lr(1e-2).maxGradNorm(0).patience(1).seed(1)
                        .threads(1).build());
        assertThat(t.windows().size()).isEqualTo(2);
        assertThat(t.windows().targetCount()).isEqualTo(3);
        assertThat(t.stopped()).isFalse();
        SequenceTrainer.Result r = t.run(rec -> 0.75, stats -> { });
        assertThat(t.bestValue()).isEqualTo(0.75);
        assertThat(t.stopped()).isTrue();
        assertThat(r.bestEpoch()).isEqualTo(1);
    }
}
