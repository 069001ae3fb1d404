package org.recsysrl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.Learner;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.util.Fuzz;
import org.recsysrl.util.Mutations;

/**
 * Fuzzes {@code --resume}'s reader: a real training state (written by {@link TrainingState#save}
 * after one update of a tiny PPO and A2C run, so the moments are non-zero and the environments
 * mid-episode) is mutated as bytes, in its header JSON, in its counters and random-stream states
 * (negative, overflowing, not numbers, missing), in the environments' state bytes and with NaN
 * and infinities in Adam's moments, then restored with {@link TrainingState#restore} into the
 * learner. Every case must end in a restored state or a one-line
 * {@link org.recsysrl.util.UserInputException}.
 */
class TrainingStateFuzzTest {
    private static final long SEED = 99L;
    private static final int CASES = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A learner of {@code algo} after one update, and its state file's bytes. */
    private record Subject(Learner learner, byte[] state) {}

    private Subject subject(String algo) throws Exception {
        RunConfig cfg = TinyRuns.tinyConfig(dir, 128);
        SimulatorWorld world = Experiment.world(cfg.env());
        ActorCritic model = Experiment.newModel(cfg, world);
        Learner learner = Experiment.newLearner(algo, cfg, model, world);
        learner.iterate();
        Path file = dir.resolve(algo + ".state.safetensors");
        TrainingState.save(file, learner, 3);
        assertThat(TrainingState.restore(file, learner, learner.steps())).isEqualTo(3); // the starting point is valid
        return new Subject(learner, Files.readAllBytes(file));
    }

    @Test
    void mutatedTrainingStatesEndInARestoreOrOneUserError() throws Exception {
        List<Subject> subjects = List.of(subject("ppo"), subject("a2c"));
        Fuzz fuzz = new Fuzz("training state", SEED);
        int[] nonFiniteRestored = new int[1];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random rng = new Random(SEED);
            for (int i = 0; i < CASES; i++) {
                Subject s = subjects.get(rng.nextInt(subjects.size()));
                Path file = dir.resolve("case" + i + ".state.safetensors"); // a new name: rewriting in place is slow on ext4
                Mutated m = mutate(s.state(), rng);
                Files.write(file, m.bytes());
                long steps = s.learner().steps();
                int before = fuzz.values();
                fuzz.run(i, () -> TrainingState.restore(file, s.learner(), steps));
                if (m.nonFiniteMoments() && fuzz.values() > before) {
                    nonFiniteRestored[0]++;
                }
                Files.delete(file);
            }
        });
        fuzz.assertNoFailures();
        assertThat(nonFiniteRestored[0]).as("states with NaN or infinite Adam moments that were restored").isZero();
    }

    /** A mutated state file, and whether the mutation put NaN or infinities into Adam's moments. */
    private record Mutated(byte[] bytes, boolean nonFiniteMoments) {}

    private static Mutated mutate(byte[] valid, Random rng) throws Exception {
        int headerLength = (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(valid, 8, headerLength, StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(valid, 8 + headerLength, valid.length);
        int kind = rng.nextInt(100);
        if (kind < 25) {
            return new Mutated(Mutations.bytes(valid, rng), false);
        }
        if (kind < 35) {
            return new Mutated(file(Mutations.json(header, rng), data), false);
        }
        if (kind < 65) {
            return new Mutated(file(mutateMetadata(header, rng), data), false);
        }
        if (kind < 85) { // the environments' state: the last tensor, U8
            ObjectNode root = (ObjectNode) JSON.readTree(header);
            long begin = root.get("env.state").get("data_offsets").get(0).asLong();
            byte[] env = Arrays.copyOfRange(data, (int) begin, data.length);
            byte[] mutated = rng.nextInt(4) == 0 ? Mutations.bytes(env, rng) : flip(env, rng);
            ((ObjectNode) root.get("env.state")).putArray("shape").add(mutated.length);
            ((ObjectNode) root.get("env.state")).putArray("data_offsets").add(begin).add(begin + mutated.length);
            return new Mutated(file(JSON.writeValueAsString(root),
                    Mutations.splice(data, (int) begin, env.length, mutated)), false);
        }
        return new Mutated(file(header, nonFiniteMoment(header, data, rng)), true);
    }

    /** Counters, random-stream states, format and algorithm: hostile values, or removed. */
    private static String mutateMetadata(String header, Random rng) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(header);
        ObjectNode meta = (ObjectNode) root.get("__metadata__");
        List<String> keys = new ArrayList<>();
        meta.fieldNames().forEachRemaining(keys::add);
        String key = keys.get(rng.nextInt(keys.size()));
        if (rng.nextInt(8) == 0) {
            meta.remove(key);
        } else {
            meta.put(key, pick(rng, "-1", "-9223372036854775808", "9223372036854775807", "9223372036854775808", "",
                    " 1", "1e3", "NaN", "0", "ppo", "a2c", "recsys-rl-training-state/2", "\n", "0x10"));
        }
        return JSON.writeValueAsString(root);
    }

    /** One to three elements of adam.m or adam.v set to NaN or an infinity. */
    private static byte[] nonFiniteMoment(String header, byte[] data, Random rng) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(header);
        String tensor = rng.nextBoolean() ? "adam.m" : "adam.v";
        long begin = root.get(tensor).get("data_offsets").get(0).asLong();
        long end = root.get(tensor).get("data_offsets").get(1).asLong();
        byte[] out = data.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int k = 1 + rng.nextInt(3); k > 0; k--) {
            b.putFloat((int) (begin + 4L * rng.nextInt((int) ((end - begin) / 4))), values[rng.nextInt(values.length)]);
        }
        return out;
    }

    private static byte[] flip(byte[] bytes, Random rng) {
        byte[] out = bytes.clone();
        for (int k = 1 + rng.nextInt(4); k > 0 && out.length > 0; k--) {
            out[rng.nextInt(out.length)] ^= (byte) (1 << rng.nextInt(8));
        }
        return out;
    }

    private static byte[] file(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(data).array();
    }

    private static String pick(Random rng, String... choices) {
        return choices[rng.nextInt(choices.length)];
    }
}
