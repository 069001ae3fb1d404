package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.NonFiniteException;

/**
 * The public kernels check their arguments before any backend runs: an array one element too
 * short is refused with its name, sizes that are not positive with "invalid sizes"; and the
 * kernels no other nn test reaches (top-k, log-softmax, block product) by hand.
 */
class KernelsArgumentsTest {
    private static final int ROWS = 2;
    private static final int K = 3;
    private static final int N = 4;

    private static void refused(String name, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(name + " too short");
    }

    private static float[] f(int n) {
        return new float[n];
    }

    @Test
    void productsRefuseAnArrayOneShort() {
        Kernels.multiply(f(ROWS * K), ROWS, K, f(K * N), 0, N, f(N), 0, f(ROWS * N));
        refused("a", () -> Kernels.multiply(f(ROWS * K - 1), ROWS, K, f(K * N), 0, N, null, 0, f(ROWS * N)));
        refused("m", () -> Kernels.multiply(f(ROWS * K), ROWS, K, f(K * N), 1, N, null, 0, f(ROWS * N)));
        refused("bias", () -> Kernels.multiply(f(ROWS * K), ROWS, K, f(K * N), 0, N, f(N), 1, f(ROWS * N)));
        refused("y", () -> Kernels.multiply(f(ROWS * K), ROWS, K, f(K * N), 0, N, null, 0, f(ROWS * N - 1)));

        Kernels.multiplyTransposed(f(ROWS * K), ROWS, K, f(K * N), 0, N, f(ROWS * N), f(K * N));
        refused("a", () -> Kernels.multiplyTransposed(f(ROWS * K - 1), ROWS, K, f(K * N), 0, N, f(ROWS * N), null));
        refused("m", () -> Kernels.multiplyTransposed(f(ROWS * K), ROWS, K, f(K * N - 1), 0, N, f(ROWS * N), null));
        refused("y", () -> Kernels.multiplyTransposed(f(ROWS * K), ROWS, K, f(K * N), 0, N, f(ROWS * N - 1), null));
        refused("scratch", () -> Kernels.multiplyTransposed(f(ROWS * K), ROWS, K, f(K * N), 0, N, f(ROWS * N),
                f(K * N - 1)));

        Kernels.transposedProduct(f(ROWS * K), K, f(ROWS * N), N, ROWS, f(K * N), 0);
        refused("a", () -> Kernels.transposedProduct(f(ROWS * K - 1), K, f(ROWS * N), N, ROWS, f(K * N), 0));
        refused("b", () -> Kernels.transposedProduct(f(ROWS * K), K, f(ROWS * N - 1), N, ROWS, f(K * N), 0));
        refused("dM", () -> Kernels.addTransposedProduct(f(ROWS * K), K, f(ROWS * N), N, ROWS, f(K * N - 1), 0));

        Kernels.columnSums(f(ROWS * N), ROWS, N, f(N), 0);
        refused("b", () -> Kernels.columnSums(f(ROWS * N - 1), ROWS, N, f(N), 0));
        refused("sums", () -> Kernels.addColumnSums(f(ROWS * N), ROWS, N, f(N), 1));

        refused("a", () -> Kernels.dot(f(N - 1), f(N), N));
        refused("b", () -> Kernels.dot(f(N), f(N - 1), N));
        refused("m", () -> Kernels.packColumns(f(K * N - 1), K, N));
        refused("a", () -> Kernels.multiplyPacked(f(K - 1), K, f(0), N, 1f, null, 0, f(N)));
        refused("y", () -> Kernels.multiplyPacked(f(K), K, f(0), N, 1f, null, 0, f(N - 1)));
        refused("bias", () -> Kernels.multiplyPacked(f(K), K, f(0), N, 1f, f(N), 1, f(N)));
    }

