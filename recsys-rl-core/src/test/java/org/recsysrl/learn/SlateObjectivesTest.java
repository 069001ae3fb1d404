package org.recsysrl.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/**
 * The slate learner's exact Plackett–Luce marginals, its per-position losses worked out by hand,
 * and their gradients with respect to the logits against central differences.
 */
class SlateObjectivesTest {
    private static final double[] P = {0.5, 0.3, 0.2};

    @Test
    void marginalsOfTwoPositionsByHand() {
        double[] m = new double[6];
        SlateObjectives.marginals(P, 0, 3, 2, m);
        // position 0 is p; position 1: Σ_{b≠a} p_b · p_a / (1 − p_b)
        assertEquals(0.5, m[0], 1e-12);
        assertEquals(0.3, m[1], 1e-12);
        assertEquals(0.2, m[2], 1e-12);
        assertEquals(0.3 * 0.5 / 0.7 + 0.2 * 0.5 / 0.8, m[3], 1e-12);
        assertEquals(0.5 * 0.3 / 0.5 + 0.2 * 0.3 / 0.8, m[4], 1e-12);
        assertEquals(0.5 * 0.2 / 0.5 + 0.3 * 0.2 / 0.7, m[5], 1e-12);
    }

    @Test
    void fullSlatesShowEveryItemOnceAndEveryPositionSumsToOne() {
        double[] p = {0.4, 0.1, 0.25, 0.05, 0.2};
        double[] m = new double[5 * 5];
        SlateObjectives.marginals(p, 0, 5, 5, m);
        for (int a = 0; a < 5; a++) {
            double item = 0;
            double position = 0;
            for (int k = 0; k < 5; k++) {
                item += m[k * 5 + a];
                position += m[a * 5 + k];
            }
            assertEquals(1, item, 1e-12, "item " + a);
            assertEquals(1, position, 1e-12, "position " + a);
        }
        assertEquals(720, SlateObjectives.slateCount(10, 3));
        assertEquals(Long.MAX_VALUE, SlateObjectives.slateCount(1_000_000, 5));
    }

    @Test
    void banditNetLossByHand() {
        double[] m = new double[6];
        SlateObjectives.marginals(P, 0, 3, 2, m);
        double[] up = new double[6];
        double loss = SlateObjectives.banditNet(m, 3, new int[] {0, 2}, new double[] {1, 0}, new double[] {0.4, 0.25},
                0.5, up);
        // (0.5 − 1)·0.5/0.4 + (0.5 − 0)·M[1][2]/0.25, M[1][2] = 0.2 + 0.06/0.7
        assertEquals(-0.625 + 0.5 * (0.2 + 0.06 / 0.7) / 0.25, loss, 1e-12);
        assertEquals(-1.25, up[0], 1e-12);
        assertEquals(2.0, up[5], 1e-12);
        assertEquals(0, up[1] + up[2] + up[3] + up[4], 0);
    }

    @Test
    void doublyRobustLossByHand() {
        double[] m = new double[6];
        SlateObjectives.marginals(P, 0, 3, 2, m);
        double[] q = {1, 0, 0, 0, 0, 2};
        double[] up = new double[6];
        double loss = SlateObjectives.doublyRobust(m, 3, new int[] {0, 2}, new double[] {1, 0},
                new double[] {0.4, 0.25}, q, up);
        double m12 = 0.2 + 0.06 / 0.7;
        // position 0: DM 0.5, correction (1 − 1)·… = 0; position 1: DM 2·M[1][2], correction (0 − 2)·M[1][2]/0.25
        assertEquals(-(0.5 + 2 * m12 - 2 * m12 / 0.25), loss, 1e-12);
        assertEquals(-1, up[0], 1e-12);
        assertEquals(-2 + 8, up[5], 1e-12);
    }

    @Test
    void gradientsMatchFiniteDifferencesOfTheLosses() {
        Rng rng = Rng.stream(5, 1);
        int n = 6;
        int k = 3;
        for (int trial = 0; trial < 4; trial++) {
            double[] z = new double[n];
            for (int j = 0; j < n; j++) {
                z[j] = 2 * rng.nextDouble() - 1;
            }
            int[] items = {rng.nextInt(2), 2 + rng.nextInt(2), 4 + rng.nextInt(2)};
            double[] rewards = {rng.nextDouble(), 0, 2 * rng.nextDouble()};
            double[] props = {0.2 + 0.5 * rng.nextDouble(), 0.1 + 0.3 * rng.nextDouble(), 0.3};
            double[] q = new double[k * n];
            for (int i = 0; i < q.length; i++) {
                q[i] = rng.nextDouble();
            }
            for (boolean dr : new boolean[] {false, true}) {
                double[] m = new double[k * n];
                double[] up = new double[k * n];
                double[] probs = softmax(z);
                SlateObjectives.marginals(probs, 0, n, k, m);
                if (dr) {
                    SlateObjectives.doublyRobust(m, n, items, rewards, props, q, up);
                } else {
                    SlateObjectives.banditNet(m, n, items, rewards, props, 0.3, up);
                }
                float[] grad = new float[n + 1];
                SlateObjectives.backward(probs, 0, n, k, up, grad, 1, 2.0);
                double h = 1e-5;
                for (int j = 0; j < n; j++) {
                    double saved = z[j];
                    z[j] = saved + h;
                    double plus = loss(z, k, items, rewards, props, q, dr);
                    z[j] = saved - h;
                    double minus = loss(z, k, items, rewards, props, q, dr);
                    z[j] = saved;
                    assertEquals(2.0 * (plus - minus) / (2 * h), grad[1 + j], 1e-5, (dr ? "dr" : "banditnet") + " z" + j);
                }
            }
        }
    }

    private static double loss(double[] z, int k, int[] items, double[] rewards, double[] props, double[] q,
            boolean dr) {
        int n = z.length;
        double[] m = new double[k * n];
        SlateObjectives.marginals(softmax(z), 0, n, k, m);
        double[] up = new double[k * n];
        return dr ? SlateObjectives.doublyRobust(m, n, items, rewards, props, q, up)
                : SlateObjectives.banditNet(m, n, items, rewards, props, 0.3, up);
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] p = new double[z.length];
        double s = 0;
        for (int j = 0; j < z.length; j++) {
            p[j] = Math.exp(z[j] - max);
            s += p[j];
        }
        for (int j = 0; j < z.length; j++) {
            p[j] /= s;
        }
        return p;
    }
}
