package org.recsysrl.seq;

import org.recsysrl.nn.EncoderKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.util.NonFiniteException;
import org.recsysrl.util.Rng;

/** A NaN in a sequence model stops training in its first epoch, naming the epoch and the settings. */
class SequenceDivergenceTest {
    @Test
    void aNanWeightStopsTrainingWithTheEpochAndTheSettings() {
        InteractionLog log = SequenceTestData.randomLog(20, 8, 15, 3);
        SequenceSpec spec = new SequenceSpec(EncoderKind.MEAN, 15, 6, 8, 1, 1, 0.0, true, false);
        SequenceModel m = new SequenceModel(spec);
        m.initialize(new Rng(1));
        m.store().data()[m.outputBiasOffset() + 3] = Float.NaN; // one item's output bias: every softmax sees it
        SequenceTrainer.Settings s = SequenceTrainer.Settings.builder().epochs(3).batchSize(8).lr(1e-2)
                .maxGradNorm(5).patience(2).seed(1).threads(1).build();
        SequenceTrainer t = new SequenceTrainer(m, log, s);
        float[] before = m.store().data().clone();
        assertThatThrownBy(() -> t.run(r -> 0.0, new SequenceTrainer.Listener() {
            @Override
            public void epoch(SequenceTrainer.EpochStats e) {
            }
        })).isInstanceOf(NonFiniteException.class)
                .hasMessageStartingWith("training diverged in epoch 1: a logit of the softmax is NaN; lower seq.lr (now 0.01)");
        assertThat(Arrays.equals(m.store().data(), before)).as("no step was taken").isTrue();
    }
}
