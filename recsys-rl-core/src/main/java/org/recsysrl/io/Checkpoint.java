package org.recsysrl.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.UserInputException;

/**
 * A trained model as a safetensors file: one F32 tensor per parameter, named and shaped as the
 * original PyTorch {@code state_dict}, plus string metadata: {@value #FORMAT_KEY} = {@value #FORMAT},
 * {@code algorithm}, {@code config} (the run config as JSON, without the machine-local log and
 * checkpoint directories), {@code env_seed} and
 * {@code steps}.
 *
 * <p>A checkpoint may also carry what serving its model needs besides the parameters (a log's item
 * vocabulary, transition counts, user histories; a factorisation's vectors): tensors whose names
 * start with {@value #SERVING_PREFIX}. Such a file has format {@value #FORMAT_SERVING}, so that a
 * version that does not know these tensors refuses it in one line instead of calling them foreign
 * parameters; {@link #read} reads both formats.
 */
public final class Checkpoint {
    public static final String FORMAT_KEY = "format";
    public static final String FORMAT = "recsys-rl-checkpoint/1";
    /** The format of a checkpoint that also holds serving tensors ({@value #SERVING_PREFIX}…). */
    public static final String FORMAT_SERVING = "recsys-rl-checkpoint/2";
    /** The name prefix of the tensors that are not parameters but what serving needs. */
    public static final String SERVING_PREFIX = "serving.";
    public static final String ALGORITHM = "algorithm";
    public static final String CONFIG = "config";
    public static final String ENV_SEED = "env_seed";
    public static final String STEPS = "steps";

    /** Longest config JSON read from checkpoint metadata (a real config has a few kilobytes). */
    static final int MAX_CONFIG_BYTES = 1_000_000;

    private static final JsonMapper CONFIG_READER = JsonLimits.mapper(MAX_CONFIG_BYTES);

    private Checkpoint() {
    }

    /**
     * The metadata of a checkpoint.
     *
     * @param extra further string key/values (e.g. the identity and split of the data set a
     *     real-data run was trained on), stored beside the standard keys
     */
    public record Info(String algorithm, String configJson, long envSeed, long steps, Map<String, String> extra) {
        public Info {
            extra = Map.copyOf(extra);
        }

        /** Info without extra metadata. */
        public Info(String algorithm, String configJson, long envSeed, long steps) {
            this(algorithm, configJson, envSeed, steps, Map.of());
        }

