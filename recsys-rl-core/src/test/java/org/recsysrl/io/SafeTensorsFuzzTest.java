package org.recsysrl.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.Fuzz;
import org.recsysrl.util.Mutations;
import org.recsysrl.util.UserInputException;

/**
 * Fuzzes the checkpoint path of {@code evaluate} and {@code --resume}: a real checkpoint (written by
 * {@link Checkpoint#save} with a real config) is mutated as bytes, in its header length, header
 * JSON, metadata, stored config, shapes and offsets, and tensor values (NaN, ±Inf, huge), then
 * read with {@link Checkpoint#read}, loaded into a model's parameters and its config merged, as
 * {@code evaluate} does. Every case must end in a value or a one-line {@link UserInputException};
 * on every fourth case the streaming {@link SafeTensors#read} and the in-memory
 * {@link SafeTensors#decode} must agree.
 */
class SafeTensorsFuzzTest {
    private static final long SEED = 20_240_614L;
    private static final int CASES = 4000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static ParameterStore model() {
        ParameterStore store = new ParameterStore();
        store.allocateTransposed("actor.hidden.weight", 4, 3);
        store.allocate("actor.hidden.bias", 4);
        store.allocate("critic.value.weight", 1, 4);
        store.allocate("critic.value.bias", 1);
        return store;
    }

