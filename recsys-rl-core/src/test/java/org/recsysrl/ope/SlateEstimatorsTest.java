package org.recsysrl.ope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recsysrl.ope.estimator.Estimator;
import org.recsysrl.ope.estimator.CascadeDoublyRobust;
import org.recsysrl.ope.estimator.IndependentIps;
import org.recsysrl.ope.estimator.SlateDoublyRobust;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.estimator.PseudoInverse;
import org.recsysrl.ope.estimator.RewardInteractionIps;
import org.recsysrl.ope.estimator.UnitTerms;
import org.recsysrl.ope.policy.ContextFreePolicy;
import org.recsysrl.util.Rng;

/**
 * The slate estimators on a synthetic slate log with an exact value: 3 positions, 6 items, a logger
 * that fills each position independently from its own distribution, and per-position Bernoulli
 * rewards that depend on the item and the position only. The value of a factored target is then
 * Σ_k Σ_a π_k(a) p_k(a), and IIPS, RIPS and PI are all unbiased for it.
 */
class SlateEstimatorsTest {
    private static final int POSITIONS = 3;
    private static final int ITEMS = 6;

    @Test
    void slateEstimatorsAreUnbiasedOnAFactoredLog() {
        Rng rng = new Rng(21);
        double[][] logger = new double[POSITIONS][ITEMS];
        double[][] target = new double[POSITIONS][ITEMS];
        double[][] click = new double[POSITIONS][ITEMS];
        for (int k = 0; k < POSITIONS; k++) {
            double sl = 0;
            double st = 0;
            for (int a = 0; a < ITEMS; a++) {
                logger[k][a] = 0.5 + rng.nextDouble();
                target[k][a] = Math.pow(rng.nextDouble(), 2) + 0.05;
                click[k][a] = (0.1 + 0.5 * rng.nextDouble()) / (1 + k);
                sl += logger[k][a];
                st += target[k][a];
            }
            for (int a = 0; a < ITEMS; a++) {
                logger[k][a] /= sl;
                target[k][a] /= st;
            }
        }
        double truth = 0;
        List<Map<String, Double>> byPos = new ArrayList<>();
        for (int k = 0; k < POSITIONS; k++) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (int a = 0; a < ITEMS; a++) {
                truth += target[k][a] * click[k][a];
                m.put("i" + a, target[k][a]);
            }
            byPos.add(m);
        }
        ContextFreePolicy policy = new ContextFreePolicy("t", byPos);
        LoggedFeedback.Builder b = LoggedFeedback.builder("slates");
        for (int a = 0; a < ITEMS; a++) {
            b.index("i" + a);
        }
        int n = 40_000;
        for (int r = 0; r < n; r++) {
            int[] shown = new int[POSITIONS];
            double[] props = new double[POSITIONS];
            double[] rewards = new double[POSITIONS];
            for (int k = 0; k < POSITIONS; k++) {
                double u = rng.nextDouble();
                int a = 0;
                double c = logger[k][0];
                while (u > c && a < ITEMS - 1) {
                    a++;
                    c += logger[k][a];
                }
                shown[k] = a;
                props[k] = logger[k][a];
                rewards[k] = rng.nextDouble() < click[k][a] ? 1 : 0;
            }
            b.addIndexed(r, null, null, null, -1, null, 0, shown, props, Double.NaN, rewards, 0, null, null);
        }
        LoggedFeedback log = b.build();
        OpeInput in = OpeInput.prepare(log, policy, null);
        assertThat(in.unsupportedMass()).isZero();
        List<Estimator<OpeInput>> es = List.of(new IndependentIps(), new RewardInteractionIps(), new PseudoInverse());
        for (Estimator<OpeInput> e : es) {
            UnitTerms t = e.terms(in);
            double est = t.estimate();
            double var = 0;
            for (double v : t.numerator()) {
                var += (v - est) * (v - est);
            }
            double se = Math.sqrt(var / (n - 1) / n);
            assertThat(Math.abs(est - truth)).as(e.name() + " " + est + " vs " + truth + " (se " + se + ")")
                    .isLessThan(4 * se);
        }
        // IIPS uses the least variance here (independent rewards), RIPS's products and PI's total the most
        double[] se = new double[3];
        for (int i = 0; i < 3; i++) {
            UnitTerms t = es.get(i).terms(in);
            double m = t.estimate();
            for (double v : t.numerator()) {
                se[i] += (v - m) * (v - m);
            }
        }
        assertThat(se[0]).isLessThan(se[1]).isLessThan(se[2]);
        // the slate DR estimators are unbiased with a wrong model too, and with the true click model SDR has
        // less variance than IIPS
        OpeInput wrong = OpeInput.prepare(log, policy, (l, row, position, item) -> 0.05 + 0.02 * item);
        OpeInput right = OpeInput.prepare(log, policy, (l, row, position, item) -> click[position][item]);
        double[] spread = new double[2];
        int i = 0;
        for (OpeInput input : List.of(wrong, right)) {
            for (Estimator<OpeInput> e : List.of(new SlateDoublyRobust(), new CascadeDoublyRobust())) {
                UnitTerms t = e.terms(input);
                double est = t.estimate();
                double var = 0;
                for (double v : t.numerator()) {
                    var += (v - est) * (v - est);
                }
                double sd = Math.sqrt(var / (n - 1) / n);
                assertThat(Math.abs(est - truth)).as(e.name() + " " + est + " vs " + truth + " (se " + sd + ")")
                        .isLessThan(4 * sd);
                if (e instanceof SlateDoublyRobust) {
                    spread[i++] = var;
                }
            }
        }
        assertThat(spread[1]).isLessThan(se[0]);
    }
}
