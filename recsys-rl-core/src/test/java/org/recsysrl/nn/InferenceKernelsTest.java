package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The serving kernels against the exact references they replace: {@code logSoftmax} gives the
 * log-probabilities of {@code softmax} bit for bit, {@code topK} the first k of a full sort (ties to
 * the lower index), the packed product the bits of {@code multiply} then scale and bias; on both
 * backends.
 */
class InferenceKernelsTest {
    private static final List<KernelBackend> BACKENDS = List.of(Kernels.active(), Kernels.scalar());

    @Test
    void logSoftmaxIsTheSoftmaxsLogProbabilitiesBitForBit() {
        Random rnd = new Random(3);
        for (KernelBackend backend : BACKENDS) {
            for (int n : new int[] {1, 7, 16, 100, 1003}) {
                float[] logits = new float[n + 2];
                for (int j = 0; j < logits.length; j++) {
                    logits[j] = (float) (rnd.nextGaussian() * 5);
                }
                if (n > 3) {
                    logits[3] = Float.NEGATIVE_INFINITY; // a masked item
                }
                float[] expected = new float[n];
                backend.softmax(logits, 1, n, expected, new float[n], 0);
                float[] actual = new float[n];
                backend.logSoftmax(logits, 1, n, actual, 0);
                assertThat(actual).as(backend.name() + " n=" + n).containsExactly(expected);
                // in place, as inference calls it
                float[] inPlace = Arrays.copyOfRange(logits, 1, n + 1);
                backend.logSoftmax(inPlace, 0, n, inPlace, 0);
                assertThat(inPlace).containsExactly(expected);
            }
        }
    }

    /** The first k of the items with a score above −∞, by score descending, then index. */
    private static int[] sortedTop(float[] scores, int n, int k) {
        return IntStream.range(0, n).filter(i -> scores[i] > Float.NEGATIVE_INFINITY).boxed()
                .sorted((a, b) -> scores[a] > scores[b] ? -1 : scores[a] < scores[b] ? 1 : Integer.compare(a, b))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void topKIsTheHeadOfAFullSortTiesIncluded() {
        Random rnd = new Random(11);
        for (KernelBackend backend : BACKENDS) {
            for (int n : new int[] {1, 5, 8, 63, 1000, 4099}) {
                for (int k : new int[] {1, 3, 10, 50}) {
                    float[] scores = new float[n];
                    for (int i = 0; i < n; i++) {
                        // few distinct values: many ties; some excluded, some NaN, both zeros
                        int v = rnd.nextInt(12);
                        scores[i] = v == 0 ? Float.NEGATIVE_INFINITY : v == 1 ? Float.NaN : v == 2 ? -0f : v - 6;
                    }
                    int[] top = new int[k];
                    int m = backend.topK(scores, n, k, top);
                    assertThat(Arrays.copyOf(top, m)).as(backend.name() + " n=" + n + " k=" + k)
                            .containsExactly(sortedTop(scores, n, k));
                }
            }
            // rising scores: every vector holds a new best, the running list changes all the time
            float[] rising = new float[777];
            for (int i = 0; i < rising.length; i++) {
                rising[i] = i * 0.5f;
            }
            int[] top = new int[10];
            assertThat(backend.topK(rising, rising.length, 10, top)).isEqualTo(10);
            assertThat(top).containsExactly(sortedTop(rising, rising.length, 10));
        }
    }

    @Test
    void offeringItemsOneAtATimeInAnyOrderGivesTheHeadOfAFullSort() {
        Random rnd = new Random(13);
        for (int n : new int[] {1, 6, 40, 500}) {
            for (int k : new int[] {1, 4, 25}) {
                float[] scores = new float[n];
                List<Integer> order = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int v = rnd.nextInt(10);
                    scores[i] = v == 0 ? Float.NEGATIVE_INFINITY : v == 1 ? Float.NaN : v - 5;
                    order.add(i);
                }
                java.util.Collections.shuffle(order, rnd); // ties must still go to the lower index
                int[] top = new int[k];
                int m = 0;
                for (int i : order) {
                    m = Kernels.offer(scores, top, i, m, k);
                }
                assertThat(Arrays.copyOf(top, m)).as("n=" + n + " k=" + k).containsExactly(sortedTop(scores, n, k));
            }
        }
    }

