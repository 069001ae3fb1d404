package org.recsysrl.env.platform.shortvideo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;
import org.recsysrl.env.StepResult;

class ShortVideoEnvTest {
    private static final ShortVideoSpec SPEC = ShortVideoSpec.defaults();
    private static final ShortVideoCatalog CATALOG = new ShortVideoCatalog(SPEC);

    @Test
    void responseFormulasByHand() {
        // θ = 0.5, a = 0.8, s = 0: σ(2·0.5 + 3·0.3) = σ(1.9); f = 0.35 + 0.125 + 0.32 = 0.795
        assertThat(ShortVideoResponse.watchProbability(0.5, 0.8, 0)).isCloseTo(1 / (1 + Math.exp(-1.9)), within(1e-12));
        assertThat(ShortVideoResponse.watchFraction(0.5, 0.8, 0)).isCloseTo(0.795, within(1e-12));
        // satiation 1 lowers both: σ(1.9 − 1.5), 0.795 − 0.2
        assertThat(ShortVideoResponse.watchProbability(0.5, 0.8, 1)).isCloseTo(1 / (1 + Math.exp(-0.4)), within(1e-12));
        assertThat(ShortVideoResponse.watchFraction(0.5, 0.8, 1)).isCloseTo(0.595, within(1e-12));
        // clipped below at 0.05
        assertThat(ShortVideoResponse.watchFraction(-1, 0, 5)).isEqualTo(0.05);
        assertThat(ShortVideoResponse.returnProbability(0.5, 4, 0.5)).isCloseTo(1 / (1 + Math.exp(-2.5)), within(1e-12));
    }

    @Test
    void catalogueHasClickbaitWithHighAppealAndNegativeQuality() {
        int bait = 0;
        for (int i = 0; i < SPEC.items(); i++) {
            if (CATALOG.clickbait(i)) {
                bait++;
                assertThat(CATALOG.appeal(i)).isGreaterThanOrEqualTo(0.7f);
                assertThat(CATALOG.quality(i)).isLessThan(0f);
            } else {
                assertThat(CATALOG.appeal(i)).isLessThanOrEqualTo(0.7f);
                assertThat(CATALOG.quality(i)).isGreaterThanOrEqualTo(0f);
            }
            assertThat(CATALOG.topic(i)).isEqualTo(i / SPEC.itemsPerTopic());
        }
        assertThat(bait).isEqualTo(SPEC.topics() * (int) Math.round(SPEC.clickbaitShare() * SPEC.itemsPerTopic()));
    }

    @Test
    void oneStepMovesBudgetSatiationAndInterestAsDocumented() {
        int d = SPEC.observationSize();
        int topics = SPEC.topics();
        boolean sawWatch = false;
        boolean sawSkip = false;
        for (int trial = 0; trial < 50 && !(sawWatch && sawSkip); trial++) {
            ShortVideoEnv env = new ShortVideoEnv(CATALOG, trial);
            float[] obs = new float[d];
            env.reset(3, obs, 0);
            assertThat(obs[2 * topics]).isEqualTo(1f);
            assertThat(obs[2 * topics + 2]).isEqualTo(1f / SPEC.maxSessions());
            int item = 7 + 31 * (trial % 6);
            int t = CATALOG.topic(item);
            double theta = obs[t];
            StepResult r = new StepResult();
            env.step(item, obs, 0, r);
            double budgetLeft = obs[2 * topics] * SPEC.sessionBudget();
            assertThat(obs[topics + t]).isCloseTo((float) SPEC.satiationGain(), within(1e-6f));
            if (r.reward > 0) {
                sawWatch = true;
                double f = ShortVideoResponse.watchFraction(theta, CATALOG.appeal(item), 0);
                double w = f * CATALOG.length(item);
                assertThat((double) r.reward).isCloseTo(w, within(1e-5));
                assertThat(budgetLeft).isCloseTo(SPEC.sessionBudget() - w * (1 - SPEC.qualityRefund()
                        * CATALOG.quality(item)) - SPEC.scrollCost(), within(1e-4));
                assertThat((double) obs[t]).isCloseTo(Math.max(-1, Math.min(1, theta + SPEC.interestDrift() * (f - 0.5))),
                        within(1e-6));
                assertThat(obs[2 * topics + 1]).isZero();
            } else {
                sawSkip = true;
                assertThat(budgetLeft).isCloseTo(SPEC.sessionBudget() - SPEC.scrollCost(), within(1e-4));
                assertThat(obs[2 * topics + 1]).isCloseTo(1f / SPEC.skipsToLeave(), within(1e-6f));
            }
        }
        assertThat(sawWatch).isTrue();
        assertThat(sawSkip).isTrue();
    }

    @Test
    void sessionsEndAfterTheSkipStreakAndEpisodesAfterTheLastSession() {
        // an item the user dislikes and is sated with is skipped often; each session ends at 3 skips
        ShortVideoEnv env = new ShortVideoEnv(CATALOG, 5);
        float[] obs = new float[SPEC.observationSize()];
        StepResult r = new StepResult();
        int steps = 0;
        env.reset(0, obs, 0);
        do {
            env.step(steps % 3 == 0 ? 20 : 24, obs, 0, r);
            steps++;
        } while (!r.done());
        assertThat(r.terminated).isTrue();
        assertThat(env.engagement().sessions).isBetween(1, SPEC.maxSessions());
        assertThat(env.engagement().watched + env.engagement().skipped).isEqualTo(steps);
        assertThatThrownBy(() -> env.step(0, obs, 0, r)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> env.reset(SPEC.users(), obs, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deterministicPerSeedAndResumableFromASavedState() throws Exception {
        ShortVideoEnv a = new ShortVideoEnv(CATALOG, 9);
        ShortVideoEnv b = new ShortVideoEnv(CATALOG, 9);
        float[] oa = new float[SPEC.observationSize()];
        float[] ob = new float[SPEC.observationSize()];
        StepResult ra = new StepResult();
        StepResult rb = new StepResult();
        a.reset(oa, 0);
        b.reset(ob, 0);
        for (int k = 0; k < 10; k++) {
            a.step(k * 13 % SPEC.items(), oa, 0, ra);
            b.step(k * 13 % SPEC.items(), ob, 0, rb);
            assertThat(oa).containsExactly(ob);
            assertThat(ra.reward).isEqualTo(rb.reward);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.saveState(new DataOutputStream(bytes));
        ShortVideoEnv c = new ShortVideoEnv(CATALOG, 1234);
        c.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        float[] oc = new float[SPEC.observationSize()];
        StepResult rc = new StepResult();
        for (int k = 0; k < 20 && !ra.done(); k++) {
            a.step(k * 7 % SPEC.items(), oa, 0, ra);
            c.step(k * 7 % SPEC.items(), oc, 0, rc);
            assertThat(oc).containsExactly(oa);
            assertThat(rc.reward).isEqualTo(ra.reward);
            assertThat(rc.done()).isEqualTo(ra.done());
        }
    }
}
