package org.recsysrl.ope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.policy.Policies;
import org.recsysrl.ope.synthetic.CoverageCheck;
import org.recsysrl.ope.synthetic.SyntheticBandit;

/** The estimators against the synthetic bandit's exact values. */
class SyntheticCoverageTest {

    @Test
    void intervalsOfIpsSnipsAndDrCoverTheTruthAboutNinetyFivePercentOfTheTime() {
        long t0 = System.nanoTime();
        CoverageCheck.Result r = CoverageCheck.run(200, 500, 200, List.of("ips", "snips", "dr"), 12);
        System.out.printf("truth %.4f coverage %s mean error %s rmse %s (%.1f s)%n", r.trueValue(), r.coverage(), r.meanError(), r.rmse(),
                (System.nanoTime() - t0) / 1e9);
        for (String e : List.of("ips", "snips", "dr")) {
            assertThat(r.coverage().get(e)).as(e).isBetween(0.92, 0.98);
            // and the estimators are (nearly) unbiased: mean error well inside the Monte-Carlo noise
            assertThat(Math.abs(r.meanError().get(e))).as(e).isLessThan(4 * r.rmse().get(e) / Math.sqrt(200));
        }
    }

    @Test
    void theTrueValueIsTheExactExpectation() {
        SyntheticBandit b = new SyntheticBandit(5, 2, 4, 1.0, 3);
        // the logger's value through the generic path equals the direct sum
        double direct = 0;
        for (int m = 0; m < 5; m++) {
            for (int a = 0; a < 4; a++) {
                direct += b.loggerProbability(m, a) * b.expectedReward(m, a) / 5;
            }
        }
        assertThat(b.loggerValue()).isCloseTo(direct, within(1e-15));
        // a uniform target's value is the mean expected reward
        double uniform = 0;
        for (int m = 0; m < 5; m++) {
            for (int a = 0; a < 4; a++) {
                uniform += b.expectedReward(m, a) / 20;
            }
        }
        LoggedFeedback log = b.log(50_000, 5, true);
        assertThat(b.trueValue(Policies.uniform(log, "u"))).isCloseTo(uniform, within(1e-15));
        // a large log's mean reward approaches the logger's value (4 standard errors)
        assertThat(log.meanReward()).isCloseTo(b.loggerValue(), within(4 * 0.5 / Math.sqrt(50_000)));
        // the logged propensities are the logger's probabilities, and rows carry the full distribution
        assertThat(log.hasLoggerDistribution(0)).isTrue();
        assertThat(log.loggerProbability(0, log.item(0, 0))).isEqualTo(log.propensity(0, 0));
        // IPS of the uniform target on this big log is within 4 SE of the truth
        double ips = new org.recsysrl.ope.estimator.InversePropensity()
                .terms(OpeInput.prepare(log, Policies.uniform(log, "u"), null)).estimate();
        assertThat(ips).isCloseTo(uniform, within(0.02));
    }
}
