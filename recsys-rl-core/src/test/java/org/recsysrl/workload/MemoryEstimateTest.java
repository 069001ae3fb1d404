package org.recsysrl.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.util.UserInputException;

class MemoryEstimateTest {
    /** A2C, 10 items, 3 users, observation 4, item vectors 2, one hidden layer of 5 in actor and critic. */
    @Test
    void handComputedSmallCase() {
        RunConfig cfg = ConfigJson.withOverrides(RunConfig.original(), List.of("a2c.n_steps=3", "a2c.num_envs=2",
                "model.actor_hidden_dims=5", "model.critic_hidden_dims=5", "model.actor_head=logits"));
        List<MemoryEstimate.Part> parts = MemoryEstimate.parts(cfg, Algorithm.A2C, 10, 3, 4, 2);
        // actor MLP 4→5 (25) + its last layer stand-in 5+1 (6); critic 4→5 (25) + value 5+1 (6);
        // logits head 10 × (5 + 1) = 60: 122 parameters × 24 bytes
        assertThat(parts.get(0).bytes()).isEqualTo(122 * 24);
        // 6 rows (3 steps × 2 envs) × 10 items × 16 bytes
        assertThat(parts.get(1).bytes()).isEqualTo(6 * 10 * 16);
        // 6 rows × (5 + 5 + 4) × 16
        assertThat(parts.get(2).bytes()).isEqualTo(6 * 14 * 16);
        // 6 rows × (4 × (4 + 0 + 8) + 8 × 1 mask word)
        assertThat(parts.get(3).bytes()).isEqualTo(6 * (4 * 12 + 8));
        // (10 + 3) × 2 × 8
        assertThat(parts.get(4).bytes()).isEqualTo(13 * 2 * 8);
    }

    @Test
    void refusesWhenTheSumPassesNinetyPercentAndNamesTheLargestPart() {
        List<MemoryEstimate.Part> parts = List.of(new MemoryEstimate.Part("small", 100),
                new MemoryEstimate.Part("the big one", 800));
        MemoryEstimate.require(parts, 1000); // 900 ≤ 900
        assertThatThrownBy(() -> MemoryEstimate.require(parts, 999)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("the largest part is the big one");
    }
}
