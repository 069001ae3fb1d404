package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/**
 * The slate bandit's shared ridge regression by hand: observations are one float of context
 * followed by four candidate blocks of width 1, features x = (block, 1), λ = 1, α = 0.
 */
class SlateBanditTest {
    private static final float[] OBS = {9f, 0.5f, 3f, -1f, 2f};

    /**
     * Shown (3, −1), the user took the second (reward 1): A = I + (3,1)(3,1)ᵀ + (−1,1)(−1,1)ᵀ =
     * [[11, 2], [2, 3]], b = (−1, 1), θ = A⁻¹b = (−5, 13)/29: the score falls with the block value,
     * so the best two are candidates 2 (−1) and 0 (0.5), in that order.
     */
    @Test
    void learnsFromEveryShownPositionAndShowsTheBestFirst() {
        SlateBandit bandit = SlateBandit.linUcb(1, 1, 4, 2, 1.0, 0.0);
        assertThat(bandit.slateSize()).isEqualTo(2);
        bandit.learnSlate(OBS, 0, new int[] {7, 1, 2}, 1, 1, 1f);
        int[] slate = new int[4];
        float[] twoRows = new float[10];
        System.arraycopy(OBS, 0, twoRows, 0, 5);
        System.arraycopy(new float[] {0f, 4f, 8f, 6f, -3f}, 0, twoRows, 5, 5);
        bandit.act(twoRows, 2, slate);
        assertThat(slate).containsExactly(2, 0, 3, 0);
        assertThat(bandit.name()).isEqualTo("linucb");
    }

    /** One reward 1 on (3, 1): θ = (I + f fᵀ)⁻¹ f = f / 11, the score rises with the block value. */
    @Test
    void learnsOneShownCandidate() {
        SlateBandit bandit = SlateBandit.linUcb(1, 1, 4, 3, 1.0, 0.0);
        bandit.learn(OBS, 0, 1, 1f);
        int[] slate = new int[3];
        bandit.act(OBS, 1, slate);
        assertThat(slate).containsExactly(1, 3, 0);
    }

    @Test
    void equalScoresGoToTheLowerIndexAndASlateHoldsNoRepeats() {
        SlateBandit bandit = SlateBandit.linUcb(1, 1, 4, 4, 1.0, 0.0);
        int[] slate = new int[4];
        bandit.act(new float[] {0f, 1f, 1f, 1f, 1f}, 1, slate);
        assertThat(slate).containsExactly(0, 1, 2, 3);
    }

    @Test
    void epsilonOneShowsRandomSlatesWithoutRepeats() {
        SlateBandit bandit = SlateBandit.epsilonGreedy(1, 1, 4, 2, 1.0, 1.0, new Rng(5));
        bandit.learn(OBS, 0, 1, 1f);
        int[] slate = new int[2];
        int[] firsts = new int[4];
        for (int i = 0; i < 200; i++) {
            bandit.act(OBS, 1, slate);
            assertThat(slate[0]).isNotEqualTo(slate[1]);
            assertThat(slate[0]).isBetween(0, 3);
            assertThat(slate[1]).isBetween(0, 3);
            firsts[slate[0]]++;
        }
        for (int c : firsts) {
            assertThat(c).isBetween(25, 75);
        }
        assertThat(bandit.name()).isEqualTo("epsilon-greedy");
        SlateBandit greedy = SlateBandit.epsilonGreedy(1, 1, 4, 2, 1.0, 0.0, new Rng(5));
        greedy.learn(OBS, 0, 1, 1f);
        greedy.act(OBS, 1, slate);
        assertThat(slate).containsExactly(1, 3);
    }

    @Test
    void refusesSlatesOutsideOneToTheCandidatesAndEmptyBlocks() {
        SlateBandit.linUcb(0, 1, 3, 3, 1.0, 0.0);
        SlateBandit.linUcb(0, 1, 3, 1, 1.0, 0.0);
        assertThatThrownBy(() -> SlateBandit.linUcb(0, 1, 3, 0, 1.0, 0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlateBandit.linUcb(0, 1, 3, 4, 1.0, 0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlateBandit.linUcb(0, 0, 3, 1, 1.0, 0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlateBandit.linUcb(-1, 1, 3, 1, 1.0, 0.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
