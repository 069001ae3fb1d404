package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class GaussianHeadTest {

    @Test
    void layoutAndInitialLogStd() {
        ParameterStore s = new ParameterStore();
        GaussianHead h = new GaussianHead(s, "actor.gauss", 4, 3);
        assertThat(h.actionDim()).isEqualTo(3);
        assertThat(s.entry("actor.gauss.log_std").shape()).containsExactly(3);
        assertThat(s.entry("actor.gauss.mean.weight").shape()).containsExactly(3, 4);
        assertThat(h.logStdOffset()).isEqualTo(s.entry("actor.gauss.log_std").offset());
        assertThat(h.mean().name()).isEqualTo("actor.gauss.mean");
        Init.pytorchDefault(h.mean(), new Rng(1));
        for (int k = 0; k < 3; k++) {
            assertThat(s.data()[h.logStdOffset() + k]).isZero();
        }
        assertThat((double) h.entropy()).isCloseTo(1.5 * (1 + Math.log(2 * Math.PI)), within(1e-5));
    }

    @Test
    void logProbMatchesFormula() {
        ParameterStore s = new ParameterStore();
        GaussianHead h = new GaussianHead(s, "g", 2, 2);
        s.data()[h.logStdOffset()] = 0.3f;
        s.data()[h.logStdOffset() + 1] = -0.5f;
        float[] mean = {9f, 0.2f, -1f};
        float[] a = {0.5f, 0.1f, 9f};
        double s0 = Math.exp(0.3f), s1 = Math.exp(-0.5f);
        double expected = -0.5 * (Math.pow((0.5 - 0.2f) / s0, 2) + Math.pow((0.1f + 1) / s1, 2))
                - (0.3f - 0.5f) - Math.log(2 * Math.PI);
        assertThat((double) h.logProb(mean, 1, a, 0)).isCloseTo(expected, within(1e-5));
        assertThat((double) h.entropy()).isCloseTo((0.3f - 0.5f) + (1 + Math.log(2 * Math.PI)), within(1e-5));
    }

    @Test
    void sampleHasRightMeanAndStd() {
        ParameterStore s = new ParameterStore();
        GaussianHead h = new GaussianHead(s, "g", 1, 2);
        s.data()[h.logStdOffset()] = (float) Math.log(2.0);
        float[] mean = {1f, -3f};
        float[] a = new float[2];
        Rng rng = new Rng(99);
        int n = 50_000;
        double[] sum = new double[2], sq = new double[2];
        for (int i = 0; i < n; i++) {
            h.sample(mean, 0, rng, a, 0);
            for (int k = 0; k < 2; k++) {
                sum[k] += a[k];
                sq[k] += (double) a[k] * a[k];
            }
        }
        double m0 = sum[0] / n, m1 = sum[1] / n;
        assertThat(m0).isCloseTo(1.0, within(0.05));
        assertThat(m1).isCloseTo(-3.0, within(0.03));
        assertThat(Math.sqrt(sq[0] / n - m0 * m0)).isCloseTo(2.0, within(0.05));
        assertThat(Math.sqrt(sq[1] / n - m1 * m1)).isCloseTo(1.0, within(0.03));
    }

    @Test
    void gradientCheckMeanLogStdAndMeanLayer() {
        Rng rng = new Rng(77);
        ParameterStore s = new ParameterStore();
        int in = 4, d = 3, batch = 3;
        GaussianHead h = new GaussianHead(s, "g", in, d);
        Init.pytorchDefault(h.mean(), rng);
        float[] p = s.data();
        for (int k = 0; k < d; k++) {
            p[h.logStdOffset() + k] = (float) rng.uniform(-0.7, 0.4);
        }
        float[] feats = GradCheck.randomArray(rng, batch * in, -1, 1);
        float[] actions = GradCheck.randomArray(rng, batch * d, -2, 2);
        float[] gl = {0.9f, -1.4f, 0.3f};
        float gEnt = 0.25f;
        float[] mean = new float[batch * d];

        // loss as a function of the mean values directly
        DoubleSupplier lossOfMean = () -> {
            double l = 0;
            for (int b = 0; b < batch; b++) {
                l += gl[b] * (double) h.logProb(mean, b * d, actions, b * d) + gEnt * (double) h.entropy();
            }
            return l;
        };
        // loss as a function of features / parameters (recomputes the mean)
        DoubleSupplier loss = () -> {
            h.forwardMean(feats, mean, batch);
            return lossOfMean.getAsDouble();
        };

        s.zeroGrad();
        h.forwardMean(feats, mean, batch);
        float[] dMean = new float[batch * d];
        for (int b = 0; b < batch; b++) {
            h.backward(mean, b * d, actions, b * d, gl[b], gEnt, dMean, b * d);
        }
        float[] dFeats = new float[batch * in];
        h.mean().backward(feats, dMean, dFeats, batch);
        float[] g = s.grad();

        GradCheck.check("dMean", mean, 0, dMean, 0, batch * d, 3e-3, 1e-2, 1e-4, lossOfMean);
        GradCheck.check("log_std", p, h.logStdOffset(), g, h.logStdOffset(), d, 3e-3, 1e-2, 1e-4, loss);
        Linear m = h.mean();
        GradCheck.check("mean.weight", p, m.weightOffset(), g, m.weightOffset(), in * d, 3e-3, 1e-2, 1e-4, loss);
        GradCheck.check("mean.bias", p, m.biasOffset(), g, m.biasOffset(), d, 3e-3, 1e-2, 1e-4, loss);
        GradCheck.check("features", feats, 0, dFeats, 0, batch * in, 3e-3, 1e-2, 1e-4, loss);
    }
}
