package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.A2cConfig;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.util.Rng;

/**
 * An on-policy learner's bookkeeping through A2C: steps and updates counted, the annealed learning
 * rate {@code lr · (1 − updates / totalUpdates)} with {@code totalUpdates = ⌈totalTimesteps / (T·N)⌉},
 * given to the optimiser and reported.
 */
class A2cCountersTest {
    @Test
    void countsStepsAndUpdatesAndAnnealsTheLearningRateOverTheRun() {
        // T = 4 steps of N = 2 environments: 8 steps an update; 32 timesteps are 4 updates
        A2cConfig cfg = new A2cConfig(0.01, 0.5, 0.9, 0.0, 0.5, 0.5, 4, 2, true, 0.9, 0.999, 1e-8);
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(10, 10),
                PolicyNetworkConfig.of(List.of(4), List.of(4), Activation.TANH, WeightInit.PYTORCH), new Rng(5));
        Rng actions = new Rng(6);
        A2c a2c = new A2c(cfg, model, IdentityLearningTest.identityEnvs(2, 7), actions, 32);
        assertThat(a2c.algorithm()).isEqualTo("a2c");
        assertThat(a2c.model()).isSameAs(model);
        assertThat(a2c.stepsPerIteration()).isEqualTo(8);
        assertThat(a2c.randomStreams()).containsOnlyKeys("actions");
        assertThat(a2c.randomStreams().get("actions")).isSameAs(actions);

        double[] expectedLr = {0.01, 0.0075, 0.005};
        for (int it = 0; it < 3; it++) {
            UpdateStats stats = a2c.iterate();
            assertThat(stats.learningRate()).as("learning rate of update %d", it).isCloseTo(expectedLr[it], within(1e-12));
            assertThat(a2c.optimizer().learningRate()).isCloseTo(expectedLr[it], within(1e-12));
            assertThat(a2c.steps()).isEqualTo(8L * (it + 1));
            assertThat(a2c.updates()).isEqualTo(it + 1);
        }
        a2c.restoreCounters(100, 2);
        assertThat(a2c.steps()).isEqualTo(100);
        assertThat(a2c.iterate().learningRate()).isCloseTo(0.005, within(1e-12));
        assertThat(a2c.steps()).isEqualTo(108);
    }
}
