package org.recsysrl.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;

/**
 * The tiny training run the tests share: the command-line arguments (used by the CLI module's
 * tests through the core test jar) and the config they resolve to (used here without the CLI).
 */
public final class TinyRuns {
    /** Arguments of a {@code train} run small enough for a unit test. */
    public static final List<String> TINY = List.of(
            "--preset", "original",
            "--set", "env.num_items=50", "--set", "env.num_users=10",
            "--set", "ppo.n_steps=64", "--set", "ppo.num_envs=2", "--set", "ppo.batch_size=16",
            "--set", "ppo.update_epochs=2",
            "--set", "a2c.n_steps=8", "--set", "a2c.num_envs=2",
            "--set", "model.actor_hidden_dims=16", "--set", "model.critic_hidden_dims=16",
            "--no-progress");

    private TinyRuns() {
    }

    /** The config that {@code train} builds for {@link #TINY} plus {@code extra} in {@code dir}. */
    public static RunConfig tinyConfig(Path dir, long total, String... extra) {
        List<String> args = new ArrayList<>(TINY);
        args.addAll(List.of(extra));
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--set")) {
                sets.add(args.get(++i));
            }
        }
        sets.add("train.total_timesteps=" + total);
        sets.add("train.log_dir=" + dir.resolve("logs"));
        sets.add("train.checkpoint_dir=" + dir.resolve("ck"));
        return ConfigJson.withOverrides(RunConfig.original(), sets);
    }
}
