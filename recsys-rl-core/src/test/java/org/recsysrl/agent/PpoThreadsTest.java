package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recsysrl.config.AdvantageNormalisation;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.config.PpoConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.RecommendationEnv;
import org.recsysrl.env.SimulatorSpec;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * PPO with each minibatch's step on several threads ({@code ppo.threads}, {@link ParallelMinibatch}):
 * bit-identical for a given thread count, within rounding of one thread, and one thread unless
 * asked. The gradient itself is checked against finite differences in
 * {@link ActorCriticLossGradientTest}.
 */
class PpoThreadsTest {
    private static final SimulatorSpec SPEC = new SimulatorSpec(12, 6, 4, 4, 5, 0.9, 0.05, 11);
    /** 50 items: enough for 16 logits outputs per thread on 2 and 3 threads, so the output split runs. */
    private static final SimulatorSpec WIDE = new SimulatorSpec(50, 6, 4, 4, 5, 0.9, 0.05, 11);
    /**
     * Every optional code path on (minibatch normalisation, value clipping, target KL, annealing);
     * 66 steps in minibatches of 16 leave a last minibatch of 2 rows, fewer than 3 threads.
     */
    private static final PpoConfig CFG = new PpoConfig(1e-3, 0.99, 0.95, 0.2, 0.01, 0.5, 0.5, 3, 16, 66, 2,
            AdvantageNormalisation.MINIBATCH, true, 0.5, true, 0.9, 0.999, 1e-8);
    /** One minibatch of the whole rollout, one epoch: the first update's gradient is comparable across thread counts. */
    private static final PpoConfig ONE_MINIBATCH = new PpoConfig(1e-3, 0.99, 0.95, 0.2, 0.01, 0.5, 0.5, 1, 64, 64, 4,
            AdvantageNormalisation.ROLLOUT, false, 0.0, false, 0.9, 0.999, 1e-8);
    private static final PolicyNetworkConfig MODEL = PolicyNetworkConfig.of(List.of(16, 8), List.of(16),
            Activation.TANH, WeightInit.ORTHOGONAL);

    private record Run(float[] params, float[] grad, List<UpdateStats> stats) {
    }

    private static Run run(PpoConfig cfg, int threads, int iterations) {
        return run(SPEC, cfg, threads, iterations);
    }

