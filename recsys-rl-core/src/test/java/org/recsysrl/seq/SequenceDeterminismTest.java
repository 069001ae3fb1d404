package org.recsysrl.seq;

import org.recsysrl.nn.EncoderKind;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.util.Rng;

/** Same seed and threads ⇒ the same parameters; a saved and reloaded model scores identically. */
class SequenceDeterminismTest {
    private static SequenceModel train(SequenceSpec spec, InteractionLog log, long seed, int threads, double td) {
        SequenceModel m = new SequenceModel(spec);
        m.initialize(new Rng(seed));
        SequenceTrainer.Settings s = SequenceTrainer.Settings.builder().epochs(2).batchSize(8).lr(1e-2)
                .maxGradNorm(5).patience(2).offlineActorCritic(td, td, 0.5, 0.05).seed(seed).threads(threads).build();
        SequenceTrainer t = new SequenceTrainer(m, log, s);
        t.trainOneEpoch(1);
        t.trainOneEpoch(2);
        return m;
    }

    @Test
    void sameSeedAndThreadsGiveTheSameBits() {
        InteractionLog log = SequenceTestData.randomLog(40, 12, 25, 9);
        SequenceSpec spec = new SequenceSpec(EncoderKind.ATTENTION, 25, 10, 8, 2, 2, 0.3, true, true);
        float[] a = train(spec, log, 4, 2, 1.0).store().data();
        float[] b = train(spec, log, 4, 2, 1.0).store().data();
        assertThat(b).containsExactly(a);
        float[] c = train(spec, log, 5, 2, 1.0).store().data();
        assertThat(java.util.Arrays.equals(a, c)).isFalse();
    }

    @Test
    void aSavedModelScoresExactlyAsBefore(@TempDir Path dir) throws Exception {
        InteractionLog log = SequenceTestData.randomLog(30, 8, 20, 2);
        SequenceSpec spec = new SequenceSpec(EncoderKind.GRU, 20, 6, 8, 1, 1, 0.0, false, false);
        SequenceModel trained = train(spec, log, 3, 1, 0);
        Path file = dir.resolve("m.safetensors");
        Checkpoint.save(file, trained.store(), new Checkpoint.Info("supervised", "{}", 0, 2));
        SequenceModel loaded = new SequenceModel(spec);
        Checkpoint.read(file).loadInto(loaded.store());
        Recommender.Scorer before = new SequenceRecommender(trained).newScorer();
        Recommender.Scorer after = new SequenceRecommender(loaded).newScorer();
        float[] s1 = new float[20];
        float[] s2 = new float[20];
        for (int[] h : new int[][] {{}, {3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
            before.score(History.of(h), s1);
            after.score(History.of(h), s2);
            assertThat(s2).containsExactly(s1);
        }
    }

    @Test
    void aScoreDependsOnlyOnTheLastMaxLengthItems() {
        InteractionLog log = SequenceTestData.randomLog(30, 8, 20, 2);
        SequenceSpec spec = new SequenceSpec(EncoderKind.MEAN, 20, 4, 8, 1, 1, 0.0, true, false);
        SequenceModel m = train(spec, log, 3, 1, 0);
        Recommender.Scorer s = new SequenceRecommender(m).newScorer();
        float[] a = new float[20];
        float[] b = new float[20];
        s.score(History.of(9, 9, 1, 2, 3, 4), a);
        s.score(History.of(5, 1, 2, 3, 4), b);
        assertThat(b).containsExactly(a);
        s.score(History.of(9, 9, 1, 2, 3, 5), b);
        assertThat(java.util.Arrays.equals(a, b)).isFalse();
    }
}
