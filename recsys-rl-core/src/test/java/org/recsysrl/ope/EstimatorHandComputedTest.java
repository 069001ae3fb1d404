package org.recsysrl.ope;

import org.recsysrl.ope.evaluation.Estimate;
import org.recsysrl.ope.evaluation.OffPolicyEvaluation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recsysrl.ope.estimator.CascadeDoublyRobust;
import org.recsysrl.ope.estimator.DirectMethod;
import org.recsysrl.ope.estimator.DoublyRobust;
import org.recsysrl.ope.estimator.Estimators;
import org.recsysrl.ope.estimator.IndependentIps;
import org.recsysrl.ope.estimator.InversePropensity;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.estimator.OptimisticShrinkageDr;
import org.recsysrl.ope.estimator.PseudoInverse;
import org.recsysrl.ope.estimator.RewardInteractionIps;
import org.recsysrl.ope.estimator.SelfNormalizedDoublyRobust;
import org.recsysrl.ope.estimator.SelfNormalizedIps;
import org.recsysrl.ope.estimator.SlateDoublyRobust;
import org.recsysrl.ope.estimator.SlateIps;
import org.recsysrl.ope.estimator.SwitchDoublyRobust;
import org.recsysrl.ope.estimator.UnitTerms;
import org.recsysrl.ope.model.RewardModel;
import org.recsysrl.ope.policy.ContextFreePolicy;
import org.recsysrl.util.UserInputException;

/** Every estimator against values worked out by hand on a four-row and a two-slate log. */
class EstimatorHandComputedTest {
    private static final double EPS = 1e-12;

    /** A, B, C; rows (item, propensity, reward): (A .5 1) (B .2 0) (C .25 1) (A .5 0). */
    static LoggedFeedback tinyLog() {
        LoggedFeedback.Builder b = LoggedFeedback.builder("tiny");
        Object[][] rows = {{"A", 0.5, 1.0}, {"B", 0.2, 0.0}, {"C", 0.25, 1.0}, {"A", 0.5, 0.0}};
        for (Object[] r : rows) {
            assertThat(b.add(new Impression(LoggedFeedback.NO_TIME, null, null, null, -1, new double[0], 0,
                    List.of((String) r[0]), new double[] {(double) r[1]}, Double.NaN, null, (double) r[2], null)))
                    .isNull();
        }
        return b.build();
    }

    /** Target π = (A .2, B .6, C .2): weights 0.4, 3.0, 0.8, 0.4. */
    static ContextFreePolicy tinyTarget() {
        return new ContextFreePolicy("t", List.of(Map.of("A", 0.2, "B", 0.6, "C", 0.2)));
    }

    /** q̂ = (A .3, B .5, C .6): v̂ = .2·.3 + .6·.5 + .2·.6 = 0.48. */
    static final RewardModel MODEL = (log, row, position, item) -> new double[] {0.3, 0.5, 0.6}[item];

    private static double est(org.recsysrl.ope.estimator.Estimator<OpeInput> e) {
        return e.terms(OpeInput.prepare(tinyLog(), tinyTarget(), MODEL)).estimate();
    }

