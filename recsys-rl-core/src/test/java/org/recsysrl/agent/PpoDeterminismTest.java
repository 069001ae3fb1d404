package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
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

/** Same seeds and setup ⇒ bit-identical PPO; another seed ⇒ another result. */
class PpoDeterminismTest {
    private static final SimulatorSpec SPEC = new SimulatorSpec(12, 6, 4, 4, 5, 0.9, 0.05, 11);
    // Every optional code path on: minibatch normalisation, value clipping, target KL, annealing.
    private static final PpoConfig CFG = new PpoConfig(1e-3, 0.99, 0.95, 0.2, 0.01, 0.5, 0.5, 3, 16, 64, 4,
            AdvantageNormalisation.MINIBATCH, true, 0.5, true, 0.9, 0.999, 1e-8);
    private static final PolicyNetworkConfig MODEL = PolicyNetworkConfig.of(List.of(16, 8), List.of(16), Activation.TANH, WeightInit.ORTHOGONAL);

    private record Run(float[] initial, float[] params, List<UpdateStats> stats) {
    }

    /** Two iterations from master seed {@code seed}; {@code shuffleSeed} overrides the minibatch stream. */
    private static Run run(long seed, long shuffleSeed) {
        SimulatorWorld world = new SimulatorWorld(SPEC);
        List<RecommendationEnv> envs = new ArrayList<>();
        for (int i = 0; i < CFG.numEnvs(); i++) {
            envs.add(world.newEnvironment(Rng.stream(seed, 1000 + i).nextLong()));
        }
        VectorEnv env = new VectorEnv(envs);
        env.reset();
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(SPEC.observationSize(), SPEC.numItems()), MODEL, Rng.stream(seed, 1));
        float[] initial = model.parameters().data().clone();
        Ppo ppo = new Ppo(CFG, model, env, Rng.stream(seed, 2), Rng.stream(shuffleSeed, 3), 10 * CFG.nSteps());
        List<UpdateStats> stats = new ArrayList<>();
        stats.add(ppo.iterate());
        stats.add(ppo.iterate());
        return new Run(initial, model.parameters().data().clone(), stats);
    }

    @Test
    void identicalSeedsGiveBitIdenticalParameters() {
        Run a = run(5, 5);
        Run b = run(5, 5);
        assertThat(Arrays.equals(a.params(), b.params())).as("parameters bit-identical").isTrue();
        assertThat(a.stats()).as("update statistics identical").isEqualTo(b.stats());
        assertThat(Arrays.equals(a.initial(), a.params())).as("training changed the parameters").isFalse();
        assertThat(a.stats()).allSatisfy(s -> assertThat(s.minibatches()).isPositive());
    }

    @Test
    void anotherSeedGivesOtherParameters() {
        Run a = run(5, 5);
        assertThat(Arrays.equals(a.params(), run(6, 6).params())).as("another master seed").isFalse();
        // Same initialisation, environments and action samples: only the minibatch order differs.
        Run shuffled = run(5, 6);
        assertThat(Arrays.equals(a.initial(), shuffled.initial())).isTrue();
        assertThat(Arrays.equals(a.params(), shuffled.params())).as("another minibatch stream").isFalse();
    }
}
