package org.recsysrl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.io.SafeTensors;
import org.recsysrl.io.Tensor;
import org.recsysrl.train.Trainer;
import org.recsysrl.train.TinyRuns;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.SimulatorWorkload;

/** A simulator checkpoint carries its world: its catalogue and users come from the file, not from env.seed. */
class SimulatorCheckpointTest {
    private static final String CATALOG = Checkpoint.SERVING_PREFIX + SimulatorWorkload.CATALOG_VECTORS;
    private static final String USERS = Checkpoint.SERVING_PREFIX + SimulatorWorkload.USER_VECTORS;

    /** Top-10 of known users, alone and with a session, with the scores' bits. */
    private static List<String> answers(Recommender m) {
        List<RecommendRequest> requests = new ArrayList<>();
        for (String u : List.of("0", "3", "9")) {
            requests.add(RecommendRequest.forUser(u, 10));
        }
        requests.add(new RecommendRequest("2", List.of("7", "21", "4"), null, null, 10));
        requests.add(new RecommendRequest("5", List.of("30"), null, null, 10));
        return ShippedCheckpointTest.asText(m, requests);
    }

    /**
     * {@code stored} rewritten with env.seed {@code seed} in both the metadata and the config, with
     * or without its stored world (without: as an earlier version wrote it, format 1).
     */
    private static Path rewrite(Checkpoint.Loaded stored, Path file, long seed, boolean keepWorld) throws Exception {
        RunConfig cfg = ConfigJson.withOverrides(CheckpointConfig.read(stored, (Path) null), List.of("env.seed=" + seed));
        Map<String, String> metadata = new LinkedHashMap<>(stored.contents().metadata());
        metadata.put(Checkpoint.ENV_SEED, Long.toString(seed));
        metadata.put(Checkpoint.CONFIG, ConfigJson.toPortableJson(cfg));
        if (!keepWorld) {
            metadata.put(Checkpoint.FORMAT_KEY, Checkpoint.FORMAT);
        }
        List<Tensor> tensors = new ArrayList<>();
        stored.contents().tensors().forEach((name, t) -> {
            if (keepWorld || !name.startsWith(Checkpoint.SERVING_PREFIX)) {
                tensors.add(t);
            }
        });
        SafeTensors.write(file, metadata, tensors);
        return file;
    }

    @Test
    void anAlteredEnvSeedServesTheSameTopTenFromTheStoredWorld(@TempDir Path dir) throws Exception {
        RunConfig cfg = TinyRuns.tinyConfig(dir, 128);
        Path checkpoint = new Trainer(cfg, "ppo", false, new PrintStream(OutputStream.nullOutputStream()), false)
                .run().checkpoint();
        Checkpoint.Loaded stored = Checkpoint.read(checkpoint);
        assertThat(stored.contents().metadata()).containsEntry(Checkpoint.FORMAT_KEY, Checkpoint.FORMAT_SERVING);
        SimulatorWorld world = new SimulatorWorkload(cfg).world();
        assertThat(stored.contents().tensors().get(CATALOG).toFloats()).isEqualTo(world.catalog().embeddings());
        assertThat(stored.contents().tensors().get(USERS).toFloats()).isEqualTo(world.users().vectors());
        List<String> expected = answers(Recommender.load(checkpoint));

        long otherSeed = cfg.env().seed() + 1;
        Path reseeded = rewrite(stored, dir.resolve("reseeded.safetensors"), otherSeed, true);
        assertThat(Checkpoint.read(reseeded).info().envSeed()).isEqualTo(otherSeed);
        assertThat(answers(Recommender.load(reseeded))).containsExactlyElementsOf(expected);
        // evaluate builds the same world: the environment's items are the stored ones
        PolicyCheckpoint loaded = (PolicyCheckpoint) Models.load(reseeded, null);
        assertThat(loaded.setup().itemEmbeddings()).isEqualTo(world.catalog().embeddings());

        // an earlier version's checkpoint (no stored world) still loads, its world generated from env.seed:
        // the same answers with the seed it was trained with, other answers with another (the control)
        Path old = rewrite(stored, dir.resolve("old.safetensors"), cfg.env().seed(), false);
        assertThat(Checkpoint.read(old).hasServing(SimulatorWorkload.CATALOG_VECTORS)).isFalse();
        assertThat(answers(Recommender.load(old))).containsExactlyElementsOf(expected);
        Path oldReseeded = rewrite(stored, dir.resolve("old-reseeded.safetensors"), otherSeed, false);
        assertThat(answers(Recommender.load(oldReseeded))).isNotEqualTo(expected);
    }

    @Test
    void storedVectorsThatDoNotFitTheConfigAreRefusedInOneLine(@TempDir Path dir) throws Exception {
        RunConfig cfg = TinyRuns.tinyConfig(dir, 64);
        Checkpoint.Loaded stored = Checkpoint.read(new Trainer(cfg, "a2c", false,
                new PrintStream(OutputStream.nullOutputStream()), false).run().checkpoint());
        Map<String, Tensor> tensors = new LinkedHashMap<>(stored.contents().tensors());
        float[] users = tensors.get(USERS).toFloats();
        tensors.put(USERS, Tensor.f32(USERS, new long[] {users.length - 1}, users, 0, users.length - 1));
        Path bad = dir.resolve("bad.safetensors");
        SafeTensors.write(bad, stored.contents().metadata(), new ArrayList<>(tensors.values()));
        assertThatThrownBy(() -> Recommender.load(bad)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("checkpoint " + bad + ": its stored catalogue and users do not fit its config")
                .hasMessageNotContaining("\n");
    }
}
