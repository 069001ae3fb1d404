package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ActivationTest {

    @Test
    void ofTakesTheExactNamesAndListsTheValidOnes() {
        assertThat(Activation.of("tanh")).isEqualTo(Activation.TANH);
        assertThat(Activation.of("relu")).isEqualTo(Activation.RELU);
        assertThat(Activation.of("elu")).isEqualTo(Activation.ELU);
        assertThat(Activation.ELU.id()).isEqualTo("elu");
        assertThatThrownBy(() -> Activation.of("ReLU")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Activation.of("sigmoid"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tanh").hasMessageContaining("relu").hasMessageContaining("elu");
        assertThatThrownBy(() -> Activation.of(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forwardValues() {
        float[] x = {-2f, -0.5f, 0f, 0.5f, 3f, 99f};
        float[] t = x.clone();
        Activation.TANH.forwardInPlace(t, 5);
        float[] r = x.clone();
        Activation.RELU.forwardInPlace(r, 5);
        float[] e = x.clone();
        Activation.ELU.forwardInPlace(e, 5);
        for (int i = 0; i < 5; i++) {
            assertThat(t[i]).isCloseTo((float) Math.tanh(x[i]), within(1e-7f));
            assertThat(r[i]).isEqualTo(Math.max(x[i], 0f));
            assertThat(e[i]).isCloseTo(x[i] > 0 ? x[i] : (float) (Math.exp(x[i]) - 1), within(1e-7f));
        }
        // only n elements touched
        assertThat(t[5]).isEqualTo(99f);
        assertThat(r[5]).isEqualTo(99f);
        assertThat(e[5]).isEqualTo(99f);
    }

    @Test
    void backwardUsesOutputDerivative() {
        float[] x = {-2f, -0.5f, 0.25f, 3f};
        for (Activation a : Activation.values()) {
            float[] y = x.clone();
            a.forwardInPlace(y, 4);
            float[] dy = {1f, 2f, -3f, 0.5f};
            float[] expected = new float[4];
            for (int i = 0; i < 4; i++) {
                double d;
                switch (a) {
                    case TANH: d = 1 - Math.pow(Math.tanh(x[i]), 2); break;
                    case RELU: d = x[i] > 0 ? 1 : 0; break;
                    default: d = x[i] > 0 ? 1 : Math.exp(x[i]); break;
                }
                expected[i] = (float) (dy[i] * d);
            }
            a.backwardInPlace(y, dy, 4);
            for (int i = 0; i < 4; i++) {
                assertThat(dy[i]).as("%s[%d]", a, i).isCloseTo(expected[i], within(1e-6f));
            }
        }
    }
}