    @Test
    void oneStepEstimatorsMatchHandComputedValues() {
        // IPS = (0.4·1 + 3·0 + 0.8·1 + 0.4·0) / 4
        assertThat(est(new InversePropensity())).isCloseTo(1.2 / 4, within(EPS));
        // SNIPS = 1.2 / (0.4 + 3 + 0.8 + 0.4)
        assertThat(est(new SelfNormalizedIps())).isCloseTo(1.2 / 4.6, within(EPS));
        assertThat(est(new DirectMethod())).isCloseTo(0.48, within(EPS));
        // DR rows: .48+.4·.7, .48+3·(−.5), .48+.8·.4, .48+.4·(−.3) = .76, −1.02, .80, .36
        assertThat(est(new DoublyRobust())).isCloseTo(0.9 / 4, within(EPS));
        // SNDR = .48 + (.28 − 1.5 + .32 − .12) / 4.6
        assertThat(est(new SelfNormalizedDoublyRobust())).isCloseTo(0.48 - 1.02 / 4.6, within(EPS));
        // Switch-DR τ = 1 drops row 2's correction: (.76 + .48 + .80 + .36) / 4
        assertThat(est(new SwitchDoublyRobust(1.0))).isCloseTo(2.4 / 4, within(EPS));
        assertThat(est(new SwitchDoublyRobust(0.0))).isCloseTo(0.48, within(EPS));
        // DRos λ = 1: ŵ = w / (w² + 1) = .4/1.16, 3/10, .8/1.64, .4/1.16
        double dros = (4 * 0.48 + 0.4 / 1.16 * 0.7 + 0.3 * -0.5 + 0.8 / 1.64 * 0.4 + 0.4 / 1.16 * -0.3) / 4;
        assertThat(est(new OptimisticShrinkageDr(1.0))).isCloseTo(dros, within(EPS));
        assertThat(est(new OptimisticShrinkageDr(Double.POSITIVE_INFINITY))).isCloseTo(0.9 / 4, within(EPS));
        // the slate estimators reduce to IPS on a one-step log
        assertThat(est(new IndependentIps())).isCloseTo(0.3, within(EPS));
        assertThat(est(new RewardInteractionIps())).isCloseTo(0.3, within(EPS));
        assertThat(est(new PseudoInverse())).isCloseTo(0.3, within(EPS));
    }

    @Test
    void tunedEstimatorsChooseACandidateAndSayWhich() {
        UnitTerms sw = new SwitchDoublyRobust().terms(OpeInput.prepare(tinyLog(), tinyTarget(), MODEL));
        assertThat(sw.notes()).singleElement().asString().startsWith("tau=");
        UnitTerms dros = new OptimisticShrinkageDr().terms(OpeInput.prepare(tinyLog(), tinyTarget(), MODEL));
        assertThat(dros.notes()).singleElement().asString().startsWith("lambda=");
        // whatever is chosen, the estimate lies between DM (0.48) and DR (0.225) for Switch (each row is one or the other)
        assertThat(sw.estimate()).isBetween(0.225 - EPS, 0.6 + EPS);
    }

    @Test
    void diagnosticsReportEffectiveSampleSizeAndLargestWeight() {
        UnitTerms t = new InversePropensity().terms(OpeInput.prepare(tinyLog(), tinyTarget(), MODEL));
        Estimate e = OffPolicyEvaluation.summarise("ips", "t", t, new double[] {0.1, 0.2, 0.3}, List.of());
        // ESS = (Σw)² / Σw² = 4.6² / (.16 + 9 + .64 + .16)
        assertThat(e.ess()).isCloseTo(4.6 * 4.6 / 9.96, within(EPS));
        assertThat(e.maxWeight()).isCloseTo(3.0, within(EPS));
        assertThat(e.warnings()).anyMatch(w -> w.startsWith("few effective samples"));
    }

    /** Two slates of two: ([A,B], props [.5,.4], rewards [1,1]) and ([C,A], props [.2,.5], rewards [1,1]). */
    static LoggedFeedback slateLog(boolean positionRewards) {
        LoggedFeedback.Builder b = LoggedFeedback.builder("slates");
        b.add(new Impression(1, "r1", null, null, -1, new double[0], 0, List.of("A", "B"), new double[] {0.5, 0.4},
                Double.NaN, positionRewards ? new double[] {1, 1} : null, 2.0, null));
        b.add(new Impression(2, "r2", null, null, -1, new double[0], 0, List.of("C", "A"), new double[] {0.2, 0.5},
                Double.NaN, positionRewards ? new double[] {1, 1} : null, 2.0, null));
        return b.build();
    }

    /** Position 0: A .6, B .2, C .2; position 1: A .3, B .5, C .2. Weights: 1.2, 1.25 | 1.0, 0.6. */
    static ContextFreePolicy slateTarget() {
        return new ContextFreePolicy("s", List.of(Map.of("A", 0.6, "B", 0.2, "C", 0.2),
                Map.of("A", 0.3, "B", 0.5, "C", 0.2)));
    }

