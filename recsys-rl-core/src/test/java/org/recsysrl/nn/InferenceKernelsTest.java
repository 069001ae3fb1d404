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
            for (int n : new int[] {1, 5, 31, 32, 33, 64, 100, 1001}) {
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
}
