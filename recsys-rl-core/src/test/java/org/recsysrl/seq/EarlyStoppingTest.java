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
        SequenceTrainer t = new SequenceTrainer(m, log, new SequenceTrainer.Settings(12, 4, 1e-3, 5, patience, false, 0,
                false, 0, 0, 0.5, 0.1, 3, 1, false, minEpochs));
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
}
