package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class DropoutTest {
    /**
     * The mask keeps a value exactly when the stream's next double is at least p (the definition),
     * for the same draws: checked against that comparison on the same seed, at probabilities whose
     * threshold p·2^53 is and is not a whole number, near 0 and near 1.
     */
    @Test
    void keepsExactlyTheValuesWhoseDrawIsAtLeastP() {
        double[] ps = {0.2, 0.5, 0.1, 0.25, 1e-17, 0x1p-53, 0.999999, 0.7};
        for (double p : ps) {
            int n = 5000;
            float[] x = GradCheck.randomArray(new Rng(3), n, -2, 2);
            float[] original = x.clone();
            float[] mask = new float[n];
            Dropout.forward(x, n, p, new Rng(41), mask);
            Rng reference = new Rng(41);
            float scale = (float) (1.0 / (1.0 - p));
            int kept = 0;
            for (int i = 0; i < n; i++) {
                float want = reference.nextDouble() >= p ? scale : 0f;
                assertThat(mask[i]).as("p %s, value %d", p, i).isEqualTo(want);
                assertThat(x[i]).isEqualTo(original[i] * want);
                kept += want != 0f ? 1 : 0;
            }
            // the keep rate is about 1 − p (a loose binomial bound, so a constant mask would fail)
            assertThat(Math.abs(kept - n * (1 - p))).as("p %s", p).isLessThan(5 * Math.sqrt(n * p * (1 - p)) + 1);
        }
    }

    @Test
    void zeroProbabilityKeepsEverythingWithoutDrawing() {
        float[] x = {1f, -2f, 3f};
        float[] mask = new float[3];
        Rng rng = new Rng(5);
        Dropout.forward(x, 3, 0, rng, mask);
        assertThat(mask).containsExactly(1f, 1f, 1f);
        assertThat(x).containsExactly(1f, -2f, 3f);
        assertThat(rng.nextLong()).isEqualTo(new Rng(5).nextLong());
    }
}
