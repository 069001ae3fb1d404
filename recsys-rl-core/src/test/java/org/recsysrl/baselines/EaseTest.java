package org.recsysrl.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Interactions;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.util.Rng;

/**
 * EASE against the textbook computation done densely here: P = (XᵀX + λI)⁻¹ by Gauss–Jordan,
 * B = I − P·diag(1/diag P), scores x·B; on its primal path (at least as many users as items) and
 * its dual, Woodbury path (fewer users than items).
 */
class EaseTest {
    private static final double LAMBDA = 3.0;

    /** The inverse of a square matrix by Gauss–Jordan elimination with partial pivoting. */
    private static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            double d = m[c][c];
            for (int k = 0; k < 2 * n; k++) {
                m[c][k] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r != c && m[r][c] != 0) {
                    double f = m[r][c];
                    for (int k = 0; k < 2 * n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }

    /** B = I − P diag(1/diag P) with P = (XᵀX + λI)⁻¹, X the binary matrix of {@code train}. */
    private static double[][] denseB(Interactions train, double lambda) {
        int n = train.itemCount();
        double[][] g = new double[n][n];
        for (int u = 0; u < train.userCount(); u++) {
            boolean[] x = new boolean[n];
            for (int p = train.start(u); p < train.end(u); p++) {
                x[train.items()[p]] = true; // repeats count once
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (x[i] && x[j]) {
                        g[i][j] += 1;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            g[i][i] += lambda;
        }
        double[][] p = inverse(g);
        double[][] b = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b[i][j] = (i == j ? 1 : 0) - p[i][j] / p[j][j];
            }
        }
        return b;
    }

    /** s = x·B for the binary history vector x. */
    private static double[] denseScores(double[][] b, int... history) {
        int n = b.length;
        boolean[] x = new boolean[n];
        for (int i : history) {
            x[i] = true;
        }
        double[] s = new double[n];
        for (int j = 0; j < n; j++) {
            if (x[j]) {
                for (int i = 0; i < n; i++) {
                    s[i] += b[j][i];
                }
            }
        }
        return s;
    }

    private static Recommender fit(Interactions train, int threads) {
        return new Ease().prepare(train, new FitContext(threads, 1, false, false))
                .fit(Hyperparameters.of("lambda", LAMBDA));
    }

    private static float[] score(Recommender m, int... history) {
        float[] out = new float[m.itemCount()];
        m.newScorer().score(History.of(history), out);
        return out;
    }

    private static void assertClose(float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("item %d", i).isCloseTo(expected[i], within(2e-6));
        }
    }

    /** {@code users} users with 2..6 random items (repeats possible) of {@code items}. */
    private static InteractionLog log(long seed, int users, int items) {
        Rng rng = new Rng(seed);
        int[][] rows = new int[users][];
        for (int u = 0; u < users; u++) {
            rows[u] = new int[2 + rng.nextInt(5)];
            for (int k = 0; k < rows[u].length; k++) {
                rows[u][k] = rng.nextInt(items);
            }
        }
        return TinyLog.of(items, rows, null, null, Layout.LOG_CSV);
    }

    private static void checkAgainstDense(InteractionLog log) {
        double[][] b = denseB(log, LAMBDA);
        Recommender m = fit(log, 2);
        int[][] histories = {{0}, {1, 3}, {2, 2, 5, 0}, {}, {4, 1, 0, 3}};
        for (int[] h : histories) {
            assertClose(score(m, h), denseScores(b, h));
        }
        // a nontrivial model: some scores well away from 0
        double max = 0;
        for (double v : denseScores(b, 1, 3)) {
            max = Math.max(max, Math.abs(v));
        }
        assertThat(max).isGreaterThan(0.05);
    }

    @Test
    void primalPathMatchesTheDenseComputation() {
        InteractionLog log = log(1, 14, 7); // 14 users ≥ 7 items
        assertThat(Ease.usesDual(log)).isFalse();
        checkAgainstDense(log);
    }

    @Test
    void dualPathMatchesTheDenseComputation() {
        InteractionLog log = log(2, 5, 9); // 5 users < 9 items
        assertThat(Ease.usesDual(log)).isTrue();
        checkAgainstDense(log);
    }

    @Test
    void primalAndDualAgreeOnTheSameInteractions() {
        // 6 users on items 0..5: primal (6 ≥ 6). The same rows with a 7th item nobody has: 6 < 7, dual.
        // The extra item adds only λ on the diagonal of XᵀX, so P and B on items 0..5 are unchanged
        // and its own scores are 0.
        Rng rng = new Rng(3);
        int[][] rows = new int[6][];
        for (int u = 0; u < 6; u++) {
            rows[u] = new int[] {u, (u + 1 + rng.nextInt(5)) % 6, rng.nextInt(6)};
        }
        InteractionLog six = TinyLog.of(6, rows, null, null, Layout.LOG_CSV);
        InteractionLog seven = TinyLog.of(7, rows, null, null, Layout.LOG_CSV);
        assertThat(Ease.usesDual(six)).isFalse();
        assertThat(Ease.usesDual(seven)).isTrue();
        Recommender primal = fit(six, 1);
        Recommender dual = fit(seven, 1);
        for (int[] h : new int[][] {{0}, {2, 4}, {5, 1, 3}}) {
            float[] p = score(primal, h);
            float[] d = score(dual, h);
            for (int i = 0; i < 6; i++) {
                assertThat(d[i]).as("item %d", i).isCloseTo(p[i], within(2e-6f));
            }
            assertThat(d[6]).isCloseTo(0f, within(1e-7f));
        }
    }

    @Test
    void usersWithoutTrainingInteractionsDoNotCountTowardsThePath() {
        // 3 active users of 8 (5 empty: e.g. all of their interactions are held out), 4 items: dual
        int[][] rows = {{0, 1}, {}, {1, 2}, {}, {}, {2, 3}, {}, {}};
        InteractionLog log = TinyLog.of(4, rows, null, null, Layout.LOG_CSV);
        assertThat(Ease.usesDual(log)).isTrue();
        assertClose(score(fit(log, 1), 1), denseScores(denseB(log, LAMBDA), 1));
    }

    @Test
    void theGramMatrixCountsCoOccurrences() {
        // u0: 0 1 1, u1: 1 2: XᵀX = [[1,1,0],[1,2,1],[0,1,1]] (the repeat of 1 counts once)
        float[] g = Ease.gram(BinaryMatrix.of(TinyLog.of(3, new int[][] {{0, 1, 1}, {1, 2}})), 2);
        assertThat(g).containsExactly(1, 1, 0, 1, 2, 1, 0, 1, 1);
    }
}
