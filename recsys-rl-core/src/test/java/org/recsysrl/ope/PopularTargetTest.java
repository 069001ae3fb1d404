package org.recsysrl.ope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.ope.estimator.InversePropensity;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.estimator.SelfNormalizedIps;
import org.recsysrl.ope.policy.ContextFreePolicy;
import org.recsysrl.ope.policy.Policies;

/** The built-in most-popular target, on the hand-computed log of {@link EstimatorHandComputedTest}. */
class PopularTargetTest {

    @Test
    void popularPicksTheItemWithTheMostRewardTiesToTheFirstListed() {
        // rewards by item: A 1 + 0 = 1, B 0, C 1 → A and C tie; A is listed first
        ContextFreePolicy popular = Policies.popular(EstimatorHandComputedTest.tinyLog(), "popular");
        assertThat(popular.positionDistribution(0)).containsExactlyEntriesOf(java.util.Map.of("A", 1.0));
        assertThat(popular.name()).isEqualTo("popular");
    }

    @Test
    void itsIpsAndSnipsMatchHandComputedValues() {
        LoggedFeedback log = EstimatorHandComputedTest.tinyLog();
        ContextFreePolicy popular = Policies.popular(log, "popular");
        OpeInput in = OpeInput.prepare(log, popular, EstimatorHandComputedTest.MODEL);
        // weights π/p: A rows 1/0.5 = 2, others 0 → IPS = (2·1 + 2·0) / 4, SNIPS = 2 / (2 + 2)
        assertThat(new InversePropensity().terms(in).estimate()).isCloseTo(0.5, within(1e-12));
        assertThat(new SelfNormalizedIps().terms(in).estimate()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void anotherLogChoosesTheItem() {
        LoggedFeedback.Builder b = LoggedFeedback.builder("earlier");
        for (Object[] r : new Object[][] {{"C", 1.0}, {"C", 1.0}, {"A", 0.0}}) {
            b.add(new Impression(LoggedFeedback.NO_TIME, null, null, null, -1, new double[0], 0,
                    List.of((String) r[0]), new double[] {0.5}, Double.NaN, null, (double) r[1], null));
        }
        ContextFreePolicy popular = Policies.popular(b.build(), "popular:earlier");
        OpeInput in = OpeInput.prepare(EstimatorHandComputedTest.tinyLog(), popular, EstimatorHandComputedTest.MODEL);
        // C is logged once with p 0.25 and reward 1: IPS = 4 · 1 / 4
        assertThat(new InversePropensity().terms(in).estimate()).isCloseTo(1.0, within(1e-12));
    }
}
