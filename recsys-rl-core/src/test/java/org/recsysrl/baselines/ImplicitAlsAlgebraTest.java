package org.recsysrl.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.util.Rng;

/**
 * Implicit ALS against plain formulas: the objective summed over every user–item pair, each solve
 * against its normal equations written out in full, the seeded start, and the fold-in of a history
 * longer than the scorer's first buffers.
 */
class ImplicitAlsAlgebraTest {
    private static final int D = 3;
    private static final double ALPHA = 2.5;
    private static final double LAMBDA = 0.7;

    /** 6 users over 5 items, weighted, with repeats. */
    private static InteractionLog log() {
        return TinyLog.of(5, new int[][] {{0, 1, 1}, {2, 3}, {4}, {0, 2, 4, 2}, {1}, {3, 0}}, null,
                new float[][] {{1, 2, 0.5f}, {3, 1}, {2}, {1, 1, 1, 4}, {5}, {2, 2}}, Layout.LOG_CSV);
    }

    /** r_ui: the summed weight of user u's interactions with item i (0 when none). */
    private static double[][] summedWeights(InteractionLog log) {
        double[][] r = new double[log.userCount()][log.itemCount()];
        for (int u = 0; u < log.userCount(); u++) {
            for (int p = log.start(u); p < log.end(u); p++) {
                r[u][log.items()[p]] += log.weight(p);
            }
        }
        return r;
    }

    private static double dot(float[] a, int ao, float[] b, int bo) {
        double s = 0;
        for (int k = 0; k < D; k++) {
            s += (double) a[ao + k] * b[bo + k];
        }
        return s;
    }

    @Test
    void theObjectiveIsTheConfidenceWeightedSquaredErrorOverEveryPairPlusTheRidge() {
        InteractionLog log = log();
        ImplicitAls.Factors f = new ImplicitAls.Factors(ImplicitAls.WeightedMatrix.of(log), D, ALPHA, LAMBDA, 11, 1);
        f.sweep(); // factors of a real size, not the tiny start
        double[][] r = summedWeights(log);
        double expected = 0;
        for (int u = 0; u < log.userCount(); u++) {
            for (int i = 0; i < log.itemCount(); i++) {
                double p = r[u][i] > 0 ? 1 : 0;
                double c = 1 + ALPHA * r[u][i];
                double e = p - dot(f.x, u * D, f.y, i * D);
                expected += c * e * e;
            }
        }
        double norms = 0;
        for (float v : f.x) {
            norms += (double) v * v;
        }
        for (float v : f.y) {
            norms += (double) v * v;
        }
        expected += LAMBDA * norms;
        assertThat(f.objective()).isCloseTo(expected, within(1e-9 * expected));
        assertThat(expected).isGreaterThan(1);
    }

    @Test
    void theGramMatrixIsTheLowerTriangleOfFTransposeF() {
        float[] f = {1, 2, 3, -1, 0.5f, 2, 4, -2, 1}; // 3 rows × 3
        double[] g = ImplicitAls.Factors.gram(f, 2, 3); // the first two rows only
        assertThat(g).containsExactly(
                1 + 1, 0, 0,
                2 - 0.5, 4 + 0.25, 0,
                3 - 2, 6 + 1, 9 + 4);
    }

    @Test
    void eachSolvedRowSatisfiesItsNormalEquations() {
        InteractionLog log = log();
        ImplicitAls.WeightedMatrix m = ImplicitAls.WeightedMatrix.of(log);
        ImplicitAls.Factors f = new ImplicitAls.Factors(m, D, ALPHA, LAMBDA, 11, 1);
        float[] startItems = f.y.clone();
        f.sweep(); // users against the starting items, then items against the new users
        double[][] r = summedWeights(log);
        double[] a = new double[D * D];
        double[] b = new double[D];
        double[] userGram = ImplicitAls.Factors.gram(f.x, m.users, D);
        for (int i = 0; i < m.items; i++) {
            f.solveRow(userGram, f.x, m.itemUsers, m.itemWeights, m.itemOffsets[i], m.itemOffsets[i + 1], a, b);
            // (Σ_u c_ui x_u x_uᵀ + λI) s = Σ_u c_ui p_ui x_u, over every user
            for (int row = 0; row < D; row++) {
                double lhs = LAMBDA * b[row];
                double rhs = 0;
                for (int u = 0; u < m.users; u++) {
                    double c = 1 + ALPHA * r[u][i];
                    double xs = 0;
                    for (int k = 0; k < D; k++) {
                        xs += f.x[u * D + k] * b[k];
                    }
                    lhs += c * f.x[u * D + row] * xs;
                    rhs += r[u][i] > 0 ? c * f.x[u * D + row] : 0;
                }
                assertThat(lhs).as("item %d row %d", i, row).isCloseTo(rhs, within(1e-9 * (1 + Math.abs(rhs))));
            }
            for (int k = 0; k < D; k++) {
                assertThat(f.y[i * D + k]).as("item %d", i).isEqualTo((float) b[k]);
            }
        }
        // each user was solved against the starting item factors
        double[] itemGram = ImplicitAls.Factors.gram(startItems, m.items, D);
        for (int u = 0; u < m.users; u++) {
            f.solveRow(itemGram, startItems, m.userItems, m.userWeights, m.userOffsets[u], m.userOffsets[u + 1], a, b);
            for (int k = 0; k < D; k++) {
                assertThat(f.x[u * D + k]).as("user %d", u).isEqualTo((float) b[k]);
            }
        }
    }

