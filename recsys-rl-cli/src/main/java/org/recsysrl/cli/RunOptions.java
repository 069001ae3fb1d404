package org.recsysrl.cli;

import java.util.List;
import org.recsysrl.config.Presets;
import org.recsysrl.config.RunConfig;
import picocli.CommandLine.Option;

/** The starting settings and the run length, shared by {@code train} and {@code sweep}. */
final class RunOptions {
    @Option(names = "--preset", defaultValue = "default",
            description = "named starting settings, see `recsys-rl presets` (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--total-timesteps", description = "environment steps to train for (train.total_timesteps)")
    Long totalTimesteps;

    /** The preset's settings. */
    RunConfig preset() {
        return Presets.get(preset);
    }

    /** Adds {@code train.total_timesteps} to {@code sets} when {@code --total-timesteps} was given. */
    void addTo(List<String> sets) {
        if (totalTimesteps != null) {
            sets.add("train.total_timesteps=" + totalTimesteps);
        }
    }
}
