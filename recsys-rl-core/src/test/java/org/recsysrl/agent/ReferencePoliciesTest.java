package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.env.ItemCatalog;
import org.recsysrl.env.RecommendationEnv;
import org.recsysrl.env.StepResult;
import org.recsysrl.env.SimulatorSpec;
import org.recsysrl.env.UserPopulation;
import org.recsysrl.util.Rng;

/**
 * Reference policies on a hand-built world: 4 items and 2 users in 2-D, episodes of 2 steps,
 * reward decay γ_r = 0.5, interest drift η = 0.5.
 *
 * <pre>
 *   items  e0 = (1, 0)   e1 = (0, 1)   e2 = (0.6, 0.8)   e3 = (−0.8, −0.6)      (unit vectors)
 *   users  u0 = (1, 0)   u1 = (0, 1)
 * </pre>
 */
class ReferencePoliciesTest {
    private static final SimulatorSpec SPEC = new SimulatorSpec(4, 2, 2, 2, 2, 0.5, 0.5, 0);

    private static RecommendationEnv env(long seed) {
        ItemCatalog items = new ItemCatalog(4, 2, new float[] {1f, 0f, 0f, 1f, 0.6f, 0.8f, -0.8f, -0.6f});
        UserPopulation users = new UserPopulation(2, 2, new float[] {1f, 0f, 0f, 1f});
        return new RecommendationEnv(SPEC, items, users, new Rng(seed));
    }

    @Test
    void bestConstantPicksTheItemWithTheBestMeanReturnOverUsers() {
        // Showing item a to user u twice (|e_a| = 1):
        //   r1 = u·e_a;  u1 = u + 0.5 e_a;  r2 = 0.5 · u1·e_a = 0.5 (u·e_a + 0.5)
        //   G(u, a) = 1.5 u·e_a + 0.25
        // item 0: u·e = 1, 0      -> G = 1.75, 0.25   mean 1.0
        // item 1: u·e = 0, 1      -> G = 0.25, 1.75   mean 1.0
        // item 2: u·e = 0.6, 0.8  -> G = 1.15, 1.45   mean 1.3   <- best
        // item 3: u·e = −0.8, −0.6 -> G = −0.95, −0.65 mean −0.8
        // (the best item for user 0 alone, or by the best single user, would be item 0)
        BestConstantPolicy best = BestConstantPolicy.fit(env(1));
        assertThat(best.item()).isEqualTo(2);
        assertThat(best.meanReturn()).isCloseTo(1.3, within(1e-5));
        int[] actions = {-1, -1, -1};
        best.act(new float[3 * SPEC.observationSize()], 3, actions);
        assertThat(actions).containsOnly(2);
    }

    @Test
    void greedyOraclePicksTheArgmaxOfTheCurrentUserStateDotItem() {
        RecommendationEnv a = env(1);
        RecommendationEnv b = env(2);
        int d = SPEC.observationSize();
        float[] obs = new float[2 * d];
        a.reset(0, obs, 0);
        b.reset(1, obs, d);
        GreedyOraclePolicy oracle = new GreedyOraclePolicy(List.of(a, b));
        int[] actions = new int[2];
        // user 0 = (1, 0): scores 1, 0, 0.6, −0.8 -> item 0; user 1 = (0, 1): 0, 1, 0.8, −0.6 -> item 1
        oracle.act(new float[2 * d], 2, actions);
        assertThat(actions).containsExactly(0, 1);

        // Show item 0 to user 1: u = (0, 1) + 0.5·(1, 0) = (0.5, 1)
        //   scores e0: 0.5, e1: 1, e2: 0.3 + 0.8 = 1.1, e3: −0.4 − 0.6 = −1.0 -> item 2
        b.step(0, obs, d, new StepResult());
        oracle.act(new float[2 * d], 2, actions);
        assertThat(actions).containsExactly(0, 2);
    }

    @Test
    void randomPolicyCoversEveryActionUniformly() {
        int k = 7;
        int n = 7000;
        int[] actions = new int[n];
        new RandomPolicy(k, new Rng(9)).act(new float[n], n, actions);
        int[] counts = new int[k];
        for (int a : actions) {
            assertThat(a).isBetween(0, k - 1);
            counts[a]++;
        }
        // Binomial(7000, 1/7): mean 1000, σ ≈ 29.3; ±150 is over 5σ.
        for (int a = 0; a < k; a++) {
            assertThat(counts[a]).as("count of action %d", a).isBetween(850, 1150);
        }
        int[] again = new int[n];
        new RandomPolicy(k, new Rng(9)).act(new float[n], n, again);
        assertThat(again).as("same seed, same draws").isEqualTo(actions);
    }
}
