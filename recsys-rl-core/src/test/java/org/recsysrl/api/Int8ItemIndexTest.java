package org.recsysrl.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/**
 * {@link Int8ItemIndex} against brute force by {@link LogitVectors#logit} (every allowed item's
 * logit, sorted by logit then index): the same items in the same order, on random catalogs with
 * and without a bias column, catalogs full of exact ties and duplicated rows, exclusions, fewer
 * allowed items than k.
 */
class Int8ItemIndexTest {

    /** The reference: the top {@code k} allowed items by logit (ties to the lower index). */
    private static int[] bruteForce(LogitVectors v, float[] q, int k, IntPredicate allowed) {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < v.items(); i++) {
            if (allowed.test(i)) {
                items.add(i);
            }
        }
        items.sort((a, b) -> {
            int c = Float.compare(v.logit(q, b), v.logit(q, a));
            return c != 0 ? c : Integer.compare(a, b);
        });
        return items.subList(0, Math.min(k, items.size())).stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] search(Int8ItemIndex index, float[] q, int k, IntPredicate allowed) {
        int[] out = new int[k];
        int m = index.search(q, k, allowed, out);
        return java.util.Arrays.copyOf(out, m);
    }

    private static LogitVectors random(Rng rng, int n, int dim, boolean bias, double biasScale) {
        float[] rows = new float[n * dim];
        for (int i = 0; i < n; i++) {
            double norm = Math.exp(rng.nextGaussian()); // rows of unequal norms
            for (int d = 0; d < dim; d++) {
                boolean isBias = bias && d == dim - 1;
                rows[i * dim + d] = (float) (rng.nextGaussian() * (isBias ? biasScale : norm));
            }
        }
        return new LogitVectors(rows, dim, n, bias);
    }

    private static float[] query(Rng rng, int dim, boolean bias, double scale) {
        float[] q = new float[dim];
        for (int d = 0; d < dim; d++) {
            q[d] = (float) (rng.nextGaussian() * scale);
        }
        if (bias) {
            q[dim - 1] = 1f;
        }
        return q;
    }

    /** Checks 12 queries × a few k × three exclusion patterns; returns how many answers were compared. */
    private static int compare(LogitVectors v, Rng rng, boolean bias) {
        Int8ItemIndex index = Int8ItemIndex.of(v);
        assertThat(index).isNotNull();
        int compared = 0;
        for (int c = 0; c < 12; c++) {
            float[] q = query(rng, v.dimension(), bias, c % 3 == 0 ? 1e-3 : c % 3 == 1 ? 1 : 300);
            boolean[] out = new boolean[v.items()];
            for (int i = 0; i < out.length; i++) {
                out[i] = rng.nextDouble() < 0.1;
            }
            List<IntPredicate> patterns = List.of(i -> true, i -> !out[i], i -> i % 97 == 3);
            for (IntPredicate allowed : patterns) {
                for (int k : new int[] {1, 10, 64}) {
                    int[] want = bruteForce(v, q, k, allowed);
                    assertThat(search(index, q, k, allowed)).as("dim %d, query %d, k %d", v.dimension(), c, k)
                            .containsExactly(want);
                    compared++;
                }
            }
        }
        return compared;
    }

    @Test
    void randomCatalogsGiveTheBruteForceTopKByLogit() {
        Rng rng = new Rng(11);
        int compared = 0;
        for (int dim : new int[] {1, 7, 33}) {
            compared += compare(random(rng, 2_000, dim, false, 0), rng, false);
            compared += compare(random(rng, 2_000, dim + 1, true, 3), rng, true);
        }
        assertThat(compared).isEqualTo(6 * 12 * 3 * 3);
    }

    @Test
    void aBiasColumnKeptApartFromTheQuantisedDirectionsLeavesFewerItemsToScoreExactly() {
        Rng rng = new Rng(12);
        // biases near 100 beside directions near 1: quantised with the row, the bias sets the scale
        LogitVectors biased = random(rng, 1_500, 9, true, 100);
        LogitVectors plain = new LogitVectors(biased.rows(), 9, 1_500, false); // the same logits, one table
        compare(biased, rng, true);
        compare(plain, rng, true);
        Int8ItemIndex apart = Int8ItemIndex.of(biased);
        Int8ItemIndex together = Int8ItemIndex.of(plain);
        int scoredApart = 0;
        int scoredTogether = 0;
        for (int c = 0; c < 10; c++) {
            float[] q = query(rng, 9, true, 1);
            assertThat(search(apart, q, 10, i -> true)).containsExactly(search(together, q, 10, i -> true));
            scoredApart += apart.lastCandidates();
            scoredTogether += together.lastCandidates();
        }
        assertThat(scoredApart).as("items scored exactly, bias apart (together: %d)", scoredTogether)
                .isLessThan(scoredTogether);
    }

    @Test
    void exactTiesAndDuplicatedRowsGoToTheLowerIndex() {
        Rng rng = new Rng(13);
        int n = 3_000;
        int dim = 6;
        float[] rows = new float[n * dim];
        for (int i = 0; i < n / 2; i++) {
            for (int d = 0; d < dim; d++) {
                rows[i * dim + d] = rng.nextInt(5) - 2; // small integers: many logits tie exactly
            }
        }
        // the second half repeats the first, shuffled: every logit is met at least twice
        for (int i = n / 2; i < n; i++) {
            System.arraycopy(rows, rng.nextInt(n / 2) * dim, rows, i * dim, dim);
        }
        LogitVectors v = new LogitVectors(rows, dim, n);
        Int8ItemIndex index = Int8ItemIndex.of(v);
        int ties = 0;
        for (int c = 0; c < 20; c++) {
            float[] q = new float[dim];
            for (int d = 0; d < dim; d++) {
                q[d] = rng.nextInt(7) - 3;
            }
            int[] want = bruteForce(v, q, 25, i -> i != 7);
            assertThat(search(index, q, 25, i -> i != 7)).containsExactly(want);
            for (int r = 1; r < want.length; r++) {
                ties += v.logit(q, want[r]) == v.logit(q, want[r - 1]) ? 1 : 0;
            }
        }
        assertThat(ties).as("ties within the answers").isGreaterThan(100);
    }

    @Test
    void fewerAllowedItemsThanKAreAllReturnedAndExcludedOnesNever() {
        Rng rng = new Rng(14);
        LogitVectors v = random(rng, 500, 5, false, 0);
        Int8ItemIndex index = Int8ItemIndex.of(v);
        float[] q = query(rng, 5, false, 1);
        int[] got = search(index, q, 10, i -> i % 100 == 0);
        assertThat(got).containsExactly(bruteForce(v, q, 10, i -> i % 100 == 0)).hasSize(5);
        assertThat(search(index, q, 3, i -> false)).isEmpty();
    }

    @Test
    void aCatalogWithANonFiniteComponentHasNoIndex() {
        float[] rows = {1, 2, Float.NaN, 4};
        assertThat(Int8ItemIndex.of(new LogitVectors(rows, 2, 2))).isNull();
        assertThat(Int8ItemIndex.of(new LogitVectors(new float[] {1, 2, 3, 4}, 2, 2))).isNotNull();
    }
}