    @Test
    void topKOfNothingAllowedIsEmpty() {
        float[] scores = new float[40];
        Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        for (KernelBackend backend : BACKENDS) {
            assertThat(backend.topK(scores, 40, 5, new int[5])).isZero();
        }
    }

    @Test
    void thePackedProductHasTheBitsOfMultiplyThenScaleAndBias() {
        if (Kernels.packColumns(new float[1000], 1, 1000) == null) {
            return; // the scalar backend has no packed product; the head then calls multiply itself
        }
        int checked = 0;
        Random rnd = new Random(5);
        for (int k : new int[] {1, 3, 32}) {
            for (int n : new int[] {1, 5, 31, 32, 33, 64, 100, 128, 200, 1001}) {
                float[] a = new float[k];
                float[] m = new float[k * n];
                float[] bias = new float[n + 3];
                for (int i = 0; i < k; i++) {
                    a[i] = (float) rnd.nextGaussian();
                }
                for (int i = 0; i < m.length; i++) {
                    m[i] = (float) rnd.nextGaussian();
                }
                for (int i = 0; i < bias.length; i++) {
                    bias[i] = (float) rnd.nextGaussian();
                }
                float scale = 1.7f;
                float[] plain = new float[n];
                Kernels.multiply(a, 1, k, m, 0, n, null, 0, plain);
                float[] expected = new float[n];
                float[] expectedBiased = new float[n];
                for (int j = 0; j < n; j++) {
                    expected[j] = scale * plain[j];
                    expectedBiased[j] = expected[j] + bias[3 + j];
                }
                float[] packed = Kernels.packColumns(m, k, n);
                if (packed == null) {
                    continue; // narrower than a vector: multiply's plain loops serve it
                }
                checked++;
                float[] y = new float[n];
                Kernels.multiplyPacked(a, k, packed, n, scale, null, 0, y);
                assertThat(y).as("k=" + k + " n=" + n).containsExactly(expected);
                Kernels.multiplyPacked(a, k, packed, n, scale, bias, 3, y);
                assertThat(y).as("biased k=" + k + " n=" + n).containsExactly(expectedBiased);
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(12);
    }

    @Test
    void rowsScoredTogetherHaveTheBitsOfEachRowAlone() {
        if (Kernels.packColumns(new float[1000], 1, 1000) == null) {
            return; // the scalar backend has no packed product
        }
        Random rnd = new Random(11);
        int checked = 0;
        for (int k : new int[] {1, 3, 32}) {
            for (int n : new int[] {16, 64, 100, 129, 1001}) {
                float[] m = gaussian(rnd, k * n);
                float[] bias = gaussian(rnd, n + 2);
                float[] packed = Kernels.packColumns(m, k, n);
                // 1 to 9 rows: the four-row, two-row and one-row panels and their mixtures
                for (int rows = 1; rows <= 9; rows++) {
                    float[] a = gaussian(rnd, rows * k);
                    for (float[] b : new float[][] {null, bias}) {
                        float[][] together = new float[rows][n];
                        Kernels.multiplyPackedRows(a, rows, k, packed, n, 0.8f, b, 2, together);
                        for (int r = 0; r < rows; r++) {
                            float[] alone = new float[n];
                            Kernels.multiplyPacked(java.util.Arrays.copyOfRange(a, r * k, (r + 1) * k), k, packed, n,
                                    0.8f, b, 2, alone);
                            assertThat(together[r]).as("k=%d n=%d rows=%d row %d bias %s", k, n, rows, r, b != null)
                                    .containsExactly(alone);
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(3 * 5 * 45 * 2);
    }

    @Test
    void rowsScoredTogetherAreRefusedWhenTheirArraysAreShort() {
        if (Kernels.packColumns(new float[1000], 1, 1000) == null) {
            return;
        }
        float[] packed = Kernels.packColumns(new float[2 * 64], 2, 64);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Kernels.multiplyPackedRows(new float[3], 2, 2, packed,
                64, 1f, null, 0, new float[2][64])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Kernels.multiplyPackedRows(new float[4], 2, 2, packed,
                64, 1f, null, 0, new float[1][64])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rows");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Kernels.multiplyPackedRows(new float[4], 2, 2, packed,
                64, 1f, null, 0, new float[][] {new float[64], new float[63]}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("y[1]");
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
