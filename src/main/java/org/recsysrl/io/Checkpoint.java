package org.recsysrl.io;

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
 */
public final class Checkpoint {
    public static final String FORMAT_KEY = "format";
    public static final String FORMAT = "recsys-rl-checkpoint/1";
    public static final String ALGORITHM = "algorithm";
    public static final String CONFIG = "config";
    public static final String ENV_SEED = "env_seed";
    public static final String STEPS = "steps";

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

        Map<String, String> toMetadata() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put(FORMAT_KEY, FORMAT);
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
        /**
         * Copies every parameter of {@code params} from the file, checking that the file holds
         * exactly the model's tensors with the model's shapes.
         *
         * @throws UserInputException naming the first tensor that is missing or has another shape
         */
        public void loadInto(ParameterStore params) {
            String source = "checkpoint " + path;
            float[] data = params.data();
            for (ParameterStore.Entry e : params.entries()) {
                Tensor t = contents.require(e.name(), "F32", longs(e.shape()), source);
                params.fromLogical(e, t.toFloats(), data);
            }
            if (contents.tensors().size() != params.entries().size()) {
                List<String> extra = new ArrayList<>(contents.tensors().keySet());
                params.entries().forEach(e -> extra.remove(e.name()));
                throw new UserInputException(source + " has tensors this model does not have (" + String.join(", ", extra)
                        + "): it was written for another model; evaluate it with the settings it was trained with");
            }
        }
    }

    /** Writes {@code params} and {@code info} atomically to {@code path}. */
    public static void save(Path path, ParameterStore params, Info info) throws IOException {
        SafeTensors.write(path, info.toMetadata(), tensors(params));
    }

    /** The model's parameters as safetensors entries, in allocation ({@code state_dict}) order. */
    public static List<Tensor> tensors(ParameterStore params) {
        List<Tensor> out = new ArrayList<>();
        float[] data = params.data();
        for (ParameterStore.Entry e : params.entries()) {
            out.add(Tensor.f32(e.name(), longs(e.shape()), params.toLogical(e, data), 0, e.length()));
        }
        return out;
    }

    /**
     * Reads a checkpoint and its metadata.
     *
     * @throws UserInputException if the file is missing, corrupt, or not a recsys-rl checkpoint
     */
    public static Loaded read(Path path) {
        SafeTensors.Contents contents = SafeTensors.read(path);
        Map<String, String> m = contents.metadata();
        String source = "checkpoint " + path;
        String format = m.get(FORMAT_KEY);
        if (format == null) {
            throw new UserInputException(source + " has no '" + FORMAT_KEY + "' metadata: it is not a recsys-rl checkpoint;"
                    + " pass a file written by `recsys-rl train`");
        }
        if (!FORMAT.equals(format)) {
            throw new UserInputException(source + " has format '" + format + "' but this version reads '" + FORMAT
                    + "': use the recsys-rl version that wrote it, or retrain");
        }
        Map<String, String> extra = new LinkedHashMap<>(m);
        for (String k : List.of(FORMAT_KEY, ALGORITHM, CONFIG, ENV_SEED, STEPS)) {
            extra.remove(k);
        }
        Info info = new Info(require(m, ALGORITHM, source), require(m, CONFIG, source),
                parseLong(m, ENV_SEED, source), parseLong(m, STEPS, source), extra);
        return new Loaded(path, info, contents);
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
            throw new UserInputException(source + ": metadata '" + key + "' is '" + v + "', not a whole number: the file"
                    + " is damaged; retrain or pick another checkpoint");
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
