package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AdvantagesTest {

    @Test
    void normalisesTheRangeToMeanZeroAndUnbiasedStdOne() {
        // a[2..7) = {1, 2, 3, 4, 10}: mean 4, squared deviations 9+4+1+0+36 = 50,
        // unbiased variance 50/4 = 12.5, std = sqrt(12.5) = 3.5355339
        float[] a = {-7f, 99f, 1f, 2f, 3f, 4f, 10f, 42f};
        Advantages.normalise(a, 2, 5);

        double s = Math.sqrt(12.5);
        float[] expected = {(float) (-3 / s), (float) (-2 / s), (float) (-1 / s), 0f, (float) (6 / s)};
        for (int j = 0; j < 5; j++) {
            assertThat(a[2 + j]).isCloseTo(expected[j], within(1e-6f));
        }
        double mean = 0;
        for (int k = 2; k < 7; k++) {
            mean += a[k];
        }
        mean /= 5;
        double var = 0;
        for (int k = 2; k < 7; k++) {
            var += (a[k] - mean) * (a[k] - mean);
        }
        assertThat(mean).isCloseTo(0.0, within(1e-6));
        assertThat(Math.sqrt(var / 4)).as("unbiased std (n - 1)").isCloseTo(1.0, within(1e-6));
        assertThat(Math.sqrt(var / 5)).as("not the biased std").isNotCloseTo(1.0, within(1e-3));
        // outside the range untouched
        assertThat(a[0]).isEqualTo(-7f);
        assertThat(a[1]).isEqualTo(99f);
        assertThat(a[7]).isEqualTo(42f);
    }

    @Test
    void constantOrSingleValuesBecomeZeroNotNaN() {
        float[] one = {5f};
        Advantages.normalise(one, 0, 1);
        assertThat(one[0]).isEqualTo(0f);
        float[] same = {3f, 3f, 3f};
        Advantages.normalise(same, 0, 3);
        assertThat(same).containsOnly(0f);
    }
}
