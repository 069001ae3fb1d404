package org.recsysrl.config;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.Fuzz;
import org.recsysrl.util.Mutations;

/**
 * Fuzzes the config readers: real configs (the full JSON of both presets, the portable JSON stored
 * in checkpoints, a partial {@code --config} file) mutated as JSON text (hostile numbers and
 * strings, deep nesting, duplicate keys, wrong types, truncation) and as bytes, read by
 * {@link ConfigJson#merge} and, from files, {@link ConfigJson#load}; and {@code --set} assignments
 * of hostile values to every key through {@link ConfigJson#withOverrides}. Every case must end in a
 * valid config or a one-line {@link org.recsysrl.util.UserInputException}.
 */
class ConfigJsonFuzzTest {
    private static final long SEED = 7_001L;
    private static final int CASES = 3000;

    @TempDir
    Path dir;

    @Test
    void mutatedConfigsEndInAValueOrOneUserError() {
        List<String> valid = List.of(
                ConfigJson.toJson(RunConfig.defaults()),
                ConfigJson.toPortableJson(RunConfig.original()),
                "{\"ppo\": {\"lr\": 0.001, \"n_steps\": 512, \"num_envs\": 4}, \"model\": {\"actor_hidden_dims\": [64, 32]},"
                        + " \"env\": {\"seed\": 3, \"type\": \"simulator\"}, \"data\": {\"event_weights\": \"view=1,buy=3\"}}");
        for (String json : valid) {
            ConfigJson.merge(RunConfig.defaults(), json, "valid"); // the starting points are valid
        }
        List<String> keys = ConfigJson.keys();
        Fuzz fuzz = new Fuzz("config", SEED);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random rng = new Random(SEED);
            for (int i = 0; i < CASES; i++) {
                String json = valid.get(rng.nextInt(valid.size()));
                for (int k = 1 + rng.nextInt(2); k > 0; k--) {
                    json = Mutations.json(json, rng);
                }
                int kind = rng.nextInt(10);
                if (kind < 7) {
                    String text = json;
                    fuzz.run(i, () -> ConfigJson.merge(RunConfig.defaults(), text, "config file fuzz.json"));
                } else if (kind < 9) {
                    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                    if (kind == 8) {
                        bytes = Mutations.bytes(bytes, rng);
                    }
                    Path file = dir.resolve("case" + i + ".json"); // a new name: rewriting in place is slow on ext4
                    Files.write(file, bytes);
                    fuzz.run(i, () -> ConfigJson.load(RunConfig.original(), file));
                    Files.delete(file);
                } else {
                    List<String> sets = assignments(keys, rng);
                    fuzz.run(i, () -> ConfigJson.withOverrides(RunConfig.defaults(), sets));
                }
            }
        });
        fuzz.assertNoFailures();
    }

    /** One to three {@code --set} assignments of hostile values, keys or syntax. */
    private static List<String> assignments(List<String> keys, Random rng) {
        List<String> out = new ArrayList<>();
        for (int k = 1 + rng.nextInt(3); k > 0; k--) {
            String key = keys.get(rng.nextInt(keys.size()));
            String value = rng.nextBoolean() ? Mutations.NASTY_NUMBERS.get(rng.nextInt(Mutations.NASTY_NUMBERS.size()))
                    : Mutations.NASTY_FIELDS.get(rng.nextInt(Mutations.NASTY_FIELDS.size()));
            out.add(switch (rng.nextInt(8)) {
                case 0 -> key + value; // no '='
                case 1 -> "=" + value;
                case 2 -> key + ".x=" + value;
                case 3 -> "[" + value + "]".repeat(rng.nextInt(3));
                case 4 -> key + "=" + value + "," + value;
                default -> key + "=" + value;
            });
        }
        return out;
    }
}
