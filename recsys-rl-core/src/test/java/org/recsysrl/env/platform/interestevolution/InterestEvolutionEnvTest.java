package org.recsysrl.env.platform.interestevolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.recsysrl.env.StepResult;

class InterestEvolutionEnvTest {
    private static final InterestEvolutionSpec SPEC = InterestEvolutionSpec.defaults();
    private static final InterestEvolutionCatalog CATALOG = new InterestEvolutionCatalog(SPEC);
    private static final int D = SPEC.observationSize();
    private static final int T = SPEC.topics();

    @Test
    void responseFormulasByHand() {
        // β = 2, decay 0.3: θ = 0.25, a = 1 at position 2 → e^{2·1.25 − 0.6} = e^{1.9}
        assertThat(InterestEvolutionResponse.choiceWeight(SPEC, 0.25, 1, 2)).isCloseTo(Math.exp(1.9), within(1e-12));
        assertThat(InterestEvolutionResponse.noClickWeight(SPEC)).isCloseTo(Math.exp(0.5), within(1e-12));
        // f = 0.6 + 0.15·(−0.5) + 0.2·0.25 = 0.575; clipped at 1 and at 0.05
        assertThat(InterestEvolutionResponse.watchFraction(0.25, -0.5)).isCloseTo(0.575, within(1e-12));
        assertThat(InterestEvolutionResponse.watchFraction(1, 1)).isEqualTo(0.95, within(1e-12));
        assertThat(InterestEvolutionResponse.watchFraction(-5, -1)).isEqualTo(0.05);
    }

    @Test
    void clickbaitTopicsHaveHighAppealAndNegativeQuality() {
        for (int d = 0; d < SPEC.docs(); d++) {
            boolean bait = CATALOG.clickbaitTopic(CATALOG.topic(d));
            assertThat(CATALOG.topic(d)).isEqualTo(d / SPEC.docsPerTopic());
            if (bait) {
                assertThat(CATALOG.appeal(d)).isBetween(0.7f, 1.3f);
                assertThat(CATALOG.quality(d)).isBetween(-0.7f, -0.3f);
            } else {
                assertThat(CATALOG.appeal(d)).isBetween(-0.3f, 0.3f);
                assertThat(CATALOG.quality(d)).isBetween(0.3f, 0.7f);
            }
        }
    }

    @Test
    void observationDescribesTheUserAndEveryCandidate() {
        InterestEvolutionEnv env = new InterestEvolutionEnv(CATALOG, 4);
        float[] obs = new float[D];
        env.reset(17, obs, 0);
        Set<Integer> docs = new HashSet<>();
        for (int t = 0; t < T; t++) {
            assertThat(obs[t]).isEqualTo(CATALOG.interest(17, t));
        }
        assertThat(obs[T]).isEqualTo(1f); // budget left / B
        assertThat(obs[T + 2]).isEqualTo(1f / SPEC.maxSessions());
        for (int s = 0; s < SPEC.candidates(); s++) {
            int doc = env.candidate(s);
            docs.add(doc);
            int base = SPEC.candidatesOffset() + s * SPEC.candidateWidth();
            for (int t = 0; t < T; t++) {
                assertThat(obs[base + t]).isEqualTo(t == CATALOG.topic(doc) ? 1f : 0f);
            }
            assertThat(obs[base + T]).isEqualTo(CATALOG.interest(17, CATALOG.topic(doc)));
        }
        assertThat(docs).as("candidates are distinct").hasSize(SPEC.candidates());
    }