        Map<String, String> toMetadata(String format) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put(FORMAT_KEY, format);
            m.put(ALGORITHM, algorithm);
            m.put(CONFIG, configJson);
            m.put(ENV_SEED, Long.toString(envSeed));
            m.put(STEPS, Long.toString(steps));
            new java.util.TreeMap<>(extra).forEach((k, v) -> {
                if (m.containsKey(k)) {
                    throw new IllegalArgumentException("extra metadata key " + k + " is reserved");
                }
                m.put(k, v);
            });
            return m;
        }
    }

    /** A checkpoint read from disk: its metadata and tensors, not yet bound to a model. */
    public record Loaded(Path path, Info info, SafeTensors.Contents contents) {
        /** True if the file holds the serving tensor {@code name} ({@value #SERVING_PREFIX} + name). */
        public boolean hasServing(String name) {
            return contents.tensors().containsKey(SERVING_PREFIX + name);
        }

        /**
         * The serving tensor {@code name} ({@value #SERVING_PREFIX} + name), of {@code dtype} and rank 1.
         *
         * @throws UserInputException if it is missing or has another dtype or rank
         */
        public Tensor serving(String name, String dtype) {
            Tensor t = contents.require(SERVING_PREFIX + name, "checkpoint " + path);
            if (!t.dtype().equals(dtype) || t.shape().length != 1) {
                throw new UserInputException("checkpoint " + path + ": tensor '" + SERVING_PREFIX + name + "' is "
                        + t.dtype() + " " + SafeTensors.shapeText(t.shape()) + ", not a vector of " + dtype
                        + ": the file is damaged; retrain or pick another checkpoint");
            }
            return t;
        }

        /**
         * Copies every parameter of {@code params} from the file, checking that the file holds
         * exactly the model's tensors with the model's shapes (besides its serving tensors).
         *
         * @throws UserInputException naming the first tensor that is missing or has another shape
         */
        public void loadInto(ParameterStore params) {
            String source = "checkpoint " + path;
            float[] data = params.data();
            for (ParameterStore.Entry e : params.entries()) {
                contents.require(e.name(), "F32", longs(e.shape()), source);
            }
            contents.requireFinite(source); // before the first copy, so a refused file changes nothing
            for (ParameterStore.Entry e : params.entries()) {
                params.fromLogical(e, contents.tensors().get(e.name()).toFloats(), data);
            }
            List<String> extra = new ArrayList<>(contents.tensors().keySet());
            extra.removeIf(name -> name.startsWith(SERVING_PREFIX));
            if (extra.size() != params.entries().size()) {
                params.entries().forEach(e -> extra.remove(e.name()));
                extra.replaceAll(IoMessages::quote);
                String names = extra.size() <= 10 ? String.join(", ", extra)
                        : String.join(", ", extra.subList(0, 10)) + ", ... (" + extra.size() + " in all)";
                throw new UserInputException(source + " has tensors this model does not have (" + names
                        + "): it was written for another model; evaluate it with the settings it was trained with");
            }
        }
    }

    /**
     * Writes {@code params} and {@code info} atomically to {@code path}.
     *
     * @throws IllegalStateException if a parameter is NaN or infinite (nothing is written): a
     *     checkpoint never holds a non-finite value
     * @throws IllegalArgumentException if the algorithm is empty or the step count negative
     */
    public static void save(Path path, ParameterStore params, Info info) throws IOException {
        save(path, params, info, List.of());
    }

    /**
     * Writes {@code params}, then the {@code serving} tensors, and {@code info} atomically to
     * {@code path}; with serving tensors the file has format {@value #FORMAT_SERVING}.
     *
     * @throws IllegalArgumentException as {@link #save(Path, ParameterStore, Info)}, or if a serving
     *     tensor's name does not start with {@value #SERVING_PREFIX}
     */
    public static void save(Path path, ParameterStore params, Info info, List<Tensor> serving) throws IOException {
        if (info.algorithm() == null || info.algorithm().isBlank() || info.steps() < 0) {
            throw new IllegalArgumentException("checkpoint info needs an algorithm and steps >= 0: " + info.algorithm()
                    + ", " + info.steps());
        }
        List<Tensor> all = tensors(params);
        for (Tensor t : serving) {
            if (!t.name().startsWith(SERVING_PREFIX)) {
                throw new IllegalArgumentException("serving tensor " + t.name() + " must start with " + SERVING_PREFIX);
            }
            all.add(t);
        }
        SafeTensors.write(path, info.toMetadata(serving.isEmpty() ? FORMAT : FORMAT_SERVING), all);
    }

    /**
     * The model's parameters as safetensors entries, in allocation ({@code state_dict}) order.
     *
     * @throws IllegalStateException naming the tensor and the first element that is NaN or infinite
     */
    public static List<Tensor> tensors(ParameterStore params) {
        List<Tensor> out = new ArrayList<>();
        float[] data = params.data();
        for (ParameterStore.Entry e : params.entries()) {
            float[] logical = params.toLogical(e, data);
            for (int i = 0; i < e.length(); i++) {
                if (!Float.isFinite(logical[i])) {
                    throw new IllegalStateException("refusing to write a non-finite parameter: tensor '" + e.name()
                            + "' " + SafeTensors.shapeText(longs(e.shape())) + " holds " + logical[i]
                            + " at element " + i + " (the training diverged before this save)");
                }
            }
            out.add(Tensor.f32(e.name(), longs(e.shape()), logical, 0, e.length()));
        }
        return out;
    }

    /**
     * Reads a checkpoint and its metadata, and checks that they agree: an algorithm is named, the
     * step count is not negative, {@code env_seed} equals the stored config's {@code env.seed}
     * (when the config has one and an environment: not for {@code env.type = logs}), and every
     * tensor is finite.
     *
     * @throws UserInputException if the file is missing, corrupt, inconsistent, holds a NaN or an
     *     infinity, or is not a recsys-rl checkpoint
     */
    public static Loaded read(Path path) {
        Loaded loaded = of(path, SafeTensors.read(path));
        loaded.contents().requireFinite("checkpoint " + path);
        return loaded;
    }

    private static Loaded of(Path path, SafeTensors.Contents contents) {
        Map<String, String> m = contents.metadata();
        String source = "checkpoint " + path;
        String format = m.get(FORMAT_KEY);
        if (format == null) {
            throw new UserInputException(source + " has no '" + FORMAT_KEY + "' metadata: it is not a recsys-rl checkpoint;"
                    + " pass a file written by `recsys-rl train`");
        }
        if (!FORMAT.equals(format) && !FORMAT_SERVING.equals(format)) {
            throw new UserInputException(source + " has format '" + IoMessages.quote(format) + "' but this version reads '"
                    + FORMAT + "' and '" + FORMAT_SERVING + "': use the recsys-rl version that wrote it, or retrain");
        }
        Map<String, String> extra = new LinkedHashMap<>(m);
        for (String k : List.of(FORMAT_KEY, ALGORITHM, CONFIG, ENV_SEED, STEPS)) {
            extra.remove(k);
        }
        String algorithm = require(m, ALGORITHM, source);
        if (algorithm.isBlank()) {
            throw new UserInputException(source + ": metadata 'algorithm' is empty: the file is damaged; retrain or"
                    + " pick another checkpoint");
        }
        long steps = parseLong(m, STEPS, source);
        if (steps < 0) {
            throw new UserInputException(source + ": metadata 'steps' is " + steps + ", a negative step count: the file"
                    + " is damaged; retrain or pick another checkpoint");
        }
        String config = require(m, CONFIG, source);
        long envSeed = parseLong(m, ENV_SEED, source);
        checkEnvSeed(config, envSeed, source);
        return new Loaded(path, new Info(algorithm, config, envSeed, steps, extra), contents);
    }

    /**
     * The stored config must be JSON within {@link JsonLimits}; if it names {@code env.seed} (and
     * the run had an environment), that must be {@code envSeed}. Other problems of the config are
     * left to the config reader, which names the key.
     */
    private static void checkEnvSeed(String config, long envSeed, String source) {
        JsonNode root;
        try {
            root = CONFIG_READER.readTree(config);
        } catch (JsonProcessingException e) {
            throw new UserInputException(IoMessages.oneLine(source + ": metadata 'config' is not valid JSON ("
                    + JsonLimits.problem(e) + "): the file is damaged; retrain or pick another checkpoint"), e);
        }
        JsonNode env = root == null ? null : root.get("env");
        JsonNode seed = env == null ? null : env.get("seed");
        JsonNode type = env == null ? null : env.get("type");
        if (seed == null || !seed.isIntegralNumber() || !seed.canConvertToLong()
                || (type != null && "logs".equals(type.asText()))) {
            return;
        }
        if (seed.longValue() != envSeed) {
            throw new UserInputException(source + ": metadata 'env_seed' is " + envSeed
                    + " but its config's env.seed is " + seed.longValue() + ": the file was altered or damaged; retrain or pick another checkpoint");
        }
    }

    private static String require(Map<String, String> m, String key, String source) {
        String v = m.get(key);
        if (v == null) {
            throw new UserInputException(source + " lacks the '" + key + "' metadata: the file is damaged; retrain or"
                    + " pick another checkpoint");
        }
        return v;
    }

    private static long parseLong(Map<String, String> m, String key, String source) {
        String v = require(m, key, source);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UserInputException(source + ": metadata '" + key + "' is '" + IoMessages.quote(v)
                    + "', not a whole number: the file is damaged; retrain or pick another checkpoint");
        }
    }

    static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }
}
