package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.NonFiniteException;
import org.recsysrl.util.Rng;

/** A NaN in the critic is caught in the loss, before the optimiser step writes anything. */
class DivergenceCheckTest {
    private static final SimulatorSpec SPEC = new SimulatorSpec(12, 6, 4, 4, 5, 0.9, 0.05, 11);
    private static final PpoConfig CFG = new PpoConfig(1e-3, 0.99, 0.95, 0.2, 0.01, 0.5, 0.5, 2, 16, 32, 2,
            AdvantageNormalisation.ROLLOUT, false, 0, false, 0.9, 0.999, 1e-8);
    private static final PolicyNetworkConfig MODEL = PolicyNetworkConfig.of(List.of(8), List.of(8), Activation.TANH, WeightInit.ORTHOGONAL);

    private static Ppo ppo(ActorCritic model) {
        return ppo(model, 1);
    }

    private static Ppo ppo(ActorCritic model, int threads) {
        return ppo(SPEC, model, threads);
    }

    private static Ppo ppo(SimulatorSpec spec, ActorCritic model, int threads) {
        SimulatorWorld world = new SimulatorWorld(spec);
        List<RecommendationEnv> envs = new ArrayList<>();
        for (int i = 0; i < CFG.numEnvs(); i++) {
            envs.add(world.newEnvironment(100 + i));
        }
        VectorEnv env = new VectorEnv(envs);
        env.reset();
        return new Ppo(CFG, model, env, new Rng(2), new Rng(3), 10 * CFG.nSteps(), threads, spec != SPEC);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} threads, {1} items")
    @org.junit.jupiter.params.provider.CsvSource({"1, 12", "2, 12", "3, 12", "2, 50", "3, 50"})
    void aNanValueWeightStopsTheUpdateBeforeTheStep(int threads, int items) {
        // 12 items: the row split on 2 and 3 threads; 50 items: the output split (asked for)
        SimulatorSpec spec = items == SPEC.numItems() ? SPEC : new SimulatorSpec(items, 6, 4, 4, 5, 0.9, 0.05, 11);
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(spec.observationSize(), spec.numItems()), MODEL, new Rng(1));
        ParameterStore params = model.parameters();
        ParameterStore.Entry value = params.entries().stream().filter(e -> e.name().startsWith("critic.value"))
                .findFirst().orElseThrow();
        params.data()[value.offset()] = Float.NaN;
        float[] before = params.data().clone();
        Ppo ppo = ppo(spec, model, threads);
        if (threads > 1) {
            assertThat(ppo.threadedStep()).isInstanceOf(items == 50 ? OutputSplitMinibatch.class
                    : ParallelMinibatch.class);
        }
        assertThatThrownBy(ppo::iterate).isInstanceOf(NonFiniteException.class)
                .hasMessage("the value loss is NaN");
        // no Adam step was taken: every parameter (the NaN one included) is as it was
        assertThat(java.util.Arrays.equals(params.data(), before)).isTrue();
        assertThat(ppo.optimizer().stepCount()).isZero();
    }

    @Test
    void aNanPolicyWeightIsReportedAsTheLogitsInTheRollout() {
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(SPEC.observationSize(), SPEC.numItems()), MODEL, new Rng(1));
        ParameterStore params = model.parameters();
        ParameterStore.Entry actor = params.entries().stream().filter(e -> e.name().startsWith("actor"))
                .findFirst().orElseThrow();
        java.util.Arrays.fill(params.data(), actor.offset(), actor.offset() + actor.length(), Float.NaN);
        assertThatThrownBy(ppo(model)::iterate).isInstanceOf(NonFiniteException.class)
                .hasMessage("a logit of the softmax is NaN");
    }

    @Test
    void aHealthyUpdateIsNotReported() {
        Ppo ppo = ppo(new ActorCritic(ActorCritic.Spec.of(SPEC.observationSize(), SPEC.numItems()), MODEL, new Rng(1)));
        assertThat(ppo.iterate().minibatches()).isPositive();
    }
}