    @Test
    void aClickSpendsTheBudgetAsDocumented() {
        boolean sawClick = false;
        boolean sawNone = false;
        int[] slate = {4, 0, 7};
        for (int trial = 0; trial < 60 && !(sawClick && sawNone); trial++) {
            InterestEvolutionEnv env = new InterestEvolutionEnv(CATALOG, trial);
            float[] obs = new float[D];
            env.reset(trial, obs, 0);
            int[] docs = {env.candidate(slate[0]), env.candidate(slate[1]), env.candidate(slate[2])};
            float[] before = obs.clone();
            StepResult out = new StepResult();
            env.stepSlate(slate, 0, obs, 0, out);
            double budget = SPEC.sessionBudget() - SPEC.stepCost();
            if (out.choice >= 0) {
                sawClick = true;
                int d = docs[out.choice];
                int t = CATALOG.topic(d);
                double q = CATALOG.quality(d);
                double f = InterestEvolutionResponse.watchFraction(before[t], q);
                assertThat((double) out.reward).isCloseTo(f * SPEC.docLength(), within(1e-5));
                budget -= f * SPEC.docLength() * (1 - SPEC.qualityRefund() * q);
                assertThat((double) obs[t]).isCloseTo(before[t] + SPEC.interestDrift() * (f - 0.5), within(1e-6));
                assertThat(obs[T + 1]).isZero();
            } else {
                sawNone = true;
                assertThat(out.reward).isZero();
                assertThat(obs[T + 1]).isEqualTo(1f / SPEC.noClicksToLeave());
            }
            assertThat((double) obs[T]).isCloseTo(budget / SPEC.sessionBudget(), within(1e-6));
        }
        assertThat(sawClick).isTrue();
        assertThat(sawNone).isTrue();
    }

    @Test
    void choicesFollowTheMultinomialLogitWithNoClick() {
        InterestEvolutionEnv base = new InterestEvolutionEnv(CATALOG, 1);
        float[] obs = new float[D];
        base.reset(5, obs, 0);
        int[] slate = {2, 9, 5};
        double[] weight = new double[4];
        weight[3] = InterestEvolutionResponse.noClickWeight(SPEC);
        double total = weight[3];
        for (int k = 0; k < 3; k++) {
            int d = base.candidate(slate[k]);
            weight[k] = InterestEvolutionResponse.choiceWeight(SPEC, obs[CATALOG.topic(d)], CATALOG.appeal(d), k);
            total += weight[k];
        }
        int draws = 40_000;
        int[] counts = new int[4];
        InterestEvolutionEnv env = new InterestEvolutionEnv(CATALOG, 0);
        StepResult out = new StepResult();
        for (int n = 0; n < draws; n++) {
            env.copyStateFrom(base);
            env.reseed(1000 + n);
            env.stepSlate(slate, 0, new float[D], 0, out);
            counts[out.choice < 0 ? 3 : out.choice]++;
        }
        for (int k = 0; k < 4; k++) {
            double p = weight[k] / total;
            assertThat((double) counts[k] / draws).as("outcome %d", k)
                    .isCloseTo(p, within(4 * Math.sqrt(p * (1 - p) / draws)));
        }
    }

    @Test
    void slatesAreChecked() {
        InterestEvolutionEnv env = new InterestEvolutionEnv(CATALOG, 2);
        float[] obs = new float[D];
        env.reset(0, obs, 0);
        StepResult out = new StepResult();
        assertThatThrownBy(() -> env.stepSlate(new int[] {1, 3, 1}, 0, obs, 0, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> env.stepSlate(new int[] {1, 3, 10}, 0, obs, 0, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in [0, 10)");
        assertThatThrownBy(() -> env.step(1, obs, 0, out)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("slates of 3");
        assertThat(env.slateSize()).isEqualTo(3);
    }

    @Test
    void snapshotRestoresTheExactContinuation() throws Exception {
        InterestEvolutionEnv a = new InterestEvolutionEnv(CATALOG, 9);
        float[] obs = new float[D];
        a.reset(obs, 0);
        StepResult out = new StepResult();
        int[] slate = {0, 1, 2};
        for (int i = 0; i < 7; i++) {
            a.stepSlate(slate, 0, obs, 0, out);
            if (out.done()) {
                a.reset(obs, 0);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.saveState(new DataOutputStream(bytes));
        InterestEvolutionEnv b = new InterestEvolutionEnv(CATALOG, 123);
        b.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        float[] obsA = new float[D];
        float[] obsB = new float[D];
        StepResult outB = new StepResult();
        for (int i = 0; i < 40; i++) {
            int[] s = {i % 10, (i + 3) % 10, (i + 7) % 10};
            a.stepSlate(s, 0, obsA, 0, out);
            b.stepSlate(s, 0, obsB, 0, outB);
            assertThat(obsB).containsExactly(obsA);
            assertThat(outB.reward).isEqualTo(out.reward);
            assertThat(outB.choice).isEqualTo(out.choice);
            if (out.done()) {
                a.reset(obsA, 0);
                b.reset(obsB, 0);
            }
        }
    }
}
