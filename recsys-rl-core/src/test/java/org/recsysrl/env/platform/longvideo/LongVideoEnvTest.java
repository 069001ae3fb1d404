package org.recsysrl.env.platform.longvideo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;
import org.recsysrl.env.StepResult;

class LongVideoEnvTest {
    private static final LongVideoSpec SPEC = LongVideoSpec.withSeed(21);
    private static final LongVideoCatalog CATALOG = new LongVideoCatalog(SPEC);
    private static final int D = SPEC.observationSize();
    private static final int G = SPEC.genres();

    @Test
    void responseFormulasByHand() {
        // θ = 0.4, a = 0.6: σ(0.8 + 0.2) = σ(1); rested f = 0.7 + 0.1 + 0.18 = 0.98
        assertThat(LongVideoResponse.startProbability(0.4, 0.6)).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-12));
        assertThat(LongVideoResponse.completion(SPEC, 0.4, 0.6, 0, 100)).isCloseTo(0.98, within(1e-12));
        // tired (F = 0.5), 90 minutes: 0.98 − 0.8·0.5·1.5 = 0.38; 30 minutes: 0.98 − 0.8·0.5·0.5 = 0.78
        assertThat(LongVideoResponse.completion(SPEC, 0.4, 0.6, 0.5, 90)).isCloseTo(0.38, within(1e-12));
        assertThat(LongVideoResponse.completion(SPEC, 0.4, 0.6, 0.5, 30)).isCloseTo(0.78, within(1e-12));
        // σ(12·(0.8 − 0.75) + 0.5) = σ(1.1)
        assertThat(LongVideoResponse.returnProbability(SPEC, 0.8)).isCloseTo(1 / (1 + Math.exp(-1.1)), within(1e-12));
        for (int i = 0; i < SPEC.items(); i++) {
            boolean longOne = i % SPEC.perGenre() >= SPEC.perGenre() / 2;
            assertThat(CATALOG.length(i)).isBetween(longOne ? 80f : 20f, longOne ? 120f : 40f);
        }
    }

    @Test
    void watchingTiresTheViewerAndSpendsTheEvening() {
        boolean sawStart = false;
        for (int trial = 0; trial < 30; trial++) {
            LongVideoEnv env = new LongVideoEnv(CATALOG, trial);
            float[] obs = new float[D];
            env.reset(trial, obs, 0);
            float[] before = obs.clone();
            StepResult out = new StepResult();
            int video = (trial * 7) % SPEC.items();
            env.step(video, obs, 0, out);
            if (out.reward > 0) {
                sawStart = true;
                double f = LongVideoResponse.completion(SPEC, before[SPEC.genre(video)], CATALOG.appeal(video), 0,
                        CATALOG.length(video));
                assertThat((double) out.reward).isCloseTo(f * CATALOG.length(video), within(1e-3));
                assertThat((double) obs[G]).isCloseTo(out.reward / SPEC.fatigueScale(), within(1e-5));
                assertThat((double) obs[G + 1]).isCloseTo(Math.max(0, 1 - out.reward / SPEC.sessionMinutes()),
                        within(1e-5));
                assertThat((double) obs[G + 3]).isCloseTo(f, within(1e-6));
            } else {
                assertThat((double) obs[G + 1]).isCloseTo(1 - SPEC.browseCost() / SPEC.sessionMinutes(), within(1e-6));
                assertThat(obs[G + 2]).isEqualTo(1f / SPEC.skipsToLeave());
            }
        }
        assertThat(sawStart).isTrue();
    }

    @Test
    void snapshotRestoresTheExactContinuation() throws Exception {
        LongVideoEnv a = new LongVideoEnv(CATALOG, 9);
        float[] obs = new float[D];
        a.reset(obs, 0);
        StepResult out = new StepResult();
        for (int i = 0; i < 5; i++) {
            a.step((i * 11) % SPEC.items(), obs, 0, out);
            if (out.done()) {
                a.reset(obs, 0);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.saveState(new DataOutputStream(bytes));
        LongVideoEnv b = new LongVideoEnv(CATALOG, 77);
        b.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        float[] obsA = new float[D];
        float[] obsB = new float[D];
        StepResult outB = new StepResult();
        for (int i = 0; i < 40; i++) {
            int video = (i * 17) % SPEC.items();
            a.step(video, obsA, 0, out);
            b.step(video, obsB, 0, outB);
            assertThat(obsB).containsExactly(obsA);
            assertThat(outB.reward).isEqualTo(out.reward);
            if (out.done()) {
                a.reset(obsA, 0);
                b.reset(obsB, 0);
            }
        }
    }
}
