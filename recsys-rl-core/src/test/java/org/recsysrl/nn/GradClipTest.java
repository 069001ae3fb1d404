package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GradClipTest {

    @Test
    void clipsAboveThreshold() {
        float[] g = {3f, -4f, 0f};
        assertThat(GradClip.globalNorm(g)).isEqualTo(5.0);
        double norm = GradClip.clipGlobalNorm(g, 1.0);
        assertThat(norm).isEqualTo(5.0);
        double c = 1.0 / (5.0 + 1e-6);
        assertThat((double) g[0]).isCloseTo(3 * c, within(1e-7));
        assertThat((double) g[1]).isCloseTo(-4 * c, within(1e-7));
        assertThat(g[2]).isZero();
        assertThat(GradClip.globalNorm(g)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void noChangeBelowThreshold() {
        float[] g = {3f, -4f, 0.5f};
        double norm = GradClip.clipGlobalNorm(g, 10.0);
        assertThat(norm).isCloseTo(Math.sqrt(25.25), within(1e-12));
        assertThat(g).containsExactly(3f, -4f, 0.5f);
    }

    @Test
    void normAccumulatesInDouble() {
        float[] g = new float[100_000];
        java.util.Arrays.fill(g, 1e-3f);
        assertThat(GradClip.globalNorm(g)).isCloseTo(Math.sqrt(100_000) * (double) 1e-3f, within(1e-12));
    }

    /**
     * A range's sum of squares is the sum of a copy of that range, to the bit, on both backends;
     * the norm of the ranges' sums is the whole array's norm with one range and, with several,
     * the same value within rounding (here against a hand-computed total in double).
     */
    @Test
    void rangeSumsOfSquaresAddUpToTheNorm() {
        float[] g = new float[1003];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) Math.sin(0.37 * i) * (i % 7 == 0 ? 10f : 1f);
        }
        double byHand = 0;
        for (float x : g) {
            byHand += (double) x * x;
        }
        int[] cuts = {0, 16, 500, 512, 1003};
        for (KernelBackend backend : new KernelBackend[] {Kernels.active(), Kernels.scalar()}) {
            double[] partials = new double[cuts.length - 1];
            for (int r = 0; r + 1 < cuts.length; r++) {
                float[] copy = java.util.Arrays.copyOfRange(g, cuts[r], cuts[r + 1]);
                partials[r] = backend.sumOfSquares(g, cuts[r], cuts[r + 1]);
                assertThat(partials[r]).as("range %d", r).isEqualTo(backend.dot(copy, copy, copy.length));
            }
            assertThat(GradClip.normOfPartials(partials)).isCloseTo(Math.sqrt(byHand), within(1e-12 * Math.sqrt(byHand)));
        }
        assertThat(GradClip.normOfPartials(new double[] {Kernels.sumOfSquares(g, 0, g.length)}))
                .isEqualTo(GradClip.globalNorm(g));
        assertThat(GradClip.normOfPartials(new double[] {9.0, 16.0})).isEqualTo(5.0);
        assertThat(Kernels.sumOfSquares(new float[] {1f, 3f, -4f, 2f}, 1, 3)).isEqualTo(25.0);
    }
}
