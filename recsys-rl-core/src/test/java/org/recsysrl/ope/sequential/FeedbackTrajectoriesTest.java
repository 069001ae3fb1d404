package org.recsysrl.ope.sequential;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.Policies;
import org.recsysrl.util.UserInputException;

/** A logged-feedback log read as trajectories by session and step. */
class FeedbackTrajectoriesTest {
    private static final double TOL = 1e-12;

    /** s1: (step 0, item a, μ 0.25, r 1), (step 1, b, 0.5, 2), written out of order; s2: (step 0, b, 1, 3). */
    private static LoggedFeedback log() {
        LoggedFeedback.Builder b = LoggedFeedback.builder("test").catalog(List.of("a", "b"));
        b.addIndexed(2, "r2", "u1", "s1", 1, new double[] {0.5}, 0, new int[] {1}, new double[] {0.5}, Double.NaN,
                null, 2, null, null);
        b.addIndexed(3, "r3", "u2", "s2", 0, new double[] {-1}, 0, new int[] {1}, new double[] {1.0}, Double.NaN,
                null, 3, null, null);
        b.addIndexed(1, "r1", "u1", "s1", 0, new double[] {1}, 0, new int[] {0}, new double[] {0.25}, Double.NaN,
                null, 1, null, null);
        return b.build();
    }

    @Test
    void sessionsOrderedByStepAreTheTrajectories() {
        LoggedFeedback log = log();
        FeedbackTrajectories f = FeedbackTrajectories.of(log);
        assertEquals(2, f.rows().size());
        assertArrayEquals(new int[] {2, 0}, f.rows().get(0));
        assertArrayEquals(new int[] {1}, f.rows().get(1));
        LoggedTrajectory s1 = f.trajectories().get(0);
        assertArrayEquals(new int[] {0, 1}, s1.actions());
        assertArrayEquals(new double[] {1, 2}, s1.rewards(), TOL);
        assertArrayEquals(new double[] {0.25, 0.5}, s1.propensities(), TOL);
        assertArrayEquals(new double[] {1}, s1.features()[0], TOL);
    }

    @Test
    void estimatesTheUniformTarget() {
        LoggedFeedback log = log();
        FeedbackTrajectories f = FeedbackTrajectories.of(log);
        List<SequentialEstimate> e = f.estimate(Policies.uniform(log, "uniform"), 0.5, 1.0, 2, 0, 1);
        assertEquals(List.of("pdis", "wpdis", "dr", "wdr", "fqe"), e.stream().map(SequentialEstimate::estimator).toList());
        // ratios 0.5/0.25 = 2, 0.5/0.5 = 1; 0.5/1 = 0.5. PDIS: s1 2·1 + 0.5·2·2 = 4, s2 0.5·3 = 1.5
        assertEquals(2.75, e.get(0).value(), TOL);
        // WPDIS: t=0 (2·1 + 0.5·3)/(2 + 0.5) = 1.4; t=1 0.5 · (2·2)/(2 + 0.5) = 0.8
        assertEquals(2.2, e.get(1).value(), TOL);
        assertTrue(Double.isFinite(e.get(2).value()) && Double.isFinite(e.get(3).value()));
    }

    @Test
    void refusesRowsWithoutSessionOrStepAndRepeatedSteps() {
        LoggedFeedback.Builder b = LoggedFeedback.builder("nosession").catalog(List.of("a"));
        b.addIndexed(1, "r1", "u1", null, -1, null, 0, new int[] {0}, new double[] {1}, Double.NaN, null, 1, null,
                null);
        UserInputException e = assertThrows(UserInputException.class, () -> FeedbackTrajectories.of(b.build()));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        LoggedFeedback.Builder twice = LoggedFeedback.builder("twice").catalog(List.of("a"));
        for (int k = 0; k < 2; k++) {
            twice.addIndexed(k, "r" + k, "u", "s", 0, null, 0, new int[] {0}, new double[] {1}, Double.NaN, null, 1,
                    null, null);
        }
        assertThrows(UserInputException.class, () -> FeedbackTrajectories.of(twice.build()));
    }
}
