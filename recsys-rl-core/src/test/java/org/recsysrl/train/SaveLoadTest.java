package org.recsysrl.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.Learner;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.util.Rng;

/** save → load gives a model that predicts exactly what the trained one does. */
class SaveLoadTest {
    private static final int OBSERVATIONS = 6;

    @TempDir
    Path dir;

    /** Loads a checkpoint the way {@code evaluate} does: a fresh model built from its own config. */
    private static ActorCritic load(Path checkpoint) {
        Checkpoint.Loaded loaded = Checkpoint.read(checkpoint);
        RunConfig cfg = ConfigJson.merge(RunConfig.original(), loaded.info().configJson(), "checkpoint");
        ActorCritic model = Experiment.newModel(cfg, Experiment.world(cfg.env()));
        loaded.loadInto(model.parameters());
        return model;
    }

    /** Observations the model has not necessarily seen: random users, some with a last item. */
    private static float[] observations(int size) {
        Rng rng = new Rng(123);
        float[] obs = new float[OBSERVATIONS * size];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) rng.nextGaussian() * (i % size < size / 2 || i / size % 2 == 0 ? 1f : 0f);
        }
        return obs;
    }

    private static float[] logProbs(ActorCritic model, float[] obs) {
        ActorCritic.Workspace ws = model.newWorkspace(OBSERVATIONS);
        model.policy(ws, obs, OBSERVATIONS);
        return Arrays.copyOf(ws.logProbs(), OBSERVATIONS * model.actionCount());
    }

    private static float[] values(ActorCritic model, float[] obs) {
        ActorCritic.Workspace ws = model.newWorkspace(OBSERVATIONS);
        model.value(ws, obs, OBSERVATIONS);
        return Arrays.copyOf(ws.values(), OBSERVATIONS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ppo", "a2c"})
    void loadedModelPredictsExactlyAsTheTrainedOne(String algo) throws Exception {
        RunConfig cfg = TinyRuns.tinyConfig(dir, 192);
        Trainer.Result result = new Trainer(cfg, algo, false, new java.io.PrintStream(
                java.io.OutputStream.nullOutputStream()), false).run();
        assertThat(result.steps()).isEqualTo(192);

        // The same training replayed in memory: the trainer's loop only calls iterate(), and every
        // random stream comes from the seed, so this is the model the trainer saved.
        SimulatorWorld world = Experiment.world(cfg.env());
        ActorCritic trained = Experiment.newModel(cfg, world);
        float[] initial = trained.parameters().data().clone();
        Learner learner = Experiment.newLearner(algo, cfg, trained, world);
        while (learner.steps() < cfg.train().totalTimesteps()) {
            learner.iterate();
        }
        assertThat(learner.steps()).isEqualTo(192);
        assertThat(trained.parameters().data()).isNotEqualTo(initial);

        ActorCritic loaded = load(result.checkpoint());
        ActorCritic loadedAgain = load(result.checkpoint());
        assertThat(loaded.parameters().data()).isEqualTo(trained.parameters().data());
        // before loading, a fresh model is the untrained one
        assertThat(Experiment.newModel(cfg, world).parameters().data()).isEqualTo(initial);

        float[] obs = observations(trained.observationSize());
        float[] expected = logProbs(trained, obs);
        assertThat(expected).hasSize(OBSERVATIONS * 50);
        assertThat(logProbs(loaded, obs)).isEqualTo(expected);
        assertThat(logProbs(loadedAgain, obs)).isEqualTo(expected);
        assertThat(values(loaded, obs)).isEqualTo(values(trained, obs));
        // the probabilities are a distribution per row
        for (int b = 0; b < OBSERVATIONS; b++) {
            double sum = 0;
            for (int a = 0; a < 50; a++) {
                sum += Math.exp(expected[b * 50 + a]);
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        }
    }
}
