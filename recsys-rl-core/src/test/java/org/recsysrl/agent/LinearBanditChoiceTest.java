package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/** LinUCB's bound and choice by hand, the settings' limits, and one choice per batch row. */
class LinearBanditChoiceTest {

    /** Before any learning A⁻¹ = I/λ: the bound of x = (1, 2) with λ = 2, α = 3 is 3·√(5/2). */
    @Test
    void theExplorationBonusUsesTheRidgeInverse() {
        LinearBandit b = LinearBandit.linUcb(2, 2, 2.0, 3.0);
        float[] x = {1f, 2f};
        assertThat(b.quadratic(0, x, 0)).isCloseTo(2.5, within(1e-12));
        assertThat(b.upperBound(0, x, 0)).isCloseTo(3 * Math.sqrt(2.5), within(1e-12));
        // one reward r = 3 on arm 1 for x = (1, 2): A = 2I + x xᵀ, θ = A⁻¹ (3x) = 3x / (2 + |x|²) = (3, 6) / 7
        b.learn(x, 0, 1, 3f);
        assertThat(b.estimate(1, x, 0)).isCloseTo(15.0 / 7, within(1e-12));
        // xᵀA⁻¹x = |x|²/λ − (|x|²/λ)² / (1 + |x|²/λ) = 2.5 − 6.25 / 3.5
        double q = 2.5 - 6.25 / 3.5;
        assertThat(b.quadratic(1, x, 0)).isCloseTo(q, within(1e-12));
        assertThat(b.upperBound(1, x, 0)).isCloseTo(15.0 / 7 + 3 * Math.sqrt(q), within(1e-12));
        assertThat(b.estimate(0, x, 0)).isZero();
    }

    /** Equal bounds go to the lower index; each row of a batch reads its own observation. */
    @Test
    void choosesPerRowWithTiesToTheLowerIndex() {
        LinearBandit b = LinearBandit.linUcb(3, 2, 1.0, 0.0);
        int[] actions = new int[2];
        b.act(new float[] {1f, 0f, 0f, 1f}, 2, actions);
        assertThat(actions).containsExactly(0, 0);
        b.learn(new float[] {1f, 0f}, 0, 2, 1f); // arm 2 pays in context (1, 0)
        b.learn(new float[] {0f, 1f}, 0, 1, 1f); // arm 1 pays in context (0, 1)
        b.act(new float[] {1f, 0f, 0f, 1f}, 2, actions);
        assertThat(actions).containsExactly(2, 1);
        assertThat(b.name()).isEqualTo("linucb");
    }

    @Test
    void epsilonOneIsUniformAndEpsilonZeroIsGreedy() {
        LinearBandit always = LinearBandit.epsilonGreedy(4, 1, 1.0, 1.0, new Rng(3));
        always.learn(new float[] {1f}, 0, 2, 5f);
        int[] counts = new int[4];
        int[] action = new int[1];
        for (int i = 0; i < 400; i++) {
            always.act(new float[] {1f}, 1, action);
            counts[action[0]]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(60, 140);
        }
        LinearBandit never = LinearBandit.epsilonGreedy(4, 1, 1.0, 0.0, new Rng(3));
        never.learn(new float[] {1f}, 0, 2, 5f);
        for (int i = 0; i < 20; i++) {
            never.act(new float[] {1f}, 1, action);
            assertThat(action[0]).isEqualTo(2);
        }
        assertThat(never.name()).isEqualTo("epsilon-greedy");
    }

    @Test
    void settingsAtTheirLimitsAreAcceptedAndBeyondThemRefused() {
        LinearBandit.linUcb(1, 1, Double.MIN_VALUE, 0.0);
        LinearBandit.epsilonGreedy(1, 1, 1.0, 0.0, new Rng(1));
        LinearBandit.epsilonGreedy(1, 1, 1.0, 1.0, new Rng(1));
        assertThatThrownBy(() -> LinearBandit.linUcb(0, 1, 1.0, 0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinearBandit.linUcb(1, 0, 1.0, 0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinearBandit.linUcb(1, 1, 0.0, 0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinearBandit.linUcb(1, 1, 1.0, -1e-9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinearBandit.epsilonGreedy(1, 1, 1.0, 1.0 + 1e-9, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinearBandit.epsilonGreedy(1, 1, 1.0, -1e-9, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
