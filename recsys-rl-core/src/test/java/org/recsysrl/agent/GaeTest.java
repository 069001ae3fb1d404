package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * {@link Gae#compute} against values worked out by hand.
 *
 * <p>Layout is time-major {@code [T][N]}: entry {@code k = t * N + i}. T = 3, N = 2, γ = 0.9,
 * λ = 0.8, so γλ = 0.72.
 */
class GaeTest {
    private static final int T = 3;
    private static final int N = 2;
    private static final float GAMMA = 0.9f;
    private static final float LAMBDA = 0.8f;
    private static final float GARBAGE = 100f;

    // env 0: r = [1.0, 2.0, 0.5], V = [0.5, 1.0, 2.0], truncated at t = 1 (bootstrap 3.0), last value 4.0
    // env 1: r = [0.0, 1.0, -1.0], V = [0.2, 0.4, -0.5], terminated at t = 1, last value 1.0
    //                        k:  (0,0) (0,1) (1,0) (1,1) (2,0) (2,1)
    private final float[] rewards = {1.0f, 0.0f, 2.0f, 1.0f, 0.5f, -1.0f};
    private final float[] values = {0.5f, 0.2f, 1.0f, 0.4f, 2.0f, -0.5f};
    private final boolean[] terminated = {false, false, false, true, false, false};
    private final boolean[] truncated = {false, false, true, false, false, false};
    // Only the truncated entry (t=1, env 0) may be read; every other entry is garbage on purpose.
    private final float[] bootstrap = {GARBAGE, GARBAGE, 3.0f, GARBAGE, GARBAGE, GARBAGE};
    private final float[] lastValues = {4.0f, 1.0f};

    @Test
    void matchesHandComputedAdvantagesWithTruncationTerminationAndLastValue() {
        float[] adv = new float[T * N];
        float[] ret = new float[T * N];
        Gae.compute(T, N, rewards, values, terminated, truncated, bootstrap, lastValues, GAMMA, LAMBDA, adv, ret);

        // env 0, t=2: not done, last step -> bootstrap from lastValue 4.0
        //   δ = 0.5 + 0.9*4.0 - 2.0 = 2.1;             A = 2.1
        // env 0, t=1: truncated -> V' = bootstrap 3.0, accumulation cut
        //   δ = 2.0 + 0.9*3.0 - 1.0 = 3.7;             A = 3.7
        // env 0, t=0: not done -> V' = V_1 = 1.0
        //   δ = 1.0 + 0.9*1.0 - 0.5 = 1.4;             A = 1.4 + 0.72*3.7 = 4.064
        // env 1, t=2: not done, last step -> lastValue 1.0
        //   δ = -1.0 + 0.9*1.0 - (-0.5) = 0.4;         A = 0.4
        // env 1, t=1: terminated -> V' = 0, accumulation cut
        //   δ = 1.0 + 0 - 0.4 = 0.6;                   A = 0.6
        // env 1, t=0: not done -> V' = V_1 = 0.4
        //   δ = 0.0 + 0.9*0.4 - 0.2 = 0.16;            A = 0.16 + 0.72*0.6 = 0.592
        float[] expectedAdv = {4.064f, 0.592f, 3.7f, 0.6f, 2.1f, 0.4f};
        // R = A + V
        //   env 0: 4.064+0.5 = 4.564, 3.7+1.0 = 4.7, 2.1+2.0 = 4.1
        //   env 1: 0.592+0.2 = 0.792, 0.6+0.4 = 1.0, 0.4-0.5 = -0.1
        float[] expectedRet = {4.564f, 0.792f, 4.7f, 1.0f, 4.1f, -0.1f};
        for (int k = 0; k < T * N; k++) {
            assertThat(adv[k]).as("advantage[%d] (t=%d, env=%d)", k, k / N, k % N)
                    .isCloseTo(expectedAdv[k], within(1e-5f));
            assertThat(ret[k]).as("return[%d] (t=%d, env=%d)", k, k / N, k % N)
                    .isCloseTo(expectedRet[k], within(1e-5f));
            assertThat(ret[k]).as("returns = advantages + values at %d", k)
                    .isCloseTo(adv[k] + values[k], within(1e-6f));
        }
    }

    @Test
    void withoutEndsLambdaOneGivesDiscountedRewardsPlusBootstrapMinusValue() {
        // One env, three steps, no ends, γ = 0.5, λ = 1: A_0 = r0 + γ r1 + γ² r2 + γ³ V_last − V_0
        //   = 1 + 0.5*2 + 0.25*4 + 0.125*8 − 3 = 1 + 1 + 1 + 1 − 3 = 1
        // A_1 = 2 + 0.5*4 + 0.25*8 − V_1 = 2 + 2 + 2 − 5 = 1
        // A_2 = 4 + 0.5*8 − V_2 = 8 − 7 = 1
        float[] r = {1f, 2f, 4f};
        float[] v = {3f, 5f, 7f};
        float[] adv = new float[3];
        float[] ret = new float[3];
        Gae.compute(3, 1, r, v, new boolean[3], new boolean[3], new float[] {GARBAGE, GARBAGE, GARBAGE},
                new float[] {8f}, 0.5f, 1.0f, adv, ret);
        assertThat(adv).containsExactly(new float[] {1f, 1f, 1f}, within(1e-6f));
        // R = A + V = [4, 6, 8]: the discounted returns-to-go with the bootstrap
        assertThat(ret).containsExactly(new float[] {4f, 6f, 8f}, within(1e-6f));
    }

    @Test
    void truncationAtTheLastStepUsesItsBootstrapNotTheLastValue() {
        // One env, T = 2, truncated at t = 1; lastValue (V of the *reset* observation) must be ignored.
        // t=1: δ = 1 + 0.9*2 − 1 = 1.8;  A = 1.8
        // t=0: δ = 0 + 0.9*1 − 0.5 = 0.4; A = 0.4 + 0.72*1.8 = 1.696
        float[] adv = new float[2];
        float[] ret = new float[2];
        Gae.compute(2, 1, new float[] {0f, 1f}, new float[] {0.5f, 1f}, new boolean[2],
                new boolean[] {false, true}, new float[] {GARBAGE, 2f}, new float[] {GARBAGE}, GAMMA, LAMBDA,
                adv, ret);
        assertThat(adv).containsExactly(new float[] {1.696f, 1.8f}, within(1e-5f));
        assertThat(ret).containsExactly(new float[] {2.196f, 2.8f}, within(1e-5f));
    }
}
