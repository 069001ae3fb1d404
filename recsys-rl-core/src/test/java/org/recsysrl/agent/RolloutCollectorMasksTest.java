package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.env.ActionMasks;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.util.Rng;

/**
 * The rollout keeps every step's action mask in its row, also when a mask takes more than one
 * 64-bit word (70 actions: two words per row).
 */
class RolloutCollectorMasksTest {

    @Test
    void masksOfTwoWordsAreStoredRowByRow() {
        int k = 70;
        int steps = 6;
        int n = 3;
        List<MaskedEnv> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new MaskedEnv(k, steps, 40 + i));
        }
        VectorEnv env = new VectorEnv(list);
        env.reset();
        assertThat(env.maskWords()).isEqualTo(2);
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(k, k),
                PolicyNetworkConfig.of(List.of(8), List.of(8), Activation.TANH, WeightInit.PYTORCH), new Rng(1));
        RolloutCollector collector = new RolloutCollector(env, model, new Rng(2));
        RolloutBuffer buffer = new RolloutBuffer(steps, n, k, env.maskWords());
        collector.collect(buffer);
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < n; i++) {
                int row = t * n + i;
                int off = row * buffer.maskWords;
                // step t of an episode: item 0 and the t items shown so far are masked
                assertThat(ActionMasks.count(buffer.masks, off, k)).as("row %d", row).isEqualTo(k - 1 - t);
                assertThat(ActionMasks.isAllowed(buffer.masks, off, buffer.actions[row])).isTrue();
                assertThat(ActionMasks.isAllowed(buffer.masks, off, 0)).isFalse();
                for (int earlier = i; earlier < row; earlier += n) {
                    assertThat(ActionMasks.isAllowed(buffer.masks, off, buffer.actions[earlier])).isFalse();
                }
            }
        }
        assertThat(collector.env()).isSameAs(env);
        assertThat(collector.episodes().count()).isEqualTo(n);
    }
}