    private static Run run(SimulatorSpec spec, PpoConfig cfg, int threads, int iterations) {
        long seed = 5;
        SimulatorWorld world = new SimulatorWorld(spec);
        List<RecommendationEnv> envs = new ArrayList<>();
        for (int i = 0; i < cfg.numEnvs(); i++) {
            envs.add(world.newEnvironment(Rng.stream(seed, 1000 + i).nextLong()));
        }
        VectorEnv env = new VectorEnv(envs);
        env.reset();
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(spec.observationSize(), spec.numItems()), MODEL,
                Rng.stream(seed, 1));
        // the wide simulator runs the output split, the other the row split (the default)
        Ppo ppo = new Ppo(cfg, model, env, Rng.stream(seed, 2), Rng.stream(seed, 3), 10L * cfg.nSteps(), threads,
                spec == WIDE);
        assertThat(ppo.threads()).isEqualTo(threads);
        if (threads > 1) {
            assertThat(ppo.threadedStep()).as("the split this test means")
                    .isInstanceOf(spec == WIDE ? OutputSplitMinibatch.class : ParallelMinibatch.class);
        }
        List<UpdateStats> stats = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            stats.add(ppo.iterate());
        }
        return new Run(model.parameters().data().clone(), model.parameters().grad().clone(), stats);
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 3})
    void aGivenThreadCountGivesBitIdenticalRuns(int threads) {
        Run a = run(CFG, threads, 2);
        Run b = run(CFG, threads, 2);
        assertThat(Arrays.equals(a.params(), b.params())).as("parameters bit-identical").isTrue();
        assertThat(a.stats()).as("update statistics identical").isEqualTo(b.stats());
        assertThat(a.stats()).allSatisfy(s -> assertThat(s.minibatches()).isPositive());
    }

    /** The output split ({@link OutputSplitMinibatch}): the same bits run after run, with a last minibatch of 2 rows. */
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 3})
    void theOutputSplitGivesBitIdenticalRuns(int threads) {
        Run a = run(WIDE, CFG, threads, 2);
        Run b = run(WIDE, CFG, threads, 2);
        assertThat(Arrays.equals(a.params(), b.params())).as("parameters bit-identical").isTrue();
        assertThat(a.stats()).as("update statistics identical").isEqualTo(b.stats());
        assertThat(a.stats()).allSatisfy(s -> assertThat(s.minibatches()).isPositive());
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 3, 4})
    void theFirstUpdateFollowsOneThreadWithinRounding(int threads) {
        firstUpdateFollowsOneThread(SPEC, threads);
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 3})
    void theOutputSplitsFirstUpdateFollowsOneThreadWithinRounding(int threads) {
        firstUpdateFollowsOneThread(WIDE, threads);
    }

    private static void firstUpdateFollowsOneThread(SimulatorSpec spec, int threads) {
        Run one = run(spec, ONE_MINIBATCH, 1, 1);
        Run many = run(spec, ONE_MINIBATCH, threads, 1);
        float[] g1 = one.grad();
        float[] gt = many.grad();
        double scale = 0;
        for (float g : g1) {
            scale = Math.max(scale, Math.abs(g));
        }
        assertThat(scale).as("a gradient to compare").isGreaterThan(1e-3);
        boolean anyDiffers = false;
        for (int i = 0; i < g1.length; i++) {
            assertThat((double) gt[i]).as("gradient %d", i).isCloseTo(g1[i],
                    org.assertj.core.data.Offset.offset(1e-5 * scale + 1e-7));
            anyDiffers |= gt[i] != g1[i];
        }
        UpdateStats s1 = one.stats().get(0);
        UpdateStats st = many.stats().get(0);
        assertThat(st.policyLoss()).isCloseTo(s1.policyLoss(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(st.valueLoss()).isCloseTo(s1.valueLoss(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(st.entropy()).isCloseTo(s1.entropy(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(st.gradNorm()).isCloseTo(s1.gradNorm(), org.assertj.core.data.Offset.offset(1e-6 * s1.gradNorm()));
        assertThat(st.approxKl()).isCloseTo(s1.approxKl(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(st.clipFraction()).isCloseTo(s1.clipFraction(), org.assertj.core.data.Offset.offset(1e-9));
        // the contributions are added in another order: the same bits everywhere would mean
        // that the threaded path did not run
        assertThat(anyDiffers).as("some gradient differs in its last bits").isTrue();
    }

    /**
     * Action masks and an item-history encoder (the inputs a share copies for its rows, and the
     * encoder's gradient into the share's own array): the first update on 2 threads within
     * rounding of 1, and the same bits run after run.
     */
    @ParameterizedTest(name = "{0} encoder")
    @ValueSource(strings = {"gru", "attention"})
    void masksAndHistoriesGoThroughTheShares(String encoder) {
        float[][] one = maskedHistoryRun(encoder, 1);
        float[][] two = maskedHistoryRun(encoder, 2);
        float[][] again = maskedHistoryRun(encoder, 2);
        assertThat(Arrays.equals(two[0], again[0])).as("parameters bit-identical on 2 threads").isTrue();
        float[] g1 = one[1];
        float[] g2 = two[1];
        double scale = 0;
        for (float g : g1) {
            scale = Math.max(scale, Math.abs(g));
        }
        assertThat(scale).isGreaterThan(1e-3);
        for (int i = 0; i < g1.length; i++) {
            assertThat((double) g2[i]).as("gradient %d", i).isCloseTo(g1[i],
                    org.assertj.core.data.Offset.offset(1e-5 * scale + 1e-7));
        }
    }

    /** {parameters, gradient} after one one-minibatch update on masked environments with item histories. */
    private static float[][] maskedHistoryRun(String encoder, int threads) {
        int k = 10;
        int historyLength = 4;
        List<MaskedEnv> envs = new ArrayList<>();
        for (int i = 0; i < ONE_MINIBATCH.numEnvs(); i++) {
            envs.add(new MaskedEnv(k, 8, 7 + i));
        }
        VectorEnv env = new VectorEnv(envs, historyLength);
        env.reset();
        PolicyNetworkConfig model = new PolicyNetworkConfig(List.of(8), List.of(8), Activation.TANH, WeightInit.PYTORCH,
                org.recsysrl.config.ActorHeadKind.LOGITS, false, 1.0, true,
                new org.recsysrl.config.HistoryEncoderConfig(org.recsysrl.config.HistoryEncoderKind.of(encoder),
                        historyLength, 4, 1, 2));
        ActorCritic ac = new ActorCritic(ActorCritic.Spec.of(k, k), model, new Rng(1));
        Ppo ppo = new Ppo(ONE_MINIBATCH, ac, env, new Rng(2), new Rng(3), 10L * ONE_MINIBATCH.nSteps(), threads);
        assertThat(ppo.buffer.masks).isNotNull();
        assertThat(ppo.buffer.histories).isNotNull();
        ppo.iterate();
        return new float[][] {ac.parameters().data().clone(), ac.parameters().grad().clone()};
    }

    @Test
    void oneThreadIsTheDefault() {
        assertThat(PpoConfig.original().threads()).isEqualTo(1);
        assertThat(PpoConfig.defaults().threads()).isEqualTo(1);
        assertThat(CFG.threads()).isEqualTo(1);
        RunConfig two = ConfigJson.withOverride(RunConfig.original(), "ppo.threads=2");
        assertThat(two.ppo().threads()).isEqualTo(2);
        assertThatThrownBy(() -> ConfigJson.withOverride(RunConfig.original(), "ppo.threads=0"))
                .isInstanceOf(UserInputException.class).hasMessageContaining("ppo.threads must be in [1, 64]");
    }

    @Test
    void oneThreadDoesNotGoThroughTheThreadedPath() {
        // the threaded path with T = 1 is refused, so that a default run keeps its bits by construction
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(3, 4), MODEL, new Rng(1));
        assertThatThrownBy(() -> new ParallelMinibatch(model, null, CFG, new Minibatch(4, 3, 1, 0, 0), 4, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
