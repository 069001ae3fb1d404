package org.recsysrl.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recsysrl.agent.Learner;
import org.recsysrl.io.IoMessages;
import org.recsysrl.io.SafeTensors;
import org.recsysrl.io.Tensor;
import org.recsysrl.nn.Adam;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * What a checkpoint leaves out but an exact {@code --resume} needs, in a sibling safetensors file
 * {@code <algo>.state.safetensors}: Adam's moments ({@code adam.m}, {@code adam.v}) and step
 * count, the step and update counters, every random stream's state, and the environments'
 * mid-episode state ({@code env.state}, bytes).
 */
final class TrainingState {
    static final String FORMAT = "recsys-rl-training-state/1";

    private TrainingState() {
    }

    /** {@code dir/<algo>.state.safetensors}. */
    static Path fileFor(Path checkpointDir, String algo) {
        return checkpointDir.resolve(algo + ".state.safetensors");
    }

    static void save(Path file, Learner learner, long episodesTotal) throws IOException {
        Adam adam = learner.optimizer();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("algorithm", learner.algorithm());
        meta.put("steps", Long.toString(learner.steps()));
        meta.put("updates", Long.toString(learner.updates()));
        meta.put("episodes", Long.toString(episodesTotal));
        meta.put("adam_step", Long.toString(adam.stepCount()));
        for (Map.Entry<String, Rng> e : learner.randomStreams().entrySet()) {
            meta.put("rng." + e.getKey(), Long.toString(e.getValue().state()));
        }
        ByteArrayOutputStream envBytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(envBytes)) {
            learner.collector().env().saveState(out);
        }
        // the moments in the parameters' logical layout, like the checkpoint's tensors
        ParameterStore params = learner.model().parameters();
        float[] m = params.toLogical(adam.firstMoment());
        float[] v = params.toLogical(adam.secondMoment());
        SafeTensors.write(file, meta, List.of(
                Tensor.f32("adam.m", new long[] {m.length}, m, 0, m.length),
                Tensor.f32("adam.v", new long[] {v.length}, v, 0, v.length),
                Tensor.u8("env.state", envBytes.toByteArray())));
    }

    /**
     * Restores everything {@link #save} wrote into {@code learner}.
     *
     * @return the number of episodes finished before the save
     * @throws UserInputException if the file is missing, damaged, for another algorithm or model, or
     *     from another step than the checkpoint
     */
    static long restore(Path file, Learner learner, long checkpointSteps) {
        String source = "training state " + file;
        if (!Files.exists(file)) {
            throw new UserInputException(source + " does not exist: --resume needs the state file written beside the"
                    + " checkpoint; start a new run without --resume");
        }
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new UserInputException(source + " is not a recsys-rl training state (format "
                    + IoMessages.quote(meta.get("format"))
                    + "): start a new run without --resume");
        }
        if (!learner.algorithm().equals(meta.get("algorithm"))) {
            throw new UserInputException(source + " belongs to algorithm " + IoMessages.quote(meta.get("algorithm"))
                    + ", not " + learner.algorithm() + ": resume with the --algo of the run that wrote it");
        }
        long steps = number(meta, "steps", source);
        if (steps != checkpointSteps) {
            throw new UserInputException(source + " is from step " + steps + " but the checkpoint is from step "
                    + checkpointSteps + ": the pair is inconsistent; start a new run without --resume");
        }
        ParameterStore params = learner.model().parameters();
        int size = params.size();
        float[] m = new float[size];
        float[] v = new float[size];
        params.fromLogical(c.require("adam.m", "F32", new long[] {size}, source).toFloats(), m);
        params.fromLogical(c.require("adam.v", "F32", new long[] {size}, source).toFloats(), v);
        requireFiniteMoments(m, v, source);
        learner.optimizer().restore(number(meta, "adam_step", source), m, v);
        for (Map.Entry<String, Rng> e : learner.randomStreams().entrySet()) {
            e.getValue().restore(number(meta, "rng." + e.getKey(), source));
        }
        byte[] envState = c.require("env.state", source).bytes();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(envState))) {
            learner.collector().env().loadState(in);
        } catch (IOException e) {
            throw new UserInputException(source + ": environment state is damaged (" + e.getMessage()
                    + "); start a new run without --resume");
        } catch (UserInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UserInputException(source + ": environment state does not fit these environments ("
                    + e.getMessage() + "); resume with the settings of the original run");
        }
        learner.restoreCounters(steps, number(meta, "updates", source));
        return number(meta, "episodes", source);
    }

    /** Adam's moments must be finite and the second one non-negative, or they would poison the weights. */
    private static void requireFiniteMoments(float[] m, float[] v, String source) {
        for (int i = 0; i < m.length; i++) {
            if (!Float.isFinite(m[i]) || !Float.isFinite(v[i]) || v[i] < 0) {
                throw new UserInputException(source + ": optimiser moment " + i + " is " + (!Float.isFinite(m[i])
                        ? "adam.m = " + m[i] : "adam.v = " + v[i]) + "; the file is damaged, start a new run without"
                        + " --resume");
            }
        }
    }

    /** A counter of the metadata: a whole number &ge; 0. */
    private static long number(Map<String, String> meta, String key, String source) {
        String v = meta.get(key);
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new UserInputException(source + ": metadata '" + key + "' is missing or not a number; the file is"
                    + " damaged, start a new run without --resume");
        }
        if (n < 0 && !key.startsWith("rng.")) {
            throw new UserInputException(source + ": metadata '" + key + "' is " + n + ", below 0; the file is"
                    + " damaged, start a new run without --resume");
        }
        return n;
    }

}
