package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The rollout buffer's sizes and its explained variance by hand. */
class RolloutBufferTest {

    /**
     * R = (1, 2, 3, 6), V = (0, 2, 2, 4): mean R = 3, R − V = (1, 0, 1, 2) with mean 1;
     * Var(R)·n = 4 + 1 + 0 + 9 = 14, Var(R − V)·n = 0 + 1 + 0 + 1 = 2: 1 − 2/14 = 6/7.
     */
    @Test
    void explainedVarianceByHand() {
        RolloutBuffer b = new RolloutBuffer(2, 2, 3);
        assertThat(b.steps()).isEqualTo(2);
        assertThat(b.envs()).isEqualTo(2);
        assertThat(b.size()).isEqualTo(4);
        assertThat(b.slateSize()).isEqualTo(1);
        System.arraycopy(new float[] {1f, 2f, 3f, 6f}, 0, b.returns, 0, 4);
        System.arraycopy(new float[] {0f, 2f, 2f, 4f}, 0, b.values, 0, 4);
        assertThat(b.explainedVariance()).isCloseTo(6.0 / 7, within(1e-12));
        System.arraycopy(new float[] {5f, 5f, 5f, 5f}, 0, b.returns, 0, 4);
        assertThat(b.explainedVariance()).isNaN();
        RolloutBuffer slates = new RolloutBuffer(3, 2, 4, 0, 0, 3);
        assertThat(slates.slateSize()).isEqualTo(3);
        assertThat(slates.size()).isEqualTo(6);
        assertThat(slates.actions).hasSize(18);
    }
}
