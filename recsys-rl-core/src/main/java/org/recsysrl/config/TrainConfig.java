package org.recsysrl.config;

/**
 * The training run.
 *
 * @param totalTimesteps environment steps to train for (summed over environments)
 * @param logInterval a log line and CSV row at least every this many steps (at update boundaries)
 * @param evalInterval a deterministic evaluation on held-out episodes every this many steps (0 = off)
 * @param evalEpisodes episodes of each periodic evaluation
 * @param saveInterval a checkpoint every this many steps (0 = only at the end)
 * @param logDir directory of the CSV log
 * @param checkpointDir directory of {@code <algo>.safetensors} and its training state
 * @param seed master seed of the agent: initialisation, action sampling, minibatch order,
 *     environment user draws (the catalog and users come from {@code env.seed})
 */
public record TrainConfig(
        long totalTimesteps,
        long logInterval,
        long evalInterval,
        int evalEpisodes,
        long saveInterval,
        String logDir,
        String checkpointDir,
        long seed) {

    /** The original project's defaults. */
    public static TrainConfig defaults() {
        return new TrainConfig(100_000, 1000, 10_000, 10, 50_000, "logs", "checkpoints", 42);
    }

    void validate() {
        Validation.check(totalTimesteps > 0, "train.total_timesteps must be positive (got " + totalTimesteps
                + "): pass --total-timesteps N with N > 0");
        Validation.check(logInterval > 0, "train.log_interval must be positive (got " + logInterval + ")");
        Validation.check(evalInterval >= 0, "train.eval_interval must be >= 0 (got " + evalInterval + "; 0 turns it off)");
        Validation.atMost("train.eval_episodes", evalEpisodes, 1, 1_000_000);
        Validation.check(saveInterval >= 0, "train.save_interval must be >= 0 (got " + saveInterval + "; 0 saves only at the end)");
        Validation.check(logDir != null && !logDir.isBlank(), "train.log_dir must name a directory");
        Validation.check(checkpointDir != null && !checkpointDir.isBlank(), "train.checkpoint_dir must name a directory");
    }
}
