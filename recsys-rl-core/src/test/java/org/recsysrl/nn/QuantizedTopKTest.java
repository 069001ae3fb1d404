package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/**
 * {@link QuantizedTopK} against brute force ({@link Kernels#multiply} over the whole float table,
 * then {@link Kernels#topK}): the same items in the same order with the same bits, on random and
 * adversarial tables; and a bound made too tight is caught.
 */
class QuantizedTopKTest {

    /** A table with its brute-force answers. */
    private record Table(float[] rows, float[] bias, int n, int dim) {
        /** Brute force: every score as the exact path computes it, excluded items out, top k. */
        int bruteForce(float[] q, int k, int[] excluded, int[] top, float[] scores) {
            float[] transposed = new float[n * dim];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < dim; j++) {
                    transposed[j * n + i] = rows[i * dim + j];
                }
            }
            float[] all = new float[n];
            Kernels.multiply(q, 1, dim, transposed, 0, n, bias, 0, all);
            for (int e : excluded) {
                all[e] = Float.NEGATIVE_INFINITY;
            }
            int[] order = new int[n];
            int m = Kernels.topK(all, n, Math.min(k, n), order);
            for (int r = 0; r < m; r++) {
                top[r] = order[r];
                scores[r] = all[order[r]];
            }
            return m;
        }
    }

    private static Table random(Rng rng, int n, int dim, double rowScale, boolean withBias) {
        float[] rows = new float[n * dim];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) (rng.nextGaussian() * rowScale);
        }
        float[] bias = null;
        if (withBias) {
            bias = new float[n];
            for (int i = 0; i < n; i++) {
                bias[i] = (float) rng.nextGaussian();
            }
        }
        return new Table(rows, bias, n, dim);
    }

    private static float[] query(Rng rng, int dim, double scale) {
        float[] q = new float[dim];
        for (int j = 0; j < dim; j++) {
            q[j] = (float) (rng.nextGaussian() * scale);
        }
        return q;
    }

    private static int[] someItems(Rng rng, int n, int count) {
        int[] out = new int[count];
        for (int c = 0; c < count; c++) {
            out[c] = rng.nextInt(n);
        }
        return Arrays.stream(out).distinct().toArray();
    }

    /** Number of (query, k) cases where the quantized answer differs from brute force. */
    private static int mismatches(Table t, QuantizedTopK fast, float[][] queries, int[] ks, int[][] excluded) {
        QuantizedTopK.Workspace ws = fast.newWorkspace();
        int bad = 0;
        for (int c = 0; c < queries.length; c++) {
            for (int k : ks) {
                int[] top = new int[k];
                float[] scores = new float[k];
                int[] wantTop = new int[k];
                float[] wantScores = new float[k];
                int want = t.bruteForce(queries[c], k, excluded[c], wantTop, wantScores);
                int got = fast.topK(queries[c], k, excluded[c], excluded[c].length, ws, top, scores);
                if (got != want || !Arrays.equals(top, 0, got, wantTop, 0, want)
                        || !Arrays.equals(scores, 0, got, wantScores, 0, want)) {
                    bad++;
                }
            }
        }
        return bad;
    }

    /** The table's answers equal brute force's, with the scan on one thread and split over two. */
    private static void assertExact(Table t, float[][] queries, int[] ks, int[][] excluded) {
        QuantizedTopK fast = QuantizedTopK.of(t.rows, 0, t.n, t.dim, t.bias, 0);
        assertThat(fast).isNotNull();
        assertThat(mismatches(t, fast, queries, ks, excluded)).isZero();
        QuantizedTopK split = QuantizedTopK.of(t.rows, 0, t.n, t.dim, t.bias, 0, QuantizedTopK.active(), 1.0, true);
        assertThat(mismatches(t, split, queries, ks, excluded)).isZero();
    }

    @Test
    void randomTablesGiveTheBruteForceTopKToTheBit() {
        Rng rng = new Rng(29);
        int[][] shapes = {{3000, 64}, {2001, 7}, {517, 1}, {40, 33}};
        for (int[] shape : shapes) {
            Table t = random(rng, shape[0], shape[1], 0.3, shape[0] % 2 == 1);
            float[][] queries = new float[6][];
            int[][] excluded = new int[6][];
            for (int c = 0; c < queries.length; c++) {
                queries[c] = query(rng, shape[1], 1 + c);
                excluded[c] = c % 2 == 0 ? new int[0] : someItems(rng, shape[0], 25);
            }
            assertExact(t, queries, new int[] {1, 10, 37}, excluded);
        }
    }

    /** Rows that differ by a few ulps, exact duplicates (ties go to the lower index) and one shared row. */
    private static Table nearTies(Rng rng, int n, int dim) {
        float[] base = query(rng, dim, 1);
        float[] rows = new float[n * dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                float v = base[j];
                int wiggle = i % 3 == 0 ? 0 : rng.nextInt(9) - 4; // a third are exact copies
                rows[i * dim + j] = v + wiggle * Math.ulp(v) * 64;
            }
        }
        return new Table(rows, null, n, dim);
    }

    @Test
    void nearTiesAndExactTiesFollowTheExactPath() {
        Rng rng = new Rng(7);
        Table t = nearTies(rng, 1500, 24);
        float[][] queries = new float[8][];
        int[][] excluded = new int[8][];
        for (int c = 0; c < queries.length; c++) {
            queries[c] = query(rng, 24, 1);
            excluded[c] = c < 4 ? new int[0] : someItems(rng, t.n, 100);
        }
        assertExact(t, queries, new int[] {1, 10, 100}, excluded);
    }

    @Test
    void hugeTinyAndSubnormalRowsWithLargeBiases() {
        Rng rng = new Rng(11);
        int n = 1200;
        int dim = 16;
        float[] rows = new float[n * dim];
        float[] bias = new float[n];
        double[] scales = {1e15, 1e-15, 1e-42, 0, 1, 3e-39};
        for (int i = 0; i < n; i++) {
            double s = scales[i % scales.length];
            for (int j = 0; j < dim; j++) {
                // one dominant component and the rest small: a coarse int8 grid for the small ones
                rows[i * dim + j] = (float) (s * (j == i % dim ? 100 : rng.nextGaussian()));
            }
            bias[i] = i % 5 == 0 ? (float) (1e13 * rng.nextGaussian()) : (float) rng.nextGaussian();
        }
        Table t = new Table(rows, bias, n, dim);
        float[][] queries = {query(rng, dim, 1e-3), query(rng, dim, 1), query(rng, dim, 1e10), new float[dim]};
        int[][] excluded = {new int[0], someItems(rng, n, 50), new int[0], someItems(rng, n, 10)};
        assertExact(t, queries, new int[] {1, 10, 64}, excluded);
    }

    @Test
    void fewerAllowedItemsThanKGiveAllOfThemRanked() {
        Rng rng = new Rng(3);
        Table t = random(rng, 300, 8, 1, true);
        int[] allButFive = new int[295];
        for (int i = 0; i < 295; i++) {
            allButFive[i] = i < 150 ? i : i + 5; // items 150 … 154 remain
        }
        QuantizedTopK fast = QuantizedTopK.of(t.rows, 0, t.n, t.dim, t.bias, 0);
        int[] top = new int[10];
        float[] scores = new float[10];
        int m = fast.topK(query(rng, 8, 1), 10, allButFive, allButFive.length, fast.newWorkspace(), top, scores);
        assertThat(m).isEqualTo(5);
        assertThat(Arrays.stream(top, 0, 5).sorted().toArray()).containsExactly(150, 151, 152, 153, 154);
        assertThat(scores[0]).isGreaterThanOrEqualTo(scores[4]);
        float[][] queries = {query(rng, 8, 1)};
        assertThat(mismatches(t, fast, queries, new int[] {10, 300}, new int[][] {allButFive})).isZero();
    }

    /**
     * Rows (a_i, x_i): a_i in [0.3, 1] sets the row's scale and is coded exactly, x_i small and
     * coarsely coded. A query along the second axis meets each row's residual head on, so the
     * bound ‖q‖·‖r − r̃‖ is attained and the approximate order of the x_i is scrambled.
     */
    private static Table alignedResiduals(Rng rng, int n) {
        float[] rows = new float[2 * n];
        for (int i = 0; i < n; i++) {
            rows[2 * i] = (float) rng.uniform(0.3, 1);
            rows[2 * i + 1] = (float) rng.uniform(0, 0.02);
        }
        return new Table(rows, null, n, 2);
    }

    @Test
    void aBoundTooTightIsCaught() {
        // the exactness checks must be able to fail: with the bound cut in half they do
        Rng rng = new Rng(17);
        Table t = alignedResiduals(rng, 2000);
        float[][] queries = new float[6][];
        int[][] none = new int[6][];
        for (int c = 0; c < queries.length; c++) {
            queries[c] = new float[] {(float) (1e-4 * rng.nextGaussian()), 1f + c};
            none[c] = new int[0];
        }
        int[] ks = {1, 10, 50};
        QuantizedScan scan = QuantizedTopK.active();
        assertThat(mismatches(t, QuantizedTopK.of(t.rows, 0, t.n, 2, null, 0, scan, 0.5, false), queries, ks, none))
                .isPositive();
        assertThat(mismatches(t, QuantizedTopK.of(t.rows, 0, t.n, 2, null, 0, scan, 1.0, false), queries, ks, none))
                .isZero();
    }

    @Test
    void scalarAndSimdScansGiveTheSameBitsAndCandidates() {
        Rng rng = new Rng(5);
        QuantizedScan active = QuantizedTopK.active();
        QuantizedScan scalar = new ScalarQuantizedScan(active.lanes());
        for (int[] shape : new int[][] {{1000, 64}, {333, 5}}) {
            Table t = random(rng, shape[0], shape[1], 0.5, true);
            QuantizedTopK a = QuantizedTopK.of(t.rows, 0, t.n, t.dim, t.bias, 0, active, 1.0, false);
            QuantizedTopK s = QuantizedTopK.of(t.rows, 0, t.n, t.dim, t.bias, 0, scalar, 1.0, false);
            QuantizedTopK.Workspace wa = a.newWorkspace();
            QuantizedTopK.Workspace ws = s.newWorkspace();
            for (int c = 0; c < 5; c++) {
                float[] q = query(rng, shape[1], 1);
                int[] ta = new int[10];
                int[] ts = new int[10];
                float[] sa = new float[10];
                float[] ss = new float[10];
                int[] excluded = someItems(rng, t.n, 20);
                assertThat(a.topK(q, 10, excluded, excluded.length, wa, ta, sa))
                        .isEqualTo(s.topK(q, 10, excluded, excluded.length, ws, ts, ss));
                // the same offers in the same order: the same running candidates, bounds and threshold
                QuantizedSelection x = wa.selection;
                QuantizedSelection y = ws.selection;
                assertThat(x.count).isEqualTo(y.count).isGreaterThanOrEqualTo(10);
                assertThat(Arrays.copyOf(x.candidates, x.count)).isEqualTo(Arrays.copyOf(y.candidates, y.count));
                assertThat(Arrays.copyOf(x.highs, x.count)).isEqualTo(Arrays.copyOf(y.highs, y.count));
                assertThat(x.theta()).isEqualTo(y.theta()).isGreaterThan(Float.NEGATIVE_INFINITY);
                assertThat(wa.lastCandidates()).isEqualTo(ws.lastCandidates()).isPositive();
                assertThat(ta).isEqualTo(ts);
                assertThat(sa).isEqualTo(ss);
            }
        }
    }

    @Test
    void candidatesAreFewOnATableWithAClearTop() {
        // the point of the bound: on a typical table only a small share is scored again
        Rng rng = new Rng(13);
        Table t = random(rng, 20000, 64, 0.1, true);
        QuantizedTopK fast = QuantizedTopK.of(t.rows, 0, t.n, t.dim, t.bias, 0);
        QuantizedTopK.Workspace ws = fast.newWorkspace();
        fast.topK(query(rng, 64, 3), 10, new int[0], 0, ws, new int[10], new float[10]);
        assertThat(ws.lastCandidates()).isBetween(10, 2000);
    }

    @Test
    void refusesTablesItCannotBoundAndQueriesTooLarge() {
        float[] rows = {1, 2, Float.NaN, 4};
        assertThat(QuantizedTopK.of(rows, 0, 2, 2, null, 0)).isNull();
        assertThat(QuantizedTopK.of(new float[] {1, 2, 3, 4}, 0, 2, 2, new float[] {0, Float.POSITIVE_INFINITY}, 0))
                .isNull();
        QuantizedTopK ok = QuantizedTopK.of(new float[] {1, 2, 3, 4}, 0, 2, 2, null, 0);
        assertThat(ok.topK(new float[] {3e37f, 3e37f}, 1, new int[0], 0, ok.newWorkspace(), new int[1], new float[1]))
                .isEqualTo(-1);
        assertThat(ok.topK(new float[] {1, 1}, 1, new int[0], 0, ok.newWorkspace(), new int[1], new float[1]))
                .isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ok.topK(new float[] {1, 1}, 0, new int[0], 0,
                ok.newWorkspace(), new int[1], new float[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k must be at least 1");
    }

    /** Row i and its bias as one strided row {@code [r_i, c_i]} (a bias of 0 when the table has none). */
    private static float[] withBiasColumn(Table t) {
        float[] wide = new float[t.n * (t.dim + 1)];
        for (int i = 0; i < t.n; i++) {
            System.arraycopy(t.rows, i * t.dim, wide, i * (t.dim + 1), t.dim);
            wide[i * (t.dim + 1) + t.dim] = t.bias == null ? 0f : t.bias[i];
        }
        return wide;
    }

    /** {@code [q, 1] · [r_i, c_i]}: the float products summed in double, rounded once. */
    private static float doubleSum(float[] wide, int width, float[] q, int i) {
        double sum = wide[i * width + width - 1];
        for (int j = 0; j < width - 1; j++) {
            sum += (double) q[j] * wide[i * width + j];
        }
        return (float) sum;
    }

    /**
     * The caller's own exact score (a sum in double) over strided rows whose last column is the
     * bias, the allowed items by a predicate, on one thread and split: brute force by that score.
     */
    private static void assertExactByDoubleSums(Table t, float[][] queries, int k) {
        float[] wide = withBiasColumn(t);
        int width = t.dim + 1;
        float[] bias = new float[t.n];
        for (int i = 0; i < t.n; i++) {
            bias[i] = wide[i * width + t.dim];
        }
        QuantizedTopK.ItemScore exact = (q, i) -> doubleSum(wide, width, q, i);
        for (boolean split : new boolean[] {false, true}) {
            QuantizedTopK fast = QuantizedTopK.of(wide, 0, width, t.n, t.dim, bias, 0, QuantizedTopK.active(), 1.0,
                    split);
            QuantizedTopK.Workspace ws = fast.newWorkspace();
            for (float[] q : queries) {
                java.util.function.IntPredicate allowed = i -> i % 7 != 2;
                Integer[] order = java.util.stream.IntStream.range(0, t.n).filter(allowed).boxed()
                        .toArray(Integer[]::new);
                Arrays.sort(order, (a, b) -> {
                    int c = Float.compare(exact.score(q, b), exact.score(q, a));
                    return c != 0 ? c : Integer.compare(a, b);
                });
                int[] top = new int[k];
                float[] scores = new float[k];
                int m = fast.topK(q, k, allowed, exact, ws, top, scores);
                assertThat(m).isEqualTo(Math.min(k, order.length));
                for (int r = 0; r < m; r++) {
                    assertThat(top[r]).as("rank %d, split %s", r, split).isEqualTo(order[r]);
                    assertThat(scores[r]).isEqualTo(exact.score(q, order[r]));
                }
            }
        }
    }

    @Test
    void aScoreSummedInDoubleOverStridedRowsIsWithinTheBound() {
        Rng rng = new Rng(41);
        Table near = nearTies(rng, 1500, 24);
        assertExactByDoubleSums(near, new float[][] {query(rng, 24, 1), query(rng, 24, 1e-3)}, 50);
        Table aligned = alignedResiduals(rng, 2000);
        assertExactByDoubleSums(aligned, new float[][] {{1e-4f, 1f}, {-2e-4f, 5f}}, 50);
        Table odd = random(rng, 1200, 16, 1, true);
        for (int i = 0; i < odd.n; i += 6) { // huge, tiny and subnormal rows beside ordinary ones
            for (int j = 0; j < 16; j++) {
                odd.rows[i * 16 + j] *= i % 4 == 0 ? 1e15f : 1e-42f;
            }
            odd.bias[i] *= 1e13f;
        }
        assertExactByDoubleSums(odd, new float[][] {query(rng, 16, 1), query(rng, 16, 1e10), new float[16]}, 64);
    }
}
