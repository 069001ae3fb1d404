package org.recsysrl.ope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.ope.estimator.UnitTerms;
import org.recsysrl.ope.model.RewardModel;
import org.recsysrl.ope.model.RidgeRewardModel;
import org.recsysrl.ope.policy.Policies;
import org.recsysrl.ope.policy.ScorerPolicy;
import org.recsysrl.ope.synthetic.SyntheticBandit;
import org.recsysrl.util.Rng;

/** The bootstrap, the ridge reward model and the scorer policy. */
class BootstrapAndModelTest {

    @Test
    void bootstrapStandardErrorOfAMeanMatchesTheFormulaAndIsReproducible() {
        Rng rng = new Rng(4);
        int n = 4000;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian() * 2 + 1;
        }
        UnitTerms t = UnitTerms.mean(x, null);
        double[] reps = Bootstrap.replicates(List.of(t), 2000, 9)[0];
        double sd = 0;
        double mean = t.estimate();
        for (double v : x) {
            sd += (v - mean) * (v - mean);
        }
        double se = Math.sqrt(sd / (n - 1) / n);
        assertThat(Bootstrap.standardDeviation(reps)).isCloseTo(se, within(0.06 * se));
        assertThat(Bootstrap.quantile(reps, 0.5)).isCloseTo(mean, within(0.1 * se));
        assertThat(Bootstrap.replicates(List.of(t), 50, 9)[0]).containsExactly(Bootstrap.replicates(List.of(t), 50, 9)[0]);
        assertThat(Bootstrap.replicates(List.of(t), 50, 10)[0][0]).isNotEqualTo(reps[0]);
        assertThat(Bootstrap.quantile(new double[] {3, 1, 2, Double.NaN}, 0.5)).isEqualTo(2.0);
        assertThat(Bootstrap.quantile(new double[] {0, 10}, 0.25)).isEqualTo(2.5);
    }

    @Test
    void twoComponentTermsAreResampledAsRatiosPerComponent() {
        // estimate = mean(a) + Σb/Σc: with constant b/c ratio every replicate equals the ratio plus a resampled mean
        double[] num = {1, 2, 3, 4, 5, 10, 7, 14};
        double[] den = {1, 1, 1, 1, 1, 5, 1, 7};
        UnitTerms t = new UnitTerms(4, 2, num, den, null, null);
        assertThat(t.estimate()).isCloseTo((1 + 3 + 5 + 7) / 4.0 + (2 + 4 + 10 + 14) / 14.0, within(1e-12));
        for (double r : Bootstrap.replicates(List.of(t), 100, 3)[0]) {
            if (Double.isFinite(r)) {
                assertThat(r).isBetween(1 + 1.9999, 7 + 2.0001);
            }
        }
    }

    @Test
    void ridgeModelRecoversALinearRewardAndMixesContextFreeTargetsExactly() {
        // reward = 0.5 + 0.2·x0 − 0.1·x1 for item 0, 0.1 + 0.3·x1 for item 1, plus 0.05 at position 1
        LoggedFeedback.Builder b = LoggedFeedback.builder("linear");
        b.index("a");
        b.index("b");
        Rng rng = new Rng(1);
        for (int r = 0; r < 400; r++) {
            double[] x = {rng.nextGaussian(), rng.nextGaussian()};
            int item = r % 2;
            int pos = (r / 2) % 2;
            double y = (item == 0 ? 0.5 + 0.2 * x[0] - 0.1 * x[1] : 0.1 + 0.3 * x[1]) + (pos == 1 ? 0.05 : 0);
            b.addIndexed(r, null, null, null, -1, x, pos, new int[] {item}, new double[] {0.5}, Double.NaN, null, y,
                    null, null);
        }
        LoggedFeedback log = b.build();
        RidgeRewardModel m = RidgeRewardModel.fit(log, 1e-8, 1e-8);
        for (int r = 0; r < 20; r++) {
            for (int pos = 0; pos < 2; pos++) {
                double x0 = log.context(r, 0);
                double x1 = log.context(r, 1);
                assertThat(m.predict(log, r, pos, 0)).isCloseTo(0.5 + 0.2 * x0 - 0.1 * x1 + 0.05 * pos, within(1e-6));
                assertThat(m.predict(log, r, pos, 1)).isCloseTo(0.1 + 0.3 * x1 + 0.05 * pos, within(1e-6));
            }
        }
        // the context-free fast path equals the generic sum over items
        var target = new org.recsysrl.ope.policy.ContextFreePolicy("t",
                List.of(java.util.Map.of("a", 0.3, "b", 0.7), java.util.Map.of("a", 0.9, "b", 0.1)));
        RewardModel generic = (l, row, pos, item) -> m.predict(l, row, pos, item);
        double[] scratch = new double[2];
        for (int r = 0; r < 10; r++) {
            for (int pos = 0; pos < 2; pos++) {
                assertThat(m.expectedUnder(target, log, r, pos, scratch))
                        .isCloseTo(generic.expectedUnder(target, log, r, pos, scratch), within(1e-12));
            }
        }
        // cross-fitted: each half's model never saw its rows, yet with a noiseless linear reward it is exact too
        RewardModel cf = RidgeRewardModel.crossFitted(log, 1e-8, 1e-8, 2);
        assertThat(cf.predict(log, 3, 0, 1)).isCloseTo(0.1 + 0.3 * log.context(3, 1), within(1e-6));
    }

    @Test
    void scorerPolicyIsASoftmaxOrAGreedyRanking() {
        SyntheticBandit bandit = new SyntheticBandit(3, 2, 4, 1.0, 5);
        LoggedFeedback frame = bandit.contextFrame();
        double[] logits = new double[4];
        bandit.trueScorer().score(frame, 1, logits);
        ScorerPolicy soft = new ScorerPolicy("s", bandit.trueScorer(), 2.0);
        double z = 0;
        for (double l : logits) {
            z += Math.exp(l / 2);
        }
        for (int a = 0; a < 4; a++) {
            assertThat(soft.probability(frame, 1, 0, a)).isCloseTo(Math.exp(logits[a] / 2) / z, within(1e-12));
        }
        ScorerPolicy greedy = new ScorerPolicy("g", bandit.trueScorer(), 0);
        int best = 0;
        for (int a = 1; a < 4; a++) {
            if (logits[a] > logits[best]) {
                best = a;
            }
        }
        assertThat(greedy.probability(frame, 1, 0, best)).isEqualTo(1.0);
        assertThat(greedy.probability(frame, 1, 0, (best + 1) % 4)).isEqualTo(0.0);
        // the greedy target's exact value is the best item's expected reward averaged over contexts
        double v = 0;
        for (int m = 0; m < 3; m++) {
            double top = 0;
            for (int a = 0; a < 4; a++) {
                top = Math.max(top, bandit.expectedReward(m, a));
            }
            v += top / 3;
        }
        assertThat(bandit.trueValue(greedy)).isCloseTo(v, within(1e-15));
        assertThat(Policies.uniform(frame, "u").contextFree()).isTrue();
    }
}
