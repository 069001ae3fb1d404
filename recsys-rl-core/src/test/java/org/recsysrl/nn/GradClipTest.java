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
}
