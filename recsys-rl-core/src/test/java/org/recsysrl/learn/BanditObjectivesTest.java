package org.recsysrl.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.util.Rng;

/** The off-policy losses: hand-computed values and finite-difference checks of their gradients. */
class BanditObjectivesTest {
    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            p[j] = Math.exp(z[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < z.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    @Test
    void banditNetLossAndGradientByHand() {
        // π = (1/6, 2/6, 3/6); action 1 (π = 1/3), r = 1, p = 0.5, λ = 0.25: (0.25 − 1)/0.5 · 1/3 = −0.5
        double[] probs = softmax(new double[] {0, Math.log(2), Math.log(3)});
        float[] grad = new float[3];
        double loss = BanditObjectives.banditNet(probs, 0, 3, 1, 1.0, 0.5, 0.25, grad, 0, 1.0);
        assertEquals(-0.5, loss, 1e-12);
        // ∂/∂z_j = −1.5 · 1/3 · (1[j = 1] − π_j) = (1/12, −1/3, 1/4)
        assertEquals(1.0 / 12, grad[0], 1e-7);
        assertEquals(-1.0 / 3, grad[1], 1e-7);
        assertEquals(0.25, grad[2], 1e-7);
    }

    @Test
    void doublyRobustLossAndGradientByHand() {
        // π = (1/6, 1/3, 1/2), q̂ = (1, 2, 0), action 2, r = 1, p = 0.25:
        // v̂ = 5/6, c = (1 − 0)/0.25 = 4, loss = −(5/6 + 4 · 1/2) = −17/6
        double[] probs = softmax(new double[] {0, Math.log(2), Math.log(3)});
        float[] grad = new float[3];
        double loss = BanditObjectives.doublyRobust(probs, 0, 3, 2, 1.0, 0.25, new double[] {1, 2, 0}, 0, grad, 0,
                1.0);
        assertEquals(-17.0 / 6, loss, 1e-12);
        assertEquals(11.0 / 36, grad[0], 1e-7);
        assertEquals(5.0 / 18, grad[1], 1e-7);
        assertEquals(-7.0 / 12, grad[2], 1e-7);
    }

    @Test
    void gradientsMatchFiniteDifferencesOfTheLosses() {
        Rng rng = Rng.stream(7, 1);
        int n = 6;
        for (int trial = 0; trial < 20; trial++) {
            double[] z = new double[n];
            double[] q = new double[n];
            for (int j = 0; j < n; j++) {
                z[j] = 2 * rng.nextDouble() - 1;
                q[j] = 3 * rng.nextDouble() - 1;
            }
            int action = rng.nextInt(n);
            double reward = rng.nextDouble() * 2;
            double propensity = 0.05 + 0.9 * rng.nextDouble();
            double lambda = rng.nextDouble();
            float[] gb = new float[n];
            float[] gd = new float[n];
            BanditObjectives.banditNet(softmax(z), 0, n, action, reward, propensity, lambda, gb, 0, 0.5);
            BanditObjectives.doublyRobust(softmax(z), 0, n, action, reward, propensity, q, 0, gd, 0, 0.5);
            double h = 1e-6;
            for (int j = 0; j < n; j++) {
                double[] up = z.clone();
                double[] down = z.clone();
                up[j] += h;
                down[j] -= h;
                float[] scratch = new float[n];
                double fdB = 0.5 * (BanditObjectives.banditNet(softmax(up), 0, n, action, reward, propensity, lambda,
                        scratch, 0, 1) - BanditObjectives.banditNet(softmax(down), 0, n, action, reward, propensity,
                        lambda, scratch, 0, 1)) / (2 * h);
                double fdD = 0.5 * (BanditObjectives.doublyRobust(softmax(up), 0, n, action, reward, propensity, q, 0,
                        scratch, 0, 1) - BanditObjectives.doublyRobust(softmax(down), 0, n, action, reward, propensity,
                        q, 0, scratch, 0, 1)) / (2 * h);
                assertEquals(fdB, gb[j], 1e-6 * Math.max(1, Math.abs(fdB)), "banditnet, trial " + trial + ", z" + j);
                assertEquals(fdD, gd[j], 1e-6 * Math.max(1, Math.abs(fdD)), "dr, trial " + trial + ", z" + j);
            }
        }
    }

    /**
     * Through the network as the learner drives it: the gradient of a batch's mean BanditNet loss
     * with respect to the actor's parameters (logit gradients, then {@link ActorCritic#backward})
     * matches central differences of that loss.
     */
    @Test
    void networkGradientOfTheBatchLossMatchesFiniteDifferences() {
        int d = 3;
        int n = 4;
        int batch = 5;
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(d, n), PolicyNetworkConfig.of(List.of(6), List.of(4), Activation.TANH,
                WeightInit.PYTORCH), Rng.stream(3, 1));
        Rng rng = Rng.stream(3, 2);
        float[] obs = new float[batch * d];
        for (int k = 0; k < obs.length; k++) {
            obs[k] = (float) (2 * rng.nextDouble() - 1);
        }
        int[] actions = {0, 3, 1, 1, 2};
        double[] rewards = {1, 0, 2, 0.5, 0};
        double[] props = {0.3, 0.1, 0.5, 0.25, 0.2};
        double lambda = 0.4;
        ActorCritic.Workspace ws = model.newWorkspace(batch);
        model.policy(ws, obs, batch);
        model.value(ws, obs, batch);
        double[] probs = new double[batch * n];
        for (int k = 0; k < probs.length; k++) {
            probs[k] = ws.probs()[k];
        }
        for (int b = 0; b < batch; b++) {
            BanditObjectives.banditNet(probs, b * n, n, actions[b], rewards[b], props[b], lambda, ws.logitGrads(), b * n,
                    1.0 / batch);
        }
        java.util.Arrays.fill(ws.valueGrads(), 0f);
        model.backward(ws, obs, batch, false);
        float[] params = model.parameters().data();
        float[] analytic = model.parameters().grad().clone();
        double h = 1e-3;
        int checked = 0;
        for (int i = 0; i < params.length; i += 3) {
            float saved = params[i];
            params[i] = (float) (saved + h);
            double up = batchLoss(model, obs, batch, n, actions, rewards, props, lambda);
            params[i] = (float) (saved - h);
            double down = batchLoss(model, obs, batch, n, actions, rewards, props, lambda);
            params[i] = saved;
            double fd = (up - down) / (2 * h);
            assertEquals(fd, analytic[i], 2e-4 + 1e-3 * Math.abs(fd), "parameter " + i);
            checked++;
        }
        assertEquals(true, checked > 10);
    }

    private static double batchLoss(ActorCritic model, float[] obs, int batch, int n, int[] actions, double[] rewards,
            double[] props, double lambda) {
        ActorCritic.Workspace ws = model.newWorkspace(batch);
        model.policy(ws, obs, batch);
        double loss = 0;
        for (int b = 0; b < batch; b++) {
            double pa = Math.exp(ws.logProbs()[b * n + actions[b]]);
            loss += (lambda - rewards[b]) * pa / props[b];
        }
        return loss / batch;
    }
}
