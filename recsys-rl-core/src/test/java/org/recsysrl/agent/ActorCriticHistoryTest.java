package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import org.recsysrl.config.ActorHeadKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.HistoryEncoderConfig;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.Rng;

/** The actor-critic with an item-history encoder: gradients through the history, and its contract. */
class ActorCriticHistoryTest {
    private static final int OBS = 5;
    private static final int ACTIONS = 7;
    private static final int L = 4;

    private static PolicyNetworkConfig config(String encoder) {
        return new PolicyNetworkConfig(List.of(6), List.of(6), Activation.TANH, WeightInit.PYTORCH, ActorHeadKind.LOGITS, false, 1.0, true,
                new HistoryEncoderConfig(org.recsysrl.config.HistoryEncoderKind.of(encoder), L, 4, 1, 2));
    }

    /** L = Σ c·log π + Σ w·V: its gradient w.r.t. the logits is c − π·Σc per row. */
    private static double loss(ActorCritic m, float[] obs, int[] hist, int batch, float[] c, float[] w) {
        ActorCritic.Workspace ws = m.newWorkspace(batch);
        m.policy(ws, obs, hist, batch, null);
        m.value(ws, obs, hist, batch);
        double l = 0;
        for (int k = 0; k < batch * ACTIONS; k++) {
            l += c[k] * ws.logProbs()[k];
        }
        for (int b = 0; b < batch; b++) {
            l += w[b] * ws.values()[b];
        }
        return l;
    }

    @ParameterizedTest
    @ValueSource(strings = {"last-item", "mean", "gru", "attention"})
    void gradientsThroughTheHistoryMatchFiniteDifferences(String encoder) {
        Rng rng = new Rng(3);
        ActorCritic m = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS), config(encoder), rng);
        int batch = 3;
        float[] obs = new float[batch * OBS];
        for (int k = 0; k < obs.length; k++) {
            obs[k] = (float) rng.uniform(-1, 1);
        }
        // a full history, a short one, an empty one
        int[] hist = {1, 4, 6, 2, -1, -1, 3, 5, -1, -1, -1, -1};
        float[] c = new float[batch * ACTIONS];
        float[] w = new float[batch];
        for (int k = 0; k < c.length; k++) {
            c[k] = (float) rng.uniform(-1, 1);
        }
        for (int b = 0; b < batch; b++) {
            w[b] = (float) rng.uniform(-1, 1);
        }
        ActorCritic.Workspace ws = m.newWorkspace(batch);
        m.policy(ws, obs, hist, batch, null);
        m.value(ws, obs, hist, batch);
        for (int b = 0; b < batch; b++) {
            double sum = 0;
            for (int a = 0; a < ACTIONS; a++) {
                sum += c[b * ACTIONS + a];
            }
            for (int a = 0; a < ACTIONS; a++) {
                ws.logitGrads()[b * ACTIONS + a] = (float) (c[b * ACTIONS + a] - ws.probs()[b * ACTIONS + a] * sum);
            }
            ws.valueGrads()[b] = w[b];
        }
        java.util.Arrays.fill(m.parameters().grad(), 1f); // backward(accumulate=false) must overwrite
        m.backward(ws, obs, hist, batch, false);
        float[] g = m.parameters().grad().clone();
        float[] p = m.parameters().data();
        ParameterStore.Entry items = m.parameters().entry("history.items.weight");
        int from = items.offset();
        int checkedNonZero = 0;
        for (int i = from; i < p.length; i++) {
            float orig = p[i];
            double eps = encoder.equals("attention") ? 2e-3 : 1e-2;
            p[i] = (float) (orig + eps);
            double lp = loss(m, obs, hist, batch, c, w);
            p[i] = (float) (orig - eps);
            double lm = loss(m, obs, hist, batch, c, w);
            p[i] = orig;
            double num = (lp - lm) / (2 * eps);
            double tol = 3e-2 * Math.max(Math.abs(num), Math.abs(g[i])) + 3e-4;
            if (Math.abs(num - g[i]) > tol) {
                fail("%s: parameter %d: analytic %.7g vs numeric %.7g", encoder, i, g[i], num);
            }
            if (Math.abs(num) > 1e-5) {
                checkedNonZero++;
            }
        }
        assertThat(checkedNonZero).isGreaterThan(5);
        // item 0 is in no history: its embedding gets no gradient
        for (int j = 0; j < 4; j++) {
            assertThat(g[from + j]).isZero();
        }
    }

    @Test
    void anEmptyHistoryGivesTheSameAsZeroFeaturesAndHistoriesAreRequired() {
        ActorCritic m = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS), config("gru"), new Rng(1));
        assertThat(m.historyLength()).isEqualTo(L);
        float[] obs = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f};
        ActorCritic.Workspace ws = m.newWorkspace(1);
        assertThatThrownBy(() -> m.policy(ws, obs, 1)).isInstanceOf(IllegalArgumentException.class);
        m.policy(ws, obs, new int[] {-1, -1, -1, -1}, 1, null);
        float[] empty = ws.logProbs().clone();
        m.policy(ws, obs, new int[] {-1, -1, -1, 2}, 1, null);
        assertThat(java.util.Arrays.equals(empty, ws.logProbs())).isFalse();
        ActorCritic plain = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS), config("none"), new Rng(1));
        assertThat(plain.historyLength()).isZero();
        assertThat(plain.parameters().entries()).noneMatch(e -> e.name().startsWith("history."));
        assertThatThrownBy(() -> plain.policy(plain.newWorkspace(1), obs, new int[4], 1, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
