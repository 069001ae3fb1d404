package org.recsysrl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.ope.FeedbackJsonl;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.estimator.Estimators;
import org.recsysrl.ope.evaluation.OffPolicyEvaluation;
import org.recsysrl.ope.policy.ContextFreePolicy;
import org.recsysrl.util.UserInputException;

/**
 * The loop's deploy gate on tiny logs whose statistics are worked out by hand: a uniform logger over
 * two items (propensity 0.5 each), the target π(i0) = 0.8, π(i1) = 0.2, so the ratios are 1.6 for i0
 * and 0.4 for i1.
 */
class DeployGateTest {
    @TempDir
    Path dir;

    private static final ContextFreePolicy TARGET = new ContextFreePolicy("target",
            List.of(Map.of("i0", 0.8, "i1", 0.2)));

    /** One line of a one-step log: uniform logger over i0, i1, context [1]. */
    private static String row(String session, int step, String item, double reward) {
        return "{\"session\":\"" + session + "\",\"step\":" + step + ",\"user\":\"u\",\"context\":[1.0],\"items\":[\""
                + item + "\"],\"propensities\":[0.5],\"reward\":" + reward + "}\n";
    }

    private LoggedFeedback log(String name, String... rows) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("", rows));
        return FeedbackJsonl.read(p, List.of("i0", "i1"));
    }

    @Test
    void aPolicyTheLogJudgesNoBetterThanTheLoggerIsNotDeployed() throws Exception {
        // γ = 0.5. PDIS per trajectory Σ_t γ^t (Π_{s≤t} w_s) r_t against the logged return Σ_t γ^t r_t:
        // s1 (i0 1, i0 1): 1.6 + 0.5·2.56 = 2.88 against 1.5 (+1.38); s2 (i1 0, i0 1): 0.5·0.64 = 0.32 against
        // 0.5 (−0.18); s3 (i1 0, i1 0): 0 against 0. Gain (1.38 − 0.18 + 0) / 3 = 0.4.
        LoggedFeedback log = log("worse.jsonl", row("s1", 0, "i0", 1), row("s1", 1, "i0", 1), row("s2", 0, "i1", 0),
                row("s2", 1, "i0", 1), row("s3", 0, "i1", 0), row("s3", 1, "i1", 0));
        TrajectoryJudge judge = new TrajectoryJudge(log, 0.5, 1, 1);
        TrajectoryJudge.Judged judged = judge.judge(TARGET, 0, 1);
        assertThat(judged.estimate("pdis").value()).isCloseTo(3.2 / 3, within(1e-12));
        assertThat(judge.onPolicy(0, 1).value()).isCloseTo(2.0 / 3, within(1e-12));
        TrajectoryJudge.Difference d = judge.gainOverLogger(TrajectoryJudge.estimator("pdis"), judged, 2000, 5);
        assertThat(d.value()).isCloseTo(0.4, within(1e-12));
        assertThat(d.first()).isEqualTo(TrajectoryJudge.LOGGER);
        // a resample of s2 three times (probability 1/27 = 3.7 % > 2.5 %) has the smallest mean, −0.18: it is the
        // 2.5 % percentile; the largest possible is 1.38
        assertThat(d.low()).isCloseTo(-0.18, within(1e-12));
        assertThat(d.high()).isLessThanOrEqualTo(1.38 + 1e-12);

        DeployGate.Candidate c = new DeployGate.Candidate("target", d.value(), 2.0, 3);
        DeployGate.Decision decision = DeployGate.decide(c, new DeployGate.Gain("PDIS", TrajectoryJudge.LOGGER,
                "target", d.value(), d.low(), d.high()));
        assertThat(decision.deploy()).isFalse();
        assertThat(decision.reason()).contains("minus the logging policy's on-policy value on the held-out log is"
                + " +0.40000 [-0.18000,").contains("not above 0");
    }

    @Test
    void aPolicyTheLogJudgesBetterThanTheLoggerIsDeployed() throws Exception {
        // four one-step trajectories showing i0 with reward 1 (PDIS 1.6 against 1: +0.6) and one showing i1 with
        // reward 0 (0 against 0): gain 4 · 0.6 / 5 = 0.48
        LoggedFeedback log = log("better.jsonl", row("a", 0, "i0", 1), row("b", 0, "i0", 1), row("c", 0, "i0", 1),
                row("d", 0, "i0", 1), row("e", 0, "i1", 0));
        TrajectoryJudge judge = new TrajectoryJudge(log, 0.9, 1, 1);
        TrajectoryJudge.Difference d = judge.gainOverLogger(TrajectoryJudge.estimator("pdis"), judge.judge(TARGET, 0, 1),
                2000, 5);
        assertThat(d.value()).isCloseTo(0.48, within(1e-12));
        // a resample's mean is 0.6 × (draws of a..d) / 5; three or more draws of e have probability 0.058, four or
        // more 0.0067, so the 2.5 % percentile is the mean with three: 0.6 · 2 / 5 = 0.24
        assertThat(d.low()).isCloseTo(0.24, within(1e-12));
        assertThat(d.high()).isCloseTo(0.6, within(1e-12));
        DeployGate.Decision decision = DeployGate.decide(new DeployGate.Candidate("target", 1.28, 3.2, 5),
                new DeployGate.Gain("PDIS", TrajectoryJudge.LOGGER, "target", d.value(), d.low(), d.high()));
        assertThat(decision.deploy()).isTrue();
        assertThat(decision.policy()).isEqualTo("target");

        // one step: IPS 4 · 1.6 / 5 = 1.28 against the mean reward 0.8, paired on the same resampled rows; every
        // row's difference is 0.6 or 0, so every replicate lies in [0, 0.6]
        OffPolicyEvaluation.Report report = OffPolicyEvaluation.run(log, List.of(TARGET),
                List.of(Estimators.byName("ips")), null, 500, 3);
        OffPolicyEvaluation.Comparison c = report.overOnPolicy("ips", "target");
        assertThat(c.first()).isEqualTo(OffPolicyEvaluation.ON_POLICY);
        assertThat(c.difference()).isCloseTo(0.48, within(1e-12));
        assertThat(c.low()).isGreaterThanOrEqualTo(0).isLessThan(0.48);
        assertThat(c.high()).isGreaterThan(0.48).isLessThanOrEqualTo(0.6 + 1e-12);
    }

    @Test
    void theEssFloorExcludesPoliciesWhoseEstimateRestsOnFewWeights() {
        List<DeployGate.Candidate> cs = List.of(new DeployGate.Candidate("bold", 9.0, 4.0, 100),
                new DeployGate.Candidate("cautious", 5.0, 30.0, 100), new DeployGate.Candidate("worse", 4.0, 80.0, 100));
        assertThat(DeployGate.best(cs, 0)).isEqualTo(0);
        assertThat(DeployGate.best(cs, 0.05)).isEqualTo(1);
        assertThat(DeployGate.best(cs, 0.3)).isEqualTo(1); // ESS 30 reaches the floor of 30
        assertThat(DeployGate.best(cs, 0.31)).isEqualTo(2);
        assertThat(DeployGate.best(cs, 0.9)).isEqualTo(-1);
        DeployGate.Decision none = DeployGate.noneAboveFloor(cs, 0.9);
        assertThat(none.deploy()).isFalse();
        assertThat(none.policy()).isNull();
        assertThat(none.reason()).contains("bold ESS 4.0 of 100 < 90.0");
        assertThat(DeployGate.floor(0.25, 40)).isEqualTo(10.0);
        assertThatThrownBy(() -> DeployGate.floor(1.5, 10)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("learn.min_ess");
    }
}
