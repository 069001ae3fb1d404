package org.recsysrl.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;

/**
 * Guards that the default settings learn: a short seeded run on the default simulator must
 * personalise well beyond the best constant item. Budgets and thresholds come from the sweeps in
 * docs/learning.md (30k steps reach P ≈ 0.9 for PPO and ≈ 0.8 for A2C there); nothing is timed.
 */
class LearningTest {
    private static final long STEPS = 30_000;
    private static final double MIN_P = 0.5;

    @ParameterizedTest
    @ValueSource(strings = {"ppo", "a2c"})
    void defaultSettingsLearnToPersonaliseWithinAShortBudget(String algo) {
        RunConfig cfg = ConfigJson.withOverrides(RunConfig.defaults(),
                List.of("train.total_timesteps=" + STEPS, "train.seed=1"));
        Sweep.Outcome o = Sweep.runOne(new Sweep.Job("default", algo, cfg, 1), 100, 0);
        System.out.printf("%s: P argmax %.3f, sampled %.3f after %d steps%n", algo, o.personalisation(),
                o.sampledPersonalisation(), o.steps());
        assertThat(o.personalisation()).as("P (argmax) of %s after %d steps", algo, STEPS).isGreaterThanOrEqualTo(MIN_P);
        // the report must compare against the real references: the oracle beats the best constant item
        assertThat(o.argmax().summary("greedy-oracle").total())
                .isGreaterThan(o.argmax().summary("best-constant").total() + 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ppo", "a2c"})
    void theOriginalSettingsDoNotPersonaliseInTheSameBudget(String algo) {
        // the contrast that makes the test above meaningful: the original's settings stay near P = 0
        RunConfig cfg = ConfigJson.withOverrides(RunConfig.original(),
                List.of("train.total_timesteps=" + STEPS, "train.seed=1"));
        Sweep.Outcome o = Sweep.runOne(new Sweep.Job("original", algo, cfg, 1), 100, 0);
        System.out.printf("%s original: P argmax %.3f after %d steps%n", algo, o.personalisation(), o.steps());
        assertThat(o.personalisation()).isLessThan(MIN_P);
    }
}