    @Test
    void sizesMustBePositiveExceptAnEmptyBatch() {
        Kernels.multiply(f(0), 0, K, f(K * N), 0, N, null, 0, f(0));
        for (ThrowingCallable call : new ThrowingCallable[] {
            () -> Kernels.multiply(f(ROWS * K), -1, K, f(K * N), 0, N, null, 0, f(ROWS * N)),
            () -> Kernels.multiply(f(ROWS * K), ROWS, 0, f(K * N), 0, N, null, 0, f(ROWS * N)),
            () -> Kernels.multiplyTransposed(f(ROWS * K), ROWS, K, f(K * N), 0, 0, f(ROWS * N), null),
            () -> Kernels.transposedProduct(f(ROWS * K), 0, f(ROWS * N), N, ROWS, f(K * N), 0),
            () -> Kernels.columnSums(f(ROWS * N), ROWS, 0, f(N), 0),
            () -> Kernels.packColumns(f(K * N), 0, N),
            () -> Kernels.multiplyPacked(f(K), K, f(0), 0, 1f, null, 0, f(N)),
        }) {
            assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid sizes");
        }
        assertThatThrownBy(() -> Kernels.softmax(f(1), 0, 0, f(1), f(1), 0)).isInstanceOf(IllegalArgumentException.class);
        Kernels.softmax(f(1), 0, 1, f(1), f(1), 0);
        assertThatThrownBy(() -> Kernels.logSoftmax(f(1), 0, 0, f(1), 0)).isInstanceOf(IllegalArgumentException.class);
        refused("logits", () -> Kernels.logSoftmax(f(2), 1, 2, f(2), 0));
        refused("logp", () -> Kernels.logSoftmax(f(2), 0, 2, f(2), 1));
    }

    @Test
    void categoricalBackwardTakesActionsFromMinusOneToNMinusOne() {
        float[] probs = {0.5f, 0.5f};
        float[] logp = {(float) Math.log(0.5), (float) Math.log(0.5)};
        float[] d = new float[2];
        Kernels.categoricalBackward(probs, logp, 0, 2, -1, 1f, 0f, 0f, d, 0);
        Kernels.categoricalBackward(probs, logp, 0, 2, 1, 1f, 0f, 0f, d, 0);
        assertThat(d).containsExactly(-0.5f, 0.5f);
        assertThatThrownBy(() -> Kernels.categoricalBackward(probs, logp, 0, 2, 2, 1f, 0f, 0f, d, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Kernels.categoricalBackward(probs, logp, 0, 2, -2, 1f, 0f, 0f, d, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topKTakesTheBestByScoreThenLowerIndexAndNeverNanOrMinusInfinity() {
        float[] scores = {3f, Float.NaN, 5f, Float.NEGATIVE_INFINITY, 5f, -2f};
        int[] top = new int[6];
        assertThat(Kernels.topK(scores, 6, 3, top)).isEqualTo(3);
        assertThat(top).startsWith(2, 4, 0);
        assertThat(Kernels.topK(scores, 6, 6, top)).isEqualTo(4);
        assertThat(top).startsWith(2, 4, 0, 5);
        assertThat(Kernels.topK(scores, 2, 6, top)).isEqualTo(1);
    }

    @Test
    void logSoftmaxByHand() {
        float[] logits = {7f, 0f, (float) Math.log(3)};
        float[] logp = new float[3];
        Kernels.logSoftmax(logits, 1, 2, logp, 1);
        assertThat(logp[0]).isZero();
        assertThat(logp[1]).isCloseTo((float) Math.log(0.25), within(1e-6f));
        assertThat(logp[2]).isCloseTo((float) Math.log(0.75), within(1e-6f));
        assertThatThrownBy(() -> Kernels.logSoftmax(new float[] {0f, Float.NaN}, 0, 2, new float[2], 0))
                .isInstanceOf(NonFiniteException.class);
    }

    @Test
    void blockProductByHandAndItsLengths() {
        float[] a = {1f, 2f, 3f, 4f};
        float[] v = {1f, 10f, 100f, 1000f};
        float[] c = new float[4];
        Kernels.blockProduct(a, 0, 2, 1, 2, v, 0, 2, 2, 2, c, 0, 2, false);
        assertThat(c).containsExactly(201f, 2010f, 403f, 4030f);
        refused("a", () -> Kernels.blockProduct(f(3), 0, 2, 1, 2, v, 0, 2, 2, 2, c, 0, 2, false));
        refused("v", () -> Kernels.blockProduct(a, 0, 2, 1, 2, f(3), 0, 2, 2, 2, c, 0, 2, false));
        refused("c", () -> Kernels.blockProduct(a, 0, 2, 1, 2, v, 0, 2, 2, 2, f(3), 0, 2, false));
        Kernels.blockProduct(f(0), 0, 2, 1, 2, f(0), 0, 2, 2, 0, c, 0, 2, false); // no steps: c cleared
        assertThat(c).containsOnly(0f);
    }
}
