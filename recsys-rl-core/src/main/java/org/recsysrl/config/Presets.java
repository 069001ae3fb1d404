package org.recsysrl.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.recsysrl.util.UserInputException;

/**
 * Named, documented sets of settings that {@code train --preset NAME} starts from (before
 * {@code --config}, {@code --set} and flags are applied).
 */
public final class Presets {
    /** A named starting configuration. */
    public record Preset(String name, String description, Supplier<RunConfig> config) {
    }

    private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

    static {
        add("default", "the recommended settings and the defaults of train: item-embedding actor head over a"
                + " linear query, orthogonal init, gamma 0; PPO: lr 3e-3 annealed to 0, 10 epochs x 256,"
                + " per-minibatch advantage normalisation, entropy 0.01; A2C: lr 3e-3, 8 envs x 5 steps, no"
                + " entropy bonus",
                RunConfig::defaults);
        add("original", "the original Python project's hyperparameters exactly: one logit per item over a"
                + " [128, 64] tanh MLP, PyTorch init, gamma 0.99, lr 3e-4 (PPO) / 7e-4 (A2C), entropy 0.01;"
                + " checkpoint-compatible with the original model", RunConfig::original);
    }

    private Presets() {
    }

    private static void add(String name, String description, Supplier<RunConfig> config) {
        PRESETS.put(name, new Preset(name, description, config));
    }

    /** Every preset, in a fixed order. */
    public static List<Preset> all() {
        return List.copyOf(PRESETS.values());
    }

    /**
     * The settings of preset {@code name}.
     *
     * @throws UserInputException naming the valid presets if there is none of that name
     */
    public static RunConfig get(String name) {
        Preset p = PRESETS.get(name);
        if (p == null) {
            throw new UserInputException("unknown preset '" + name + "': use one of " + String.join(", ",
                    PRESETS.keySet()) + " (list them with `recsys-rl presets`)");
        }
        return p.config().get();
    }
}