    @Test
    void slateEstimatorsMatchHandComputedValues() {
        OpeInput in = OpeInput.prepare(slateLog(true), slateTarget(), null);
        // IIPS = (1.2 + 1.25 + 1.0 + 0.6) / 2
        assertThat(new IndependentIps().terms(in).estimate()).isCloseTo(4.05 / 2, within(EPS));
        // RIPS = (1.2 + 1.2·1.25 + 1.0 + 1.0·0.6) / 2
        assertThat(new RewardInteractionIps().terms(in).estimate()).isCloseTo(4.3 / 2, within(EPS));
        // PI = ((1.2 + 1.25 − 1)·2 + (1.0 + 0.6 − 1)·2) / 2
        assertThat(new PseudoInverse().terms(in).estimate()).isCloseTo(4.1 / 2, within(EPS));
        // PI needs only the totals
        OpeInput totals = OpeInput.prepare(slateLog(false), slateTarget(), null);
        assertThat(new PseudoInverse().terms(totals).estimate()).isCloseTo(4.1 / 2, within(EPS));
        assertThatThrownBy(() -> new IndependentIps().terms(totals)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("per-position");
        assertThatThrownBy(() -> new InversePropensity().terms(in)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("iips, rips, pi");
    }

    @Test
    void slateDoublyRobustEstimatorsMatchHandComputedValues() {
        // q̂ = (A .3, B .5, C .6) at every position: v̂_0 = .6·.3 + .2·.5 + .2·.6 = .40, v̂_1 = .3·.3 + .5·.5 + .2·.6 = .46
        OpeInput in = OpeInput.prepare(slateLog(true), slateTarget(), MODEL);
        // SDR rows: .40 + 1.2·.7 + .46 + 1.25·.5 = 2.325 and .40 + 1.0·.4 + .46 + .6·.7 = 1.68
        assertThat(new SlateDoublyRobust().terms(in).estimate()).isCloseTo((2.325 + 1.68) / 2, within(EPS));
        // cascade DR rows: (.40 + 1.2·.7) + (1.2·.46 + 1.2·1.25·.5) = 2.542 and (.40 + .4) + (1.0·.46 + .6·.7) = 1.68
        assertThat(new CascadeDoublyRobust().terms(in).estimate()).isCloseTo((2.542 + 1.68) / 2, within(EPS));
        // with q̂ = 0 they are IIPS and RIPS
        OpeInput zero = OpeInput.prepare(slateLog(true), slateTarget(), (log, row, position, item) -> 0.0);
        assertThat(new SlateDoublyRobust().terms(zero).estimate()).isCloseTo(4.05 / 2, within(EPS));
        assertThat(new CascadeDoublyRobust().terms(zero).estimate()).isCloseTo(4.3 / 2, within(EPS));
        // with the true mean reward (1 everywhere) as the model SDR is the target's value, 2, whatever the weights;
        // cascade DR keeps the weights above each position on v̂: rows 1 + 1.2 and 1 + 1.0
        OpeInput exact = OpeInput.prepare(slateLog(true), slateTarget(), (log, row, position, item) -> 1.0);
        assertThat(new SlateDoublyRobust().terms(exact).estimate()).isCloseTo(2.0, within(EPS));
        assertThat(new CascadeDoublyRobust().terms(exact).estimate()).isCloseTo(2.1, within(EPS));
        OpeInput totals = OpeInput.prepare(slateLog(false), slateTarget(), MODEL);
        assertThatThrownBy(() -> new SlateDoublyRobust().terms(totals)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("per-position");
    }

    @Test
    void slateIpsWeighsWholeSlatesByTheirLoggedProbability() {
        // slate propensities .2 and .1; the target's slate probabilities (products): .6·.5 = .3 and .2·.3 = .06
        LoggedFeedback.Builder b = LoggedFeedback.builder("slates");
        b.add(new Impression(1, "r1", null, null, -1, new double[0], 0, List.of("A", "B"), new double[] {0.5, 0.4},
                0.2, new double[] {1, 1}, 2.0, null));
        b.add(new Impression(2, "r2", null, null, -1, new double[0], 0, List.of("C", "A"), new double[] {0.2, 0.5},
                0.1, new double[] {1, 1}, 2.0, null));
        OpeInput in = OpeInput.prepare(b.build(), slateTarget(), null);
        UnitTerms t = new SlateIps().terms(in);
        // (1.5·2 + 0.6·2) / 2
        assertThat(t.estimate()).isCloseTo(2.1, within(EPS));
        assertThat(t.weights()).containsExactly(new double[] {1.5, 0.6}, within(EPS));
        assertThatThrownBy(() -> new SlateIps().terms(OpeInput.prepare(slateLog(true), slateTarget(), null)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("slate_propensity");
        // on a one-step log it is IPS
        assertThat(est(new SlateIps())).isCloseTo(0.3, within(EPS));
    }

    @Test
    void unsupportedMassIsMeasuredAndWarned() {
        // B is never shown at position 0 of the slate log... but it is at position 1; C only at 0
        ContextFreePolicy onlyB = new ContextFreePolicy("b-first", List.of(Map.of("B", 1.0), Map.of("C", 1.0)));
        OpeInput in = OpeInput.prepare(slateLog(true), onlyB, null);
        assertThat(in.unsupportedMass()).isCloseTo(1.0, within(EPS));
        assertThat(in.supportWarning()).startsWith("no support: target b-first puts 100.0%");
        OpeInput supported = OpeInput.prepare(tinyLog(), tinyTarget(), MODEL);
        assertThat(supported.unsupportedMass()).isCloseTo(0.0, within(EPS));
        assertThat(supported.supportWarning()).isNull();
        // an id the log never saw counts as unsupported mass too
        ContextFreePolicy unknown = new ContextFreePolicy("u", List.of(Map.of("A", 0.5, "Z", 0.5)));
        assertThat(OpeInput.prepare(tinyLog(), unknown, MODEL).unsupportedMass()).isCloseTo(0.5, within(EPS));
    }

    @Test
    void estimatorNamesResolveAndUnknownNamesAreUserErrors() {
        for (String n : Estimators.names()) {
            assertThat(Estimators.byName(n).name()).isEqualTo(n);
        }
        assertThatThrownBy(() -> Estimators.byName("magic")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("use some of dm,ips");
    }

    @Test
    void evaluationComparesTargetsOnPairedResamples() {
        ContextFreePolicy same = tinyTarget();
        ContextFreePolicy other = new ContextFreePolicy("o", List.of(Map.of("A", 1.0)));
        OffPolicyEvaluation.Report r = OffPolicyEvaluation.run(tinyLog(), List.of(same, other),
                List.of(new InversePropensity(), new DoublyRobust()), MODEL, 300, 7);
        assertThat(r.onPolicy().value()).isCloseTo(0.5, within(EPS));
        assertThat(r.estimates().get(0).get(0).value()).isCloseTo(0.3, within(EPS));
        // target "o" always shows A (w = 2 on A rows): IPS = (2·1 + 2·0) / 4
        assertThat(r.estimates().get(1).get(0).value()).isCloseTo(0.5, within(EPS));
        OffPolicyEvaluation.Comparison c = r.comparisons().get(0);
        assertThat(c.estimator()).isEqualTo("ips");
        assertThat(c.difference()).isCloseTo(0.2, within(EPS));
        assertThat(c.low()).isLessThanOrEqualTo(c.high());
        // comparing a target with itself gives exactly 0 on every paired resample
        OffPolicyEvaluation.Report self = OffPolicyEvaluation.run(tinyLog(), List.of(same, tinyTarget()),
                List.of(new InversePropensity()), MODEL, 100, 7);
        assertThat(self.comparisons().get(0).low()).isEqualTo(0.0);
        assertThat(self.comparisons().get(0).high()).isEqualTo(0.0);
    }
}
