package org.recsysrl.seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.util.Rng;

/** An epoch's reported losses are per-target means of its batches; batches group windows of like length. */
class TrainerEpochTest {

    private static SequenceModel model(long seed) {
        SequenceModel m = new SequenceModel(new SequenceSpec(EncoderKind.MEAN, 7, 5, 4, 1, 1, 0.0, true, true));
        m.initialize(new Rng(seed));
        return m;
    }

    private static SequenceTrainer trainer(SequenceModel m, InteractionLog log, int batchSize) {
        return new SequenceTrainer(m, log, SequenceTrainer.Settings.builder().epochs(3).batchSize(batchSize).lr(1e-2)
                .maxGradNorm(0).patience(1).offlineActorCritic(0.5, 0, 0.9, 0.1).seed(2).threads(1).build());
    }

    @Test
    void anEpochOfOneBatchReportsItsLossesPerTarget() {
        InteractionLog log = SequenceTestData.randomLog(6, 3, 7, 5);
        SequenceModel a = model(1);
        SequenceModel b = model(1);
        SequenceTrainer ta = trainer(a, log, 64);
        int windows = ta.windows().size();
        int[] all = new int[windows];
        for (int w = 0; w < windows; w++) {
            all[w] = w;
        }
        double[] byHand = trainer(b, log, 64).gradient(all, true, null);
        assertThat(byHand[2]).isEqualTo((double) ta.windows().targetCount());
        double[] epoch = ta.trainOneEpoch(1);
        assertThat(epoch[0]).isCloseTo(byHand[0] / byHand[2], within(1e-6));
        assertThat(epoch[1]).isCloseTo(byHand[1] / byHand[2], within(1e-6));
        assertThat(epoch[1]).isPositive();
    }

    @Test
    void batchesHoldEveryWindowOnceAndGroupLikeLengths() {
        int[][] sequences = new int[20][];
        for (int u = 0; u < 20; u++) {
            int length = u % 2 == 0 ? 3 : 20;
            sequences[u] = new int[length];
            for (int t = 0; t < length; t++) {
                sequences[u][t] = (u + t) % 5;
            }
        }
        TrainingWindows windows = TrainingWindows.of(SequenceTestData.logOf(5, sequences), 20);
        assertThat(windows.size()).isEqualTo(20);
        int[][] batches = windows.batches(5, new Rng(3));
        assertThat(batches).hasNumberOfRows(4);
        boolean[] seen = new boolean[20];
        for (int[] batch : batches) {
            assertThat(batch).hasSize(5);
            int bucket = (windows.length(batch[0]) + 7) / 8;
            for (int w : batch) {
                assertThat(seen[w]).isFalse();
                seen[w] = true;
                assertThat((windows.length(w) + 7) / 8).isEqualTo(bucket);
            }
        }
        int[][] uneven = windows.batches(6, new Rng(3));
        assertThat(uneven).hasNumberOfRows(4);
        int total = 0;
        for (int[] batch : uneven) {
            total += batch.length;
        }
        assertThat(total).isEqualTo(20);
    }
}