    @Test
    void theStartIsSeededGaussiansOfStandardDeviationOneHundredth() {
        ImplicitAls.Factors f = new ImplicitAls.Factors(ImplicitAls.WeightedMatrix.of(log()), D, ALPHA, LAMBDA, 42, 1);
        Rng users = Rng.stream(42, 61);
        Rng items = Rng.stream(42, 62);
        assertThat(f.x).hasSize(6 * D);
        assertThat(f.y).hasSize(5 * D);
        for (float v : f.x) {
            assertThat(v).isEqualTo((float) (0.01 * users.nextGaussian()));
        }
        for (float v : f.y) {
            assertThat(v).isEqualTo((float) (0.01 * items.nextGaussian()));
        }
    }

    @Test
    void aFitRunsExactlyTheSweepsItIsAskedFor() {
        InteractionLog log = TinyLog.random(5, 30, 25, 8, Layout.LOG_CSV);
        Hyperparameters hp = Hyperparameters.of("alpha", ALPHA, "lambda", LAMBDA, "dim", D, "sweeps", 2);
        Recommender fitted = new ImplicitAls().prepare(log, new FitContext(1, 8, true, false)).fit(hp);
        ImplicitAls.Factors f = new ImplicitAls.Factors(ImplicitAls.WeightedMatrix.of(log), D, ALPHA, LAMBDA, 8, 1);
        f.sweep();
        f.sweep();
        float[] a = new float[25];
        float[] b = new float[25];
        History h = History.of(1, 4, 9);
        fitted.newScorer().score(h, a);
        f.recommender().newScorer().score(h, b);
        assertThat(a).containsExactly(b);
    }

    @Test
    void foldingInALongWeightedHistorySolvesTheUsersEquationsAgainstTheItemFactors() {
        int items = 30;
        InteractionLog log = TinyLog.random(6, 40, items, 10, Layout.LOG_CSV);
        ImplicitAls.Factors f = new ImplicitAls.Factors(ImplicitAls.WeightedMatrix.of(log), D, ALPHA, LAMBDA, 3, 1);
        f.sweep();
        Recommender model = f.recommender();
        Recommender.Scorer scorer = model.newScorer();
        // 24 distinct items (more than the scorer's first buffers of 16), item 5 three times
        int[] seq = new int[27];
        float[] w = new float[27];
        for (int p = 0; p < 24; p++) {
            seq[p] = p;
            w[p] = 1 + p % 3;
        }
        seq[24] = 5;
        seq[25] = 5;
        seq[26] = 23;
        w[24] = 2;
        w[25] = 0.5f;
        w[26] = 1;
        float[] out = new float[items];
        scorer.score(History.of(29, 28), new float[items]); // a scorer that was used before
        scorer.score(new History(History.UNKNOWN_USER, seq, w, 0, seq.length), out);

        int[] distinct = new int[24];
        float[] summed = new float[24];
        for (int p = 0; p < 24; p++) {
            distinct[p] = p;
            summed[p] = w[p];
        }
        summed[5] += 2.5f;
        summed[23] += 1;
        double[] b = new double[D];
        f.solveRow(ImplicitAls.Factors.gram(f.y, items, D), f.y, distinct, summed, 0, 24, new double[D * D], b);
        for (int i = 0; i < items; i++) {
            double expected = 0;
            for (int k = 0; k < D; k++) {
                expected += (float) b[k] * f.y[i * D + k];
            }
            assertThat((double) out[i]).as("item %d", i).isCloseTo(expected, within(1e-5 * (1 + Math.abs(expected))));
        }
        // the same history again, through a fresh scorer: the same scores
        float[] fresh = new float[items];
        model.newScorer().score(new History(History.UNKNOWN_USER, seq, w, 0, seq.length), fresh);
        assertThat(out).containsExactly(fresh);
    }
}
