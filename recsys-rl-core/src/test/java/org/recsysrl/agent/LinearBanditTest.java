package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class LinearBanditTest {
    @Test
    void shermanMorrisonUpdateMatchesTheRidgeSolutionByHand() {
        // λ = 1, d = 2; arm 1 sees x = (1, 1) with r = 2: A = I + xxᵀ = [[2,1],[1,2]], A⁻¹ = [[2,-1],[-1,2]]/3,
        // b = (2, 2), θ = A⁻¹ b = (2/3, 2/3); xᵀA⁻¹x for x = (1, 0) is 2/3
        LinearBandit bandit = LinearBandit.linUcb(2, 2, 1.0, 1.0);
        bandit.learn(new float[] {1, 1}, 0, 1, 2f);
        float[] probe = {1, 0};
        assertThat(bandit.estimate(1, probe, 0)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(bandit.quadratic(1, probe, 0)).isCloseTo(2.0 / 3, within(1e-12));
        // the other arm is untouched: θ = 0, A⁻¹ = I
        assertThat(bandit.estimate(0, probe, 0)).isZero();
        assertThat(bandit.quadratic(0, probe, 0)).isCloseTo(1.0, within(1e-12));
        // a second update (x = (0, 1), r = 1) against the closed form: A = [[2,1],[1,3]], b = (2, 3)
        bandit.learn(new float[] {0, 1}, 0, 1, 1f);
        double det = 2 * 3 - 1;
        double t0 = (3 * 2 - 1 * 3) / det;
        double t1 = (-1 * 2 + 2 * 3) / det;
        assertThat(bandit.estimate(1, new float[] {1, 0}, 0)).isCloseTo(t0, within(1e-12));
        assertThat(bandit.estimate(1, new float[] {0, 1}, 0)).isCloseTo(t1, within(1e-12));
    }

    @Test
    void bothVariantsLearnWhichArmPaysInWhichContext() {
        // context (1, 0): arm 0 pays 1, arm 1 pays 0; context (0, 1): the reverse
        for (LinearBandit bandit : new LinearBandit[] {LinearBandit.linUcb(2, 2, 1.0, 0.5),
                LinearBandit.epsilonGreedy(2, 2, 1.0, 0.2, new Rng(5))}) {
            Rng rng = new Rng(1);
            int[] action = new int[1];
            int late = 0;
            int lateRight = 0;
            for (int t = 0; t < 2000; t++) {
                int c = rng.nextInt(2);
                float[] x = c == 0 ? new float[] {1, 0} : new float[] {0, 1};
                bandit.act(x, 1, action);
                float reward = (action[0] == c ? 1f : 0f) + (float) (0.1 * rng.nextGaussian());
                bandit.learn(x, 0, action[0], reward);
                if (t >= 1000) {
                    late++;
                    lateRight += action[0] == c ? 1 : 0;
                }
            }
            assertThat((double) lateRight / late).as(bandit.name()).isGreaterThan(0.85);
        }
    }
}
