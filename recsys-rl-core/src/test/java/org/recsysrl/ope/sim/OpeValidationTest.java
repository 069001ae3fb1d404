package org.recsysrl.ope.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.UserInputException;

/**
 * The fast subset of the ground-truth validation (docs/ope.md has the full runs): short-video,
 * logged by the myopic oracle with ε = 0.3, the target ε = 0.1 around the same oracle, two logs of
 * 3,000 rounds. The issue's bars at 10,000 rounds (one-step DR ≤ 5 %, multi-step DR ≤ 15 %) hold
 * here with fewer rounds.
 */
class OpeValidationTest {
    private static final OpeValidation.Settings SETTINGS = new OpeValidation.Settings("short-video", 0, "myopic",
            Exploration.epsilon(0.3), List.of("myopic@epsilon=0.1"), new int[] {3000}, 2, 0.9, 1.0, 2, 1500, 3000,
            20, 1, 1e300);

    @Test
    void doublyRobustEstimatesAreWithinTheIssuesBars() {
        OpeValidation.Result r = OpeValidation.run(SETTINGS, line -> { });
        assertEquals(1, r.truths().size());
        assertTrue(r.truths().get(0).multiStep().mean() > r.truths().get(0).oneStep().mean());
        // one-step: ips, snips, dr, dm, sndr, switch-dr, dros; multi-step: pdis, wpdis, dr, wdr, fqe, cpdis, cdr
        assertEquals(14, r.cells().size());
        java.util.Map<String, double[]> multi = new java.util.HashMap<>();
        for (OpeValidation.Cell c : r.cells()) {
            assertEquals(2, c.relativeErrors().length);
            for (int i = 0; i < 2; i++) {
                assertEquals(c.relativeErrors()[i], Math.abs(c.signedErrors()[i]), 0.0);
            }
            if (c.form().equals("multi-step")) {
                multi.put(c.estimator(), c.signedErrors());
            }
            if (c.estimator().equals("dr")) {
                double bar = c.form().equals("one-step") ? 0.05 : 0.15;
                assertTrue(c.median() <= bar, c.form() + " dr median relative error " + c.median());
            }
        }
        // a clip above every weight leaves the clipped estimators equal to the plain ones
        org.junit.jupiter.api.Assertions.assertArrayEquals(multi.get("pdis"), multi.get("cpdis"), 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(multi.get("dr"), multi.get("cdr"), 1e-12);
        String text = OpeValidation.text(r);
        assertTrue(text.contains("myopic-oracle@epsilon=0.1") && text.contains("multi-step"), text);
    }

    @Test
    void slateEnvironmentsAreRefusedWithTheAlternatives() {
        OpeValidation.Settings s = new OpeValidation.Settings("interest-evolution", 0, "myopic",
                Exploration.epsilon(0.3), List.of("random"), new int[] {100}, 1, 0.9, 1.0, 2, 10, 10, 0, 1);
        UserInputException e = assertThrows(UserInputException.class, () -> OpeValidation.run(s, line -> { }));
        assertTrue(e.getMessage().contains("short-video"), e.getMessage());
    }

    @Test
    void quantilesInterpolate() {
        assertEquals(2.5, OpeValidation.quantile(new double[] {4, 1, 2, 3}, 0.5), 1e-12);
        assertEquals(3.7, OpeValidation.quantile(new double[] {4, 1, 2, 3}, 0.9), 1e-12);
    }
}
