package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

class AlsTrainerTest {

    /**
     * Ratings 1..5 (half stars) from a rank-3 model with biases plus noise, about {@code density} of
     * the {@code users × items} pairs, in random order with random timestamps; plus one item rated
     * only by user 0's very last interaction (so it has no training ratings after a split).
     */
    static RatingDataset synthetic(long seed, int users, int items, double density) {
        Rng rng = new Rng(seed);
        int r = 3;
        double[] pu = new double[users * r];
        double[] qi = new double[items * r];
        double[] bu = new double[users];
        double[] bi = new double[items];
        for (int k = 0; k < pu.length; k++) {
            pu[k] = 0.7 * rng.nextGaussian();
        }
        for (int k = 0; k < qi.length; k++) {
            qi[k] = 0.7 * rng.nextGaussian();
        }
        for (int u = 0; u < users; u++) {
            bu[u] = 0.4 * rng.nextGaussian();
        }
        for (int i = 0; i < items; i++) {
            bi[i] = 0.4 * rng.nextGaussian();
        }
        RatingDataset.Builder b = new RatingDataset.Builder();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (rng.nextDouble() < density) {
                    double v = 3.2 + bu[u] + bi[i] + 0.2 * rng.nextGaussian();
                    for (int k = 0; k < r; k++) {
                        v += pu[u * r + k] * qi[i * r + k];
                    }
                    float rating = (float) Math.max(1, Math.min(5, Math.round(v * 2) / 2.0));
                    b.add("u" + u, "i" + i, rating, rng.nextInt(1_000_000));
                }
            }
        }
        b.add("u0", "cold-item", 4f, 2_000_000);
        return b.build();
    }

    static final RatingDataset DATA = synthetic(5, 70, 50, 0.35);
    static final Split SPLIT = Split.chronological(DATA, SplitSpec.lastFraction(0.2, 5));

    static FactorizationSpec spec(int dim, double lambda, boolean biases, boolean weighted) {
        return new FactorizationSpec(dim, 10, lambda, biases, weighted, 0.1, 7L, 1);
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(spec(4, 0.1, true, true)),
                Arguments.of(spec(4, 2.0, true, false)),
                Arguments.of(spec(6, 0.05, false, true)),
                Arguments.of(spec(1, 1.0, false, false)));
    }

    // ---------------------------------------------------------------- an independent implementation of the loss

    /** Σ (r − μ − b_u − b_i − p_u·q_i)² + λ Σ_u w_u(‖p_u‖² + b_u²) + λ Σ_i w_i(‖q_i‖² + b_i²), straight from the definition. */
    static double loss(AlsTrainer t, FactorizationSpec s, int[] train) {
        float[] p = t.userFactorsView();
        float[] q = t.itemFactorsView();
        float[] bu = t.userBiasView();
        float[] bi = t.itemBiasView();
        int d = s.dim();
        int[] nu = new int[DATA.userCount()];
        int[] ni = new int[DATA.itemCount()];
        double loss = 0;
        for (int k : train) {
            int u = DATA.user(k);
            int i = DATA.item(k);
            nu[u]++;
            ni[i]++;
            double pred = t.globalMean() + bu[u] + bi[i];
            for (int x = 0; x < d; x++) {
                pred += (double) p[u * d + x] * q[i * d + x];
            }
            loss += (DATA.rating(k) - pred) * (DATA.rating(k) - pred);
        }
        for (int u = 0; u < nu.length; u++) {
            double sq = (double) bu[u] * bu[u];
            for (int x = 0; x < d; x++) {
                sq += (double) p[u * d + x] * p[u * d + x];
            }
            loss += s.lambda() * (s.weightedLambda() ? nu[u] : 1) * sq;
        }
        for (int i = 0; i < ni.length; i++) {
            double sq = (double) bi[i] * bi[i];
            for (int x = 0; x < d; x++) {
                sq += (double) q[i * d + x] * q[i * d + x];
            }
            loss += s.lambda() * (s.weightedLambda() ? ni[i] : 1) * sq;
        }
        return loss;
    }

    /** ∂loss/∂(p_u, b_u) = −2 Σ_i e_ui (q_i, 1) + 2 λ w_u (p_u, b_u), written into out[0..d] (the bias last). */
    static void userGradient(AlsTrainer t, FactorizationSpec s, int[] train, int u, double[] out) {
        float[] p = t.userFactorsView();
        float[] q = t.itemFactorsView();
        float[] bu = t.userBiasView();
        float[] bi = t.itemBiasView();
        int d = s.dim();
        java.util.Arrays.fill(out, 0);
        int n = 0;
        for (int k : train) {
            if (DATA.user(k) != u) {
                continue;
            }
            n++;
            int i = DATA.item(k);
            double pred = t.globalMean() + bu[u] + bi[i];
            for (int x = 0; x < d; x++) {
                pred += (double) p[u * d + x] * q[i * d + x];
            }
            double e = DATA.rating(k) - pred;
            for (int x = 0; x < d; x++) {
                out[x] -= 2 * e * q[i * d + x];
            }
            out[d] -= 2 * e;
        }
        double w = s.lambda() * (s.weightedLambda() ? n : 1);
        for (int x = 0; x < d; x++) {
            out[x] += 2 * w * p[u * d + x];
        }
        out[d] += 2 * w * bu[u];
    }

    /** Same for item i. */
    static void itemGradient(AlsTrainer t, FactorizationSpec s, int[] train, int i, double[] out) {
        float[] p = t.userFactorsView();
        float[] q = t.itemFactorsView();
        float[] bu = t.userBiasView();
        float[] bi = t.itemBiasView();
        int d = s.dim();
        java.util.Arrays.fill(out, 0);
        int n = 0;
        for (int k : train) {
            if (DATA.item(k) != i) {
                continue;
            }
            n++;
            int u = DATA.user(k);
            double pred = t.globalMean() + bu[u] + bi[i];
            for (int x = 0; x < d; x++) {
                pred += (double) p[u * d + x] * q[i * d + x];
            }
            double e = DATA.rating(k) - pred;
            for (int x = 0; x < d; x++) {
                out[x] -= 2 * e * p[u * d + x];
            }
            out[d] -= 2 * e;
        }
        double w = s.lambda() * (s.weightedLambda() ? n : 1);
        for (int x = 0; x < d; x++) {
            out[x] += 2 * w * q[i * d + x];
        }
        out[d] += 2 * w * bi[i];
    }

    static double norm(double[] g, int len) {
        double s = 0;
        for (int k = 0; k < len; k++) {
            s += g[k] * g[k];
        }
        return Math.sqrt(s);
    }

    // ---------------------------------------------------------------- tests

    @ParameterizedTest
    @MethodSource("variants")
    void objectiveIsTheDefinedLossAndTheGradientFormulaMatchesFiniteDifferences(FactorizationSpec s) {
        int[] train = SPLIT.train();
        AlsTrainer t = new AlsTrainer(DATA, train, s);
        t.updateUsers(); // move off the zero biases so every term is exercised
        assertThat(t.objective()).isCloseTo(loss(t, s, train), within(1e-9 * loss(t, s, train)));

        int d = s.dim();
        double[] g = new double[d + 1];
        for (int u : new int[] {0, 13, 42}) {
            userGradient(t, s, train, u, g);
            for (int x = 0; x <= d; x++) {
                if (x == d && !s.biases()) {
                    continue;
                }
                float[] arr = x < d ? t.userFactorsView() : t.userBiasView();
                int at = x < d ? u * d + x : u;
                float orig = arr[at];
                float plus = orig + 0.01f;
                float minus = orig - 0.01f;
                arr[at] = plus;
                double lp = t.objective();
                arr[at] = minus;
                double lm = t.objective();
                arr[at] = orig;
                // the loss is quadratic in one coordinate, so the central difference is exact up to rounding
                double fd = (lp - lm) / ((double) plus - minus);
                assertThat(fd).as("user %d coordinate %d", u, x).isCloseTo(g[x], within(1e-6 * (1 + Math.abs(g[x]))));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void eachHalfSweepSolvesItsNormalEquations(FactorizationSpec s) {
        int[] train = SPLIT.train();
        AlsTrainer t = new AlsTrainer(DATA, train, s);
        int d = s.dim();
        int len = s.biases() ? d + 1 : d; // without biases b stays 0 and is not a parameter
        double[] g = new double[d + 1];

        double before = 0;
        for (int u = 0; u < DATA.userCount(); u++) {
            userGradient(t, s, train, u, g);
            before = Math.max(before, norm(g, len));
        }
        t.updateUsers();
        for (int u = 0; u < DATA.userCount(); u++) {
            userGradient(t, s, train, u, g);
            assertThat(norm(g, len)).as("user %d", u).isLessThan(1e-4 * before);
        }

        double beforeItems = 0;
        for (int i = 0; i < DATA.itemCount(); i++) {
            itemGradient(t, s, train, i, g);
            beforeItems = Math.max(beforeItems, norm(g, len));
        }
        t.updateItems();
        for (int i = 0; i < DATA.itemCount(); i++) {
            itemGradient(t, s, train, i, g);
            assertThat(norm(g, len)).as("item %d", i).isLessThan(1e-4 * beforeItems);
        }
        if (!s.biases()) {
            assertThat(t.userBiasView()).containsOnly(0f);
            assertThat(t.itemBiasView()).containsOnly(0f);
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void objectiveNeverIncreasesAndFallsOverSweeps(FactorizationSpec s) {
        AlsTrainer t = new AlsTrainer(DATA, SPLIT.train(), s);
        double start = t.objective();
        double prev = start;
        for (int it = 0; it < 8; it++) {
            t.updateUsers();
            double mid = t.objective();
            t.updateItems();
            double end = t.objective();
            assertThat(mid).as("after users, sweep %d", it).isLessThanOrEqualTo(prev * (1 + 1e-9));
            assertThat(end).as("after items, sweep %d", it).isLessThanOrEqualTo(mid * (1 + 1e-9));
            prev = end;
        }
        assertThat(prev).isLessThan(0.8 * start);
    }

    @Test
    void fitReportsHistoryAndHeldOutRmseOfClampedPredictions() {
        FactorizationSpec s = spec(4, 0.1, true, true).withIterations(12);
        FactorizationResult r = AlsTrainer.fit(SPLIT, s, null);
        List<IterationStats> h = r.history();
        assertThat(h).hasSize(12);
        assertThat(h.get(0).iteration()).isEqualTo(1);
        for (int k = 1; k < h.size(); k++) {
            assertThat(h.get(k).objective()).isLessThanOrEqualTo(h.get(k - 1).objective() * (1 + 1e-9));
        }
        assertThat(h.get(11).trainRmse()).isLessThan(h.get(0).trainRmse());
        FactorizationModel m = r.model();
        assertThat(r.testCount()).isEqualTo(SPLIT.testSize());
        assertThat(r.testRmse()).isEqualTo(m.rmse(DATA, SPLIT.test()));
        assertThat(h.get(11).testRmse()).isCloseTo(r.testRmse(), within(1e-12));

        // the model learns: better than predicting the training mean, which it stores as μ
        double se = 0;
        for (int k : SPLIT.test()) {
            se += Math.pow(DATA.rating(k) - m.globalMean(), 2);
        }
        double meanRmse = Math.sqrt(se / SPLIT.testSize());
        assertThat(r.testRmse()).isLessThan(0.8 * meanRmse);

        // predictions are clamped to the data's rating range and predictAll agrees with predict
        float[] all = new float[m.itemCount()];
        for (int u = 0; u < m.userCount(); u++) {
            m.predictAll(u, all);
            for (int i = 0; i < m.itemCount(); i++) {
                assertThat(all[i]).isBetween(DATA.minRating(), DATA.maxRating());
                assertThat(all[i]).isEqualTo((float) m.predict(u, i));
            }
        }
        // an item with no training ratings has a zero vector and bias: μ + b_u
        int cold = DATA.itemIds().index("cold-item");
        assertThat(java.util.Arrays.stream(SPLIT.test()).anyMatch(k -> DATA.item(k) == cold)).isTrue();
        assertThat(m.itemBias()[cold]).isZero();
        for (int x = 0; x < m.dim(); x++) {
            assertThat(m.itemFactors()[cold * m.dim() + x]).isZero();
        }
        assertThat(m.predictRaw(3, cold)).isCloseTo(m.globalMean() + m.userBias()[3], within(1e-6));
        float[] obs = new float[2 * m.dim()];
        m.copyUserVector(3, obs, 0);
        m.copyItemVector(cold - 1, obs, m.dim());
        for (int x = 0; x < m.dim(); x++) {
            assertThat(obs[x]).isEqualTo(m.userFactors()[3 * m.dim() + x]);
            assertThat(obs[m.dim() + x]).isEqualTo(m.itemFactors()[(cold - 1) * m.dim() + x]);
        }
        assertThat(m.userFactors()).hasSize(DATA.userCount() * 4);
        assertThat(m.itemFactors()).hasSize(DATA.itemCount() * 4);
    }

    @Test
    void deterministicPerSeedAndIndependentOfThreadCount() {
        FactorizationSpec s = new FactorizationSpec(5, 4, 0.1, true, true, 0.1, 99L, 1);
        FactorizationModel a = AlsTrainer.fit(SPLIT, s, null).model();
        FactorizationModel b = AlsTrainer.fit(SPLIT, s, null).model();
        FactorizationModel c = AlsTrainer.fit(SPLIT, s.withThreads(3), null).model();
        for (FactorizationModel other : new FactorizationModel[] {b, c}) {
            assertThat(other.userFactors()).containsExactly(a.userFactors());
            assertThat(other.itemFactors()).containsExactly(a.itemFactors());
            assertThat(other.userBias()).containsExactly(a.userBias());
            assertThat(other.itemBias()).containsExactly(a.itemBias());
        }
        FactorizationModel d = AlsTrainer.fit(SPLIT, s.withSeed(100L), null).model();
        assertThat(d.itemFactors()).isNotEqualTo(a.itemFactors());
    }

    @Test
    void threadedSolvesMatchOnMoreRowsThanOneChunk() {
        RatingDataset big = synthetic(8, 300, 200, 0.05);
        int[] all = new int[big.size()];
        for (int k = 0; k < all.length; k++) {
            all[k] = k;
        }
        FactorizationSpec s = new FactorizationSpec(3, 2, 0.1, true, true, 0.1, 1L, 1);
        FactorizationModel one = AlsTrainer.fit(big, all, new int[0], s, null).model();
        FactorizationModel four = AlsTrainer.fit(big, all, new int[0], s.withThreads(4), null).model();
        assertThat(four.userFactors()).containsExactly(one.userFactors());
        assertThat(four.itemFactors()).containsExactly(one.itemFactors());
        assertThat(AlsTrainer.fit(big, all, new int[0], s, null).testRmse()).isNaN();
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("mf.dim", (Runnable) () -> new FactorizationSpec(0, 10, 0.1, true, true, 0.1, 1, 0)),
                Arguments.of("mf.iterations", (Runnable) () -> new FactorizationSpec(8, 0, 0.1, true, true, 0.1, 1, 0)),
                Arguments.of("mf.lambda", (Runnable) () -> new FactorizationSpec(8, 10, 0.0, true, true, 0.1, 1, 0)),
                Arguments.of("mf.lambda", (Runnable) () -> new FactorizationSpec(8, 10, Double.NaN, true, true, 0.1, 1, 0)),
                Arguments.of("mf.init_std", (Runnable) () -> new FactorizationSpec(8, 10, 0.1, true, true, -1, 1, 0)),
                Arguments.of("mf.threads", (Runnable) () -> new FactorizationSpec(8, 10, 0.1, true, true, 0.1, 1, -2)));
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("badSpecs")
    void rejectsBadSpecsNamingTheSetting(String key, Runnable construct) {
        assertThatThrownBy(construct::run).isInstanceOf(UserInputException.class).hasMessageContaining(key);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        FactorizationSpec s = FactorizationSpec.DEFAULT;
        assertThat(s.dim()).isEqualTo(32);
        assertThat(s.biases()).isTrue();
        assertThat(s.effectiveThreads()).isPositive();
    }
}
