package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.AdvantageNormalisation;
import org.recsysrl.config.A2cConfig;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.config.PpoConfig;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.util.Rng;

/**
 * Any correct actor-critic learner must solve the {@link IdentityEnv} task (K = 10 actions, episodes
 * of L = 10 steps, best return 10, random policy 1) within a small seeded budget: at least 90% of
 * the best return, both for the deterministic greedy policy on fresh episodes and for the
 * stochastic policy's own training episodes at the end of the run.
 *
 * <p>The budgets reach the target with a wide margin for seed 1 and for seeds 2–8 (checked by hand):
 * PPO solves greedily within 5 iterations and samples at ≥ 0.98 by 25; A2C solves greedily within
 * 35–75 updates and samples at ≥ 0.95 by 250.
 */
class IdentityLearningTest {
    private static final int K = 10;
    private static final int L = 10;
    private static final double TARGET = 0.9;
    private static final long SEED = 1;
    private static final PolicyNetworkConfig MODEL = PolicyNetworkConfig.of(List.of(32), List.of(32), Activation.TANH, WeightInit.PYTORCH);

    static VectorEnv identityEnvs(int n, long seed) {
        List<IdentityEnv> envs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            envs.add(new IdentityEnv(K, L, Rng.stream(seed, 1000 + i).nextLong()));
        }
        VectorEnv v = new VectorEnv(envs);
        v.reset();
        return v;
    }

    @Test
    void ppoSolvesTheIdentityTask() {
        // γ is irrelevant to a task whose actions do not affect the future; a small γ keeps the
        // values (time-limit bootstrapped, so r/(1-γ)) small.
        PpoConfig cfg = new PpoConfig(3e-3, 0.5, 0.9, 0.2, 0.0, 0.5, 0.5, 4, 64, 256, 4, AdvantageNormalisation.ROLLOUT, false, 0.0,
                false, 0.9, 0.999, 1e-8);
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(K, K), MODEL, Rng.stream(SEED, 1));
        Ppo ppo = new Ppo(cfg, model, identityEnvs(cfg.numEnvs(), SEED), Rng.stream(SEED, 2), Rng.stream(SEED, 3),
                25 * 256);
        double before = greedyScore(model, SEED + 99);
        train(ppo, 25, 5);
        assertLearned(model, ppo, before);
    }

    @Test
    void a2cSolvesTheIdentityTask() {
        A2cConfig cfg = new A2cConfig(3e-3, 0.5, 0.9, 0.0, 0.5, 0.5, 8, 8, false, 0.9, 0.999, 1e-8);
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(K, K), MODEL, Rng.stream(SEED, 1));
        A2c a2c = new A2c(cfg, model, identityEnvs(cfg.numEnvs(), SEED), Rng.stream(SEED, 2), 250 * 64);
        double before = greedyScore(model, SEED + 99);
        train(a2c, 250, 10);
        assertLearned(model, a2c, before);
    }

    /** Runs {@code iterations}, forgetting the episodes of all but the last {@code tail}. */
    private static void train(Learner learner, int iterations, int tail) {
        for (int it = 0; it < iterations; it++) {
            if (it == iterations - tail) {
                learner.collector().episodes().drain();
            }
            learner.iterate();
        }
    }

    private static void assertLearned(ActorCritic model, Learner learner, double before) {
        assertThat(before).as("an untrained policy is far from the target (the test is not vacuous)")
                .isLessThan(0.5);
        EpisodeTally tail = learner.collector().episodes();
        assertThat(tail.count()).as("episodes at the end of training").isGreaterThanOrEqualTo(20);
        assertThat(tail.meanReturn() / L).as("training return / best return over the last episodes")
                .isGreaterThanOrEqualTo(TARGET);
        assertThat(greedyScore(model, SEED + 99)).as("greedy return / best return on fresh episodes")
                .isGreaterThanOrEqualTo(TARGET);
    }

    /** Mean return / L of the greedy (argmax) policy over 40 fresh episodes. */
    static double greedyScore(ActorCritic model, long seed) {
        int n = 8;
        VectorEnv env = identityEnvs(n, seed);
        ActorCriticPolicy greedy = new ActorCriticPolicy("greedy", model, true, new Rng(0), n);
        int[] actions = new int[n];
        double total = 0;
        int episodes = 0;
        while (episodes < 40) {
            greedy.act(env.observations(), n, actions);
            env.step(actions);
            for (int i = 0; i < n; i++) {
                if (env.truncated()[i]) {
                    total += env.lastEpisodeReturn(i);
                    episodes++;
                }
            }
        }
        return total / episodes / L;
    }
}