    @Test
    void mutatedCheckpointsEndInAValueOrOneUserError() throws Exception {
        ParameterStore trained = model();
        Random init = new Random(SEED);
        float[] data = trained.data();
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) init.nextGaussian();
        }
        RunConfig cfg = RunConfig.defaults();
        Path original = dir.resolve("ppo.safetensors");
        Checkpoint.save(original, trained, new Checkpoint.Info("ppo", ConfigJson.toPortableJson(cfg),
                cfg.env().seed(), 2048, Map.of("data.note", "fuzz")));
        byte[] valid = Files.readAllBytes(original);
        Checkpoint.read(original).loadInto(model()); // the starting point is valid

        Fuzz fuzz = new Fuzz("checkpoint", SEED);
        ParameterStore target = model();
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            Random rng = new Random(SEED);
            for (int i = 0; i < CASES; i++) {
                byte[] bytes = mutate(valid, rng);
                // a new name per case: rewriting one file in place makes ext4 flush it every time
                Path file = dir.resolve("case" + i + ".safetensors");
                Files.write(file, bytes);
                fuzz.run(i, () -> {
                    Checkpoint.Loaded loaded = Checkpoint.read(file);
                    loaded.loadInto(target);
                    ConfigJson.merge(RunConfig.original(), loaded.info().configJson(), "checkpoint " + file);
                });
                if (i % 4 == 0) {
                    String read = outcome(() -> SafeTensors.read(file));
                    String decoded = outcome(() -> SafeTensors.decode(bytes, file.toString()));
                    if (!read.equals(decoded)) {
                        fuzz.fail(i, "SafeTensors.read gives " + read + " but decode gives " + decoded);
                    }
                }
                Files.delete(file);
            }
        });
        fuzz.assertNoFailures();
    }

    /** "value", "UserInputException: message" or the class of anything else. */
    private static String outcome(Runnable call) {
        try {
            call.run();
            return "value";
        } catch (UserInputException e) {
            return "UserInputException: " + e.getMessage();
        } catch (RuntimeException e) {
            return e.getClass().getName();
        }
    }

    // ---- mutations of a safetensors file -------------------------------------------------------

    private static byte[] mutate(byte[] valid, Random rng) throws Exception {
        int headerLength = (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(valid, 8, headerLength, StandardCharsets.UTF_8);
        byte[] data = java.util.Arrays.copyOfRange(valid, 8 + headerLength, valid.length);
        int kind = rng.nextInt(100);
        if (kind < 25) {
            return Mutations.bytes(valid, rng);
        }
        if (kind < 35) {
            return withLengthField(valid, headerLengthValue(rng, headerLength, valid.length));
        }
        if (kind < 55) {
            return file(Mutations.json(header, rng), data, rng);
        }
        if (kind < 75) {
            return file(mutateMetadata(header, rng), data, rng);
        }
        if (kind < 90) {
            return file(header, nonFinite(data, rng), rng);
        }
        return file(mutateLayout(header, rng), data, rng);
    }

    private static long headerLengthValue(Random rng, int headerLength, int fileLength) {
        long[] choices = {0, 1, 7, 8, headerLength - 1, headerLength + 1, headerLength + 8, fileLength - 8,
            fileLength - 7, fileLength, 1L << 40, -1L, Long.MIN_VALUE, Long.MAX_VALUE,
            SafeTensors.MAX_HEADER_BYTES + 1, rng.nextLong()};
        return choices[rng.nextInt(choices.length)];
    }

    private static byte[] withLengthField(byte[] valid, long length) {
        byte[] out = valid.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        return out;
    }

    /** Length field, header (sometimes padded to 8 bytes), data. */
    private static byte[] file(String header, byte[] data, Random rng) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        int padded = rng.nextBoolean() ? (json.length + 7) & ~7 : json.length;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int k = json.length; k < padded; k++) {
            out.put((byte) ' ');
        }
        return out.put(data).array();
    }

    /** The metadata values the checks read: format, algorithm, steps, env_seed and the config JSON. */
    private static String mutateMetadata(String header, Random rng) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(header);
        ObjectNode meta = (ObjectNode) root.get("__metadata__");
        switch (rng.nextInt(6)) {
            case 0 -> meta.put(Checkpoint.STEPS, pick(rng, "-1", "-9223372036854775808", "1e3", "", "abc",
                    "99999999999999999999", "0", " 5"));
            case 1 -> meta.put(Checkpoint.ENV_SEED, pick(rng, "1", "-1", "9223372036854775807", "x", "", "0.0"));
            case 2 -> meta.put(Checkpoint.ALGORITHM, pick(rng, "", " ", "a2c", "\n", "ppo\u0000"));
            case 3 -> meta.put(Checkpoint.FORMAT_KEY, pick(rng, "", "recsys-rl-checkpoint/2", "pt"));
            case 4 -> meta.remove(pick(rng, Checkpoint.STEPS, Checkpoint.ENV_SEED, Checkpoint.ALGORITHM,
                    Checkpoint.CONFIG, Checkpoint.FORMAT_KEY));
            default -> meta.put(Checkpoint.CONFIG, Mutations.json(meta.get(Checkpoint.CONFIG).textValue(), rng));
        }
        return JSON.writeValueAsString(root);
    }

    /** Shapes and offsets: negative, overflowing, swapped, overlapping, huge ranks. */
    private static String mutateLayout(String header, Random rng) {
        List<String> shapes = List.of("[1099511627776,1099511627776]", "[-1]", "[0]", "[]", "[4,3,1,1,1]",
                "[" + "1,".repeat(100) + "1]", "[9223372036854775807,2]", "[2147483648]", "[\"4\",3]", "[4.0,3]");
        List<String> offsets = List.of("[-8,0]", "[0,9223372036854775807]", "[48,0]", "[0,0]", "[0,48]", "[4,52]",
                "[0,18446744073709551615]", "[0]", "[0,48,96]", "[48,96]", "[1e2,148]", "[null,48]");
        if (rng.nextBoolean()) {
            return replaceOne(header, "\"shape\":\\[[^\\]]*\\]", "\"shape\":" + shapes.get(rng.nextInt(shapes.size())), rng);
        }
        return replaceOne(header, "\"data_offsets\":\\[[^\\]]*\\]",
                "\"data_offsets\":" + offsets.get(rng.nextInt(offsets.size())), rng);
    }

    private static String replaceOne(String text, String regex, String with, Random rng) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        List<int[]> spans = new java.util.ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        int[] s = spans.get(rng.nextInt(spans.size()));
        return text.substring(0, s[0]) + with + text.substring(s[1]);
    }

    /** One to three float slots of the data section set to NaN, ±Inf, the largest float, -0 or a denormal. */
    private static byte[] nonFinite(byte[] data, Random rng) {
        float[] values = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, (float) 1e300,
            Float.MAX_VALUE, -0f, Float.MIN_VALUE, Float.intBitsToFloat(0x7fc00001)};
        byte[] out = data.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 1 + rng.nextInt(3); k > 0; k--) {
            b.putFloat(4 * rng.nextInt(out.length / 4), values[rng.nextInt(values.length)]);
        }
        return out;
    }

    private static String pick(Random rng, String... choices) {
        return choices[rng.nextInt(choices.length)];
    }
}
