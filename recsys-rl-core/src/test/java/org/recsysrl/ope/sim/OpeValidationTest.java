package org.recsysrl.ope.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

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
    void slateEnvironmentIsValidatedWithTheSlateEstimators() {
        // interest-evolution, logged by the myopic slate search with ε = 0.3; target: the same with ε = 0.1
        OpeValidation.Settings s = new OpeValidation.Settings("interest-evolution", 0, "myopic",
                Exploration.epsilon(0.3), List.of("myopic@epsilon=0.1"), new int[] {3000}, 2, 0.9, 1.0, 2, 500, 3000,
                20, 1);
        OpeValidation.Result r = OpeValidation.run(s, line -> { });
        OpeValidation.Truth truth = r.truths().get(0);
        assertTrue(truth.oneStep().mean() > 0 && truth.oneStep().standardError() < 0.05 * truth.oneStep().mean(),
                truth.toString());
        List<String> multiStep = List.of("pdis", "wpdis", "dr", "wdr", "fqe", "pdiips");
        assertEquals(SlateValidation.ESTIMATORS.size() + multiStep.size(), r.cells().size());
        java.util.Map<String, OpeValidation.Cell> byName = new java.util.HashMap<>();
        java.util.Map<String, OpeValidation.Cell> multi = new java.util.HashMap<>();
        for (OpeValidation.Cell c : r.cells()) {
            assertEquals(2, c.relativeErrors().length);
            (c.form().equals("one-step") ? byName : multi).put(c.estimator(), c);
        }
        assertEquals(java.util.Set.copyOf(SlateValidation.ESTIMATORS), byName.keySet());
        assertEquals(java.util.Set.copyOf(multiStep), multi.keySet());
        // slate-level IPS is unbiased whatever the choice model does; near the logger its weights are small
        assertTrue(byName.get("sips").median() <= 0.10, "sips median error " + byName.get("sips").median());
        assertTrue(byName.get("sdr").median() <= 0.10, "sdr median error " + byName.get("sdr").median());
        // the slate value model's own estimate of the discounted return, near the logger
        assertTrue(multi.get("fqe").median() <= 0.10, "fqe median error " + multi.get("fqe").median());
        for (OpeValidation.Cell c : multi.values()) {
            assertTrue(Double.isFinite(c.median()) && c.meanEss() > 0, c.estimator() + " " + c.median());
        }
        assertTrue(OpeValidation.text(r).contains("cascade-dr"));
    }

    @Test
    void quantilesInterpolate() {
        assertEquals(2.5, OpeValidation.quantile(new double[] {4, 1, 2, 3}, 0.5), 1e-12);
        assertEquals(3.7, OpeValidation.quantile(new double[] {4, 1, 2, 3}, 0.9), 1e-12);
    }
}
