package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.AdvantageNormalisation;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.config.PpoConfig;
import org.recsysrl.env.RecommendationEnv;
import org.recsysrl.env.SimulatorSpec;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.util.Rng;

/**
 * What one PPO update reports: how many minibatches it took, and the loss terms of a first
 * minibatch, whose policy is still the one that collected the rollout (ratio 1: no KL, nothing
 * clipped, a policy loss of −mean(A) = 0 after normalisation).
 */
class PpoUpdateStatsTest {
    private static final SimulatorSpec SPEC = new SimulatorSpec(12, 6, 4, 4, 5, 0.9, 0.05, 11);
    private static final PolicyNetworkConfig MODEL = PolicyNetworkConfig.of(List.of(16), List.of(16), Activation.TANH, WeightInit.ORTHOGONAL);
    private static final int N_STEPS = 64;
    private static final int NUM_ENVS = 4;

    private static PpoConfig config(double lr, int epochs, int batchSize, double targetKl) {
        return new PpoConfig(lr, 0.99, 0.95, 0.2, 0.01, 0.5, 0.5, epochs, batchSize, N_STEPS, NUM_ENVS,
                AdvantageNormalisation.ROLLOUT, false, targetKl, false, 0.9, 0.999, 1e-8);
    }

    private static UpdateStats firstUpdate(PpoConfig cfg) {
        SimulatorWorld world = new SimulatorWorld(SPEC);
        List<RecommendationEnv> envs = new ArrayList<>();
        for (int i = 0; i < NUM_ENVS; i++) {
            envs.add(world.newEnvironment(100 + i));
        }
        VectorEnv env = new VectorEnv(envs);
        env.reset();
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(SPEC.observationSize(), SPEC.numItems()), MODEL,
                new Rng(1));
        return new Ppo(cfg, model, env, new Rng(2), new Rng(3), 10L * N_STEPS).iterate();
    }

    /** 64 rollout rows in minibatches of 24: 3 per epoch (24, 24, 16), over 3 epochs. */
    @Test
    void everyEpochCoversTheRolloutInCeilOfRowsOverBatchMinibatches() {
        assertThat(firstUpdate(config(1e-3, 3, 24, 0)).minibatches()).isEqualTo(9);
        assertThat(firstUpdate(config(1e-3, 2, 16, 0)).minibatches()).isEqualTo(8);
        assertThat(firstUpdate(config(1e-3, 1, 64, 0)).minibatches()).isEqualTo(1);
    }

    @Test
    void theFirstMinibatchSeesTheRolloutPolicy() {
        UpdateStats s = firstUpdate(config(1e-3, 1, 64, 0));
        assertThat(s.approxKl()).isCloseTo(0, within(1e-7));
        assertThat(s.clipFraction()).isZero();
        assertThat(s.policyLoss()).isCloseTo(0, within(1e-5)); // −mean of normalised advantages
        assertThat(s.entropy()).isBetween(0.5 * Math.log(SPEC.numItems()), Math.log(SPEC.numItems()) + 1e-6);
        assertThat(s.valueLoss()).isPositive();
        assertThat(s.learningRate()).isEqualTo(1e-3);
        assertThat(s.gradNorm()).isPositive();
    }

    /** A target KL stops the update at the first minibatch that exceeds it: the second one here. */
    @Test
    void aTargetKlStopsTheUpdateEarly() {
        UpdateStats unlimited = firstUpdate(config(1e-2, 4, 16, 0));
        assertThat(unlimited.minibatches()).isEqualTo(16);
        // the reported terms are means over the 16 minibatches: each stays in its own range
        assertThat(unlimited.entropy()).isBetween(0.0, Math.log(SPEC.numItems()) + 1e-6);
        assertThat(unlimited.clipFraction()).isBetween(1.0 / (16 * 16), 1.0); // lr 1e-2 clips some samples
        assertThat(unlimited.approxKl()).isBetween(0.0, 1.0);
        assertThat(unlimited.valueLoss()).isPositive();
        UpdateStats stopped = firstUpdate(config(1e-2, 4, 16, 1e-6));
        assertThat(stopped.minibatches()).isEqualTo(2);
        assertThat(stopped.approxKl()).isGreaterThan(1e-6 / 2); // the mean of ~0 and the stopping KL
    }
}
