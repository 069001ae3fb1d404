package org.recsysrl.ope.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.recsysrl.ope.sequential.ActionDistribution;

/** The pieces the multi-step slate validation builds its trajectories from. */
class SlateValidationTest {
    @Test
    void quadraticStateBasisHoldsEveryPairwiseProduct() {
        // the first two of [1, 2, 3]: 1, 2, then 1·1, 2·1, 2·2
        assertArrayEquals(new double[] {1, 2, 1, 2, 4}, SlateValidation.quadratic(new float[] {1, 2, 3}, 2), 0);
        // beyond the limit the state stays linear
        float[] wide = new float[SlateValidation.QUADRATIC_LIMIT + 1];
        wide[3] = 5;
        double[] x = SlateValidation.quadratic(wide, wide.length);
        assertEquals(wide.length, x.length);
        assertEquals(5, x[3], 0);
    }

    @Test
    void epsilonGreedySlateProbabilityByHand() {
        // ε = 0.3 around the slate (1, 2) over 4 candidates: 0.7 + 0.3/(4·3) for it, 0.3/12 for any other
        ActionDistribution[] marginals = {ActionDistribution.epsilonGreedy(4, 1, 0.3),
            ActionDistribution.epsilonGreedy(4, 2, 0.3)};
        assertEquals(0.725, SlateValidation.epsilonGreedySlate(marginals, new int[] {1, 2}), 1e-12);
        assertEquals(0.025, SlateValidation.epsilonGreedySlate(marginals, new int[] {2, 1}), 1e-12);
        ActionDistribution[] uniform = {ActionDistribution.uniform(4), ActionDistribution.uniform(4)};
        assertEquals(1.0 / 12, SlateValidation.epsilonGreedySlate(uniform, new int[] {0, 3}), 1e-12);
    }
}
