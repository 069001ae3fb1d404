package org.recsysrl.seq;

import org.recsysrl.nn.EncoderKind;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.util.Rng;

class EarlyStoppingTest {
    private static SequenceTrainer.Result train(int patience, int minEpochs) {
        InteractionLog log = SequenceTestData.successorLog(10, 6, 12, 1);
        SequenceModel m = new SequenceModel(new SequenceSpec(EncoderKind.MEAN, 12, 5, 4, 1, 1, 0.0, true,
                false));
        m.initialize(new Rng(2));
        SequenceTrainer t = new SequenceTrainer(m, log, SequenceTrainer.Settings.builder()
                .epochs(12).batchSize(4).lr(1e-3).maxGradNorm(5).patience(patience).minEpochs(minEpochs).seed(3)
                .threads(1).build());
        // a validation metric stuck on a plateau: it never beats the first epoch
        return t.run(model -> 0.25, stats -> { });
    }

    @Test
    void patienceEndsARunOnAPlateau() {
        SequenceTrainer.Result r = train(2, 0);
        assertThat(r.history()).hasSize(3); // epoch 1 is best, then 2 epochs without improvement
        assertThat(r.bestEpoch()).isEqualTo(1);
    }

    @Test
    void butNeverBeforeTheMinimumEpoch() {
        assertThat(train(2, 7).history()).hasSize(7);
        assertThat(train(2, 12).history()).hasSize(12);
    }

    private static SequenceModel model() {
        SequenceModel m = new SequenceModel(new SequenceSpec(EncoderKind.ATTENTION, 12, 5, 4, 1, 1, 0.1, true,
                false));
        m.initialize(new Rng(2));
        return m;
    }

    private static SequenceTrainer trainer(SequenceModel m) {
        return new SequenceTrainer(m, SequenceTestData.successorLog(10, 6, 12, 1), SequenceTrainer.Settings.builder()
                .epochs(9).batchSize(4).lr(1e-2).maxGradNorm(5).patience(3).seed(3).threads(1).build());
    }

    @Test
    void aRunAdvancedInStepsIsTheRunEpochForEpoch() {
        // a validation value that moves with the parameters, so that the best epoch is a real choice
        SequenceTrainer.Validator v = r -> {
            float[] s = new float[12];
            r.newScorer().score(org.recsysrl.recommend.History.of(3, 4), s);
            return s[5] - s[0];
        };
        SequenceModel whole = model();
        SequenceTrainer.Result a = trainer(whole).run(v, e -> { });
        SequenceModel stepped = model();
        SequenceTrainer t = trainer(stepped);
        assertThat(t.advance(2, false, v, e -> { })).isEqualTo(2);
        assertThat(t.advance(2, true, v, e -> { })).isZero();
        assertThat(t.epochsDone()).isEqualTo(2);
        t.advance(5, true, v, e -> { });
        t.advance(100, true, v, e -> { });
        assertThat(t.stopped()).isTrue();
        SequenceTrainer.Result b = t.finish();
        assertThat(b.history()).hasSize(a.history().size());
        assertThat(b.bestEpoch()).isEqualTo(a.bestEpoch());
        for (int e = 0; e < a.history().size(); e++) {
            assertThat(b.history().get(e).validation()).isEqualTo(a.history().get(e).validation());
            assertThat(b.history().get(e).loss()).isEqualTo(a.history().get(e).loss());
        }
        assertThat(stepped.store().data()).containsExactly(whole.store().data());
    }
}
