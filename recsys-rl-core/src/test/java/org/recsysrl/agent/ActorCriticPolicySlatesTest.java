package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.util.Rng;

/** A trained actor of slates as a policy: the K most probable actions of each row, best first, or K sampled ones. */
class ActorCriticPolicySlatesTest {
    private static final int OBS = 4;
    private static final int ACTIONS = 6;
    private static final int K = 2;
    private static final int BATCH = 3;

    private static ActorCritic model() {
        return new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS).slates(K),
                PolicyNetworkConfig.of(List.of(5), List.of(5), Activation.TANH, WeightInit.PYTORCH), new Rng(3));
    }

    private static float[] observations() {
        Rng rng = new Rng(4);
        float[] obs = new float[BATCH * OBS];
        for (int k = 0; k < obs.length; k++) {
            obs[k] = (float) rng.uniform(-2, 2);
        }
        return obs;
    }

    @Test
    void theGreedySlateOfEachRowIsItsTwoMostProbableActionsBestFirst() {
        ActorCriticPolicy greedy = new ActorCriticPolicy("greedy", model(), true, new Rng(0), BATCH);
        assertThat(greedy.name()).isEqualTo("greedy");
        assertThat(greedy.slateSize()).isEqualTo(K);
        int[] slates = new int[BATCH * K];
        Arrays.fill(slates, -1);
        greedy.act(observations(), BATCH, slates);
        float[] logp = greedy.lastLogProbs();
        int[] expected = new int[BATCH * K];
        for (int b = 0; b < BATCH; b++) {
            double mass = 0;
            int best = -1;
            int second = -1;
            for (int a = 0; a < ACTIONS; a++) {
                float v = logp[b * ACTIONS + a];
                mass += Math.exp(v);
                if (best < 0 || v > logp[b * ACTIONS + best]) {
                    second = best;
                    best = a;
                } else if (second < 0 || v > logp[b * ACTIONS + second]) {
                    second = a;
                }
            }
            assertThat(mass).as("row %d is a distribution", b).isCloseTo(1.0, within(1e-5));
            expected[b * K] = best;
            expected[b * K + 1] = second;
        }
        assertThat(slates).containsExactly(expected);
        assertThat(Arrays.stream(expected).boxed().distinct().count())
                .as("the rows' slates differ (the check can tell the rows apart)").isGreaterThan(K);
    }

    @Test
    void aSampledSlateHoldsDistinctActionsInEveryRow() {
        ActorCriticPolicy sampled = new ActorCriticPolicy("sampled", model(), false, new Rng(9), BATCH);
        int[] slates = new int[BATCH * K];
        Arrays.fill(slates, -1);
        sampled.act(observations(), BATCH, slates);
        for (int b = 0; b < BATCH; b++) {
            assertThat(slates[b * K]).isBetween(0, ACTIONS - 1);
            assertThat(slates[b * K + 1]).isBetween(0, ACTIONS - 1).isNotEqualTo(slates[b * K]);
        }
    }
}
