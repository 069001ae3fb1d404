package org.recsysrl.env.platform.socialfeed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;
import org.recsysrl.env.StepResult;

class SocialFeedEnvTest {
    private static final SocialFeedSpec SPEC = SocialFeedSpec.withSeed(19);
    private static final SocialFeedCatalog CATALOG = new SocialFeedCatalog(SPEC);
    private static final int D = SPEC.observationSize();
    private static final int C = SPEC.types();

    @Test
    void responseFormulasByHand() {
        // θ = 0.5, a = 0.8, φ = 0, ν = 0.3: σ(1 + 0.9 − 0.3) = σ(1.6); f = 0.4 + 0.125 + 0.32 = 0.845
        assertThat(SocialFeedResponse.engageProbability(0.5, 0.8, 0, 0.3)).isCloseTo(1 / (1 + Math.exp(-1.6)),
                within(1e-12));
        assertThat(SocialFeedResponse.fraction(0.5, 0.8, 0)).isCloseTo(0.845, within(1e-12));
        // σ(4·0.5 − 2·0.3 − 1) = σ(0.4)
        assertThat(SocialFeedResponse.returnProbability(SPEC, 0.5, 0.3)).isCloseTo(1 / (1 + Math.exp(-0.4)),
                within(1e-12));
        // an ad's expected reward includes its revenue, earned whether or not the user engages
        int ad = SPEC.ADS * SPEC.perType();
        double w = SocialFeedResponse.engageProbability(0, CATALOG.appeal(ad), 0, 0)
                * SocialFeedResponse.fraction(0, CATALOG.appeal(ad), 0) * CATALOG.length(ad);
        assertThat(SocialFeedResponse.expectedReward(CATALOG, ad, 0, 0, 0)).isCloseTo(w + SPEC.adRevenue(),
                within(1e-12));
    }

    @Test
    void anAdEarnsItsRevenueAndAnnoysAFriendsPostBuildsTheConnection() {
        boolean sawFriendEngaged = false;
        for (int trial = 0; trial < 40; trial++) {
            SocialFeedEnv env = new SocialFeedEnv(CATALOG, trial);
            float[] obs = new float[D];
            env.reset(trial, obs, 0);
            float[] before = obs.clone();
            StepResult out = new StepResult();
            int ad = SocialFeedSpec.ADS * SPEC.perType() + trial % SPEC.perType();
            env.step(ad, obs, 0, out);
            assertThat((double) out.reward).isGreaterThanOrEqualTo(SPEC.adRevenue() - 1e-6);
            assertThat((double) obs[2 * C]).isCloseTo(SPEC.annoyanceGain(), within(1e-6));
            assertThat(obs[C + SocialFeedSpec.ADS]).isEqualTo((float) SPEC.fatigueGain());
            double spent = SPEC.scrollCost() + SPEC.adLength() + (out.reward - SPEC.adRevenue());
            assertThat((double) obs[2 * C + 2]).isCloseTo(1 - spent / SPEC.sessionBudget(), within(1e-5));
            if (out.done()) {
                continue;
            }
            float[] mid = obs.clone();
            int friend = trial % SPEC.perType();
            env.step(friend, obs, 0, out);
            if (out.reward > 0 && !out.done()) {
                sawFriendEngaged = true;
                double f = out.reward / CATALOG.length(friend);
                assertThat((double) obs[2 * C + 1]).isCloseTo(Math.min(1, mid[2 * C + 1] + SPEC.connectionGain() * f),
                        within(1e-5));
            }
            assertThat(before[2 * C + 1]).isEqualTo(CATALOG.connection(trial));
        }
        assertThat(sawFriendEngaged).isTrue();
    }

    @Test
    void snapshotRestoresTheExactContinuation() throws Exception {
        SocialFeedEnv a = new SocialFeedEnv(CATALOG, 9);
        float[] obs = new float[D];
        a.reset(obs, 0);
        StepResult out = new StepResult();
        for (int i = 0; i < 9; i++) {
            a.step((i * 37) % SPEC.items(), obs, 0, out);
            if (out.done()) {
                a.reset(obs, 0);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.saveState(new DataOutputStream(bytes));
        SocialFeedEnv b = new SocialFeedEnv(CATALOG, 1234);
        b.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        float[] obsA = new float[D];
        float[] obsB = new float[D];
        StepResult outB = new StepResult();
        for (int i = 0; i < 60; i++) {
            int post = (i * 13) % SPEC.items();
            a.step(post, obsA, 0, out);
            b.step(post, obsB, 0, outB);
            assertThat(obsB).containsExactly(obsA);
            assertThat(outB.reward).isEqualTo(out.reward);
            if (out.done()) {
                a.reset(obsA, 0);
                b.reset(obsB, 0);
            }
        }
    }
}
