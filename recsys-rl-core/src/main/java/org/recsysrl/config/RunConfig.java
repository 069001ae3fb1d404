package org.recsysrl.config;

/**
 * Every setting of a run, grouped as in the original project's config. Immutable; change it with
 * {@link ConfigJson#withOverride(RunConfig, String)} or by loading JSON.
 */
public record RunConfig(EnvConfig env, ModelConfig model, PpoConfig ppo, A2cConfig a2c, TrainConfig train,
        DataConfig data, EvalConfig eval, SeqConfig seq) {

    /** A run with the default {@link DataConfig} and {@link EvalConfig} (used only on real data). */
    public RunConfig(EnvConfig env, ModelConfig model, PpoConfig ppo, A2cConfig a2c, TrainConfig train) {
        this(env, model, ppo, a2c, train, DataConfig.defaults(), EvalConfig.defaults(), SeqConfig.defaults());
    }

    /** This config with the data group replaced. */
    public RunConfig withData(DataConfig newData) {
        return new RunConfig(env, model, ppo, a2c, train, newData, eval, seq);
    }

    /** This config with the env group replaced. */
    public RunConfig withEnv(EnvConfig newEnv) {
        return new RunConfig(newEnv, model, ppo, a2c, train, data, eval, seq);
    }

    /**
     * The recommended settings, the defaults of {@code train} (preset {@code default}): the
     * original environment and run length with the model and hyperparameters that learn.
     */
    public static RunConfig defaults() {
        return new RunConfig(EnvConfig.defaults(), ModelConfig.defaults(), PpoConfig.defaults(),
                A2cConfig.defaults(), TrainConfig.defaults());
    }

    /**
     * The original project's settings exactly (preset {@code original}; with a fixed environment
     * seed): its model, PPO and A2C hyperparameters.
     */
    public static RunConfig original() {
        return new RunConfig(EnvConfig.defaults(), ModelConfig.original(), PpoConfig.original(),
                A2cConfig.original(), TrainConfig.defaults());
    }

    /**
     * Checks every value and every cross-field rule.
     *
     * @return this config
     * @throws org.recsysrl.util.UserInputException naming the first offending key
     */
    public RunConfig validate() {
        env.validate();
        model.validate();
        ppo.validate();
        a2c.validate();
        train.validate();
        data.validate();
        eval.validate();
        seq.validate();
        if (env.ratingLog()) {
            Validation.check(!data.path().isEmpty(),
                    "env.type=movielens needs data.path: pass --data DIR (a MovieLens folder or ratings file)");
        }
        if (env.logs()) {
            Validation.check(!data.path().isEmpty(),
                    "env.type=logs needs data.path: pass --data PATH (an interaction log or a MovieLens folder)");
        }
        return this;
    }
}
