package org.recsysrl.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.data.AlsTrainer;
import org.recsysrl.data.FactorizationModel;
import org.recsysrl.data.FactorizationSpec;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Interactions;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.util.UserInputException;

/** The simple baselines on tiny hand-solved cases, and the model selection by name. */
class BaselinesTest {
    private static final FitContext TIMED = new FitContext(1, 5, true, false);
    private static final FitContext UNTIMED = new FitContext(1, 5, false, false);

    private static float[] score(Recommender model, History h) {
        float[] out = new float[model.itemCount()];
        model.newScorer().score(h, out);
        return out;
    }

    private static Recommender fit(ModelFamily family, Interactions train, FitContext ctx, Object... hp) {
        return family.prepare(train, ctx).fit(Hyperparameters.of(hp));
    }

    private static void assertScores(float[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("item %d", i).isCloseTo(expected[i], within(1e-6));
        }
    }

    // ---------------------------------------------------------------- popularity

    @Test
    void mostPopularScoresTrainingCountsWithRepeats() {
        // u0: 0 1 1, u1: 1 2, u2: 3; item 4 never → counts 1, 3, 1, 1, 0
        InteractionLog log = TinyLog.of(5, new int[][] {{0, 1, 1}, {1, 2}, {3}});
        Recommender m = fit(new MostPopular(), log, UNTIMED);
        assertThat(score(m, History.of())).containsExactly(1, 3, 1, 1, 0);
        assertThat(score(m, History.of(4, 2))).containsExactly(1, 3, 1, 1, 0); // the same for everyone
        // only the training view counts: with u0 cut to its first interaction, item 1 has 1
        Interactions view = Interactions.prefix(log, new int[] {1, 5, 6});
        assertThat(score(fit(new MostPopular(), view, UNTIMED), History.of())).containsExactly(1, 1, 1, 1, 0);
    }

    /**
     * (item, time): u0 (0,1) (1,2) (2,8); u1 (1,3) (0,9) (2,10); u2 (1,4) (3,8).
     * Sorted times: 1 2 3 4 8 8 9 10 (n = 8). All-time counts: 0:2, 1:3, 2:2, 3:1 (max 3 → /4).
     */
    private static InteractionLog timeline() {
        return TinyLog.of(4, new int[][] {{0, 1, 2}, {1, 0, 2}, {1, 3}},
                new long[][] {{1, 2, 8}, {3, 9, 10}, {4, 8}}, null, Layout.LOG_CSV);
    }

    @Test
    void recentlyPopularCountsTheLatestWindowAndBreaksTiesByAllTimeCounts() {
        RecentlyPopular rp = new RecentlyPopular();
        // window 0.25: the latest ceil(2) = 2 interactions, i.e. times >= sorted[6] = 9: (0,9), (2,10).
        // score = window count + all-time count / 4: 0 → 1 + 2/4, 1 → 0 + 3/4, 2 → 1 + 2/4, 3 → 0 + 1/4
        assertScores(score(fit(rp, timeline(), TIMED, "window", 0.25), History.of()), 1.5, 0.75, 1.5, 0.25);
        // window 0.3: ceil(2.4) = 3 → times >= sorted[5] = 8, and both interactions at 8 are in (4 in all):
        // window counts 0:1, 2:2, 3:1 → 1.5, 0.75, 2.5, 1.25
        assertScores(score(fit(rp, timeline(), TIMED, "window", 0.3), History.of()), 1.5, 0.75, 2.5, 1.25);
        assertThat(rp.unavailableReason(UNTIMED)).contains("needs interaction times");
        assertThat(rp.unavailableReason(TIMED)).isNull();
        assertThat(rp.grid(timeline(), TIMED)).hasSize(4);
    }

    // ---------------------------------------------------------------- Markov

    @Test
    void markovScoresTransitionProbabilityPlusBetaTimesPopularity() {
        // sequences u0: 0 1 2, u1: 0 2, u2: 1 2 0; item 3 is never seen.
        // transitions 0→1, 1→2 | 0→2 | 1→2, 2→0 (none across users): P(·|0) = (0, ½, ½, 0),
        // P(·|1) = (0, 0, 1, 0), P(·|2) = (1, 0, 0, 0). Popularity 3/8, 2/8, 3/8, 0.
        InteractionLog log = TinyLog.of(4, new int[][] {{0, 1, 2}, {0, 2}, {1, 2, 0}});
        Recommender m = fit(new MarkovChain(), log, UNTIMED, "beta", 0.1);
        // β·pop = (0.0375, 0.025, 0.0375, 0)
        assertScores(score(m, History.of(0)), 0.0375, 0.525, 0.5375, 0);
        assertScores(score(m, History.of(2, 1)), 0.0375, 0.025, 1.0375, 0); // only the last item matters
        assertScores(score(m, History.of(2)), 1.0375, 0.025, 0.0375, 0); // 2→1 across u1|u2 is no transition
        assertScores(score(m, History.of(3)), 0.0375, 0.025, 0.0375, 0); // no transitions out of 3
        assertScores(score(m, History.of()), 0.0375, 0.025, 0.0375, 0);
        Recommender heavy = fit(new MarkovChain(), log, UNTIMED, "beta", 10);
        assertScores(score(heavy, History.of(0)), 3.75, 3.0, 4.25, 0);
    }

    // ---------------------------------------------------------------- item kNN

    /**
     * u0: 0 1 0 (a repeat), u1: 0 1 2, u2: 1 2, u3: 0 3. Binary: c0 = 3, c1 = 3, c2 = 2, c3 = 1;
     * co-occurrences c01 = 2, c02 = 1, c03 = 1, c12 = 2, c13 = c23 = 0.
     */
    private static InteractionLog knnLog() {
        return TinyLog.of(4, new int[][] {{0, 1, 0}, {0, 1, 2}, {1, 2}, {0, 3}});
    }

    @Test
    void itemKnnSumsShrunkCosineSimilaritiesOfTheHistoryItems() {
        double r3 = Math.sqrt(3);
        double r6 = Math.sqrt(6);
        // shrink 0: s01 = 2/√9 = 2/3, s02 = 1/√6, s03 = 1/√3, s12 = 2/√6.
        // history {0, 2}: item 0 ← s20 = 1/√6; item 1 ← s01 + s21 = 2/3 + 2/√6; item 2 ← s02 = 1/√6;
        // item 3 ← s03 = 1/√3
        Recommender plain = fit(new ItemKnn(), knnLog(), UNTIMED, "k", 200, "shrink", 0);
        assertScores(score(plain, History.of(0, 2)), 1 / r6, 2.0 / 3 + 2 / r6, 1 / r6, 1 / r3);
        assertScores(score(plain, History.of(0, 2, 0)), 1 / r6, 2.0 / 3 + 2 / r6, 1 / r6, 1 / r3); // distinct items
        // shrink 10: s01 = 2/(3 + 10), s02 = 1/(√6 + 10), s03 = 1/(√3 + 10), s12 = 2/(√6 + 10)
        Recommender shrunk = fit(new ItemKnn(), knnLog(), UNTIMED, "k", 200, "shrink", 10);
        assertScores(score(shrunk, History.of(0, 2)), 1 / (r6 + 10), 2.0 / 13 + 2 / (r6 + 10), 1 / (r6 + 10),
                1 / (r3 + 10));
        // k = 1: 0 keeps only its best neighbour 1 (2/3 > 1/√3 > 1/√6), 2 keeps 1 (2/√6 > 1/√6)
        Recommender one = fit(new ItemKnn(), knnLog(), UNTIMED, "k", 1, "shrink", 0);
        assertScores(score(one, History.of(0, 2)), 0, 2.0 / 3 + 2 / r6, 0, 0);
        // item 3's only neighbour is 0
        assertScores(score(plain, History.of(3)), 1 / r3, 0, 0, 0);
    }

    @Test
    void itemKnnNeighboursDoNotDependOnTheThreadCount() {
        InteractionLog log = TinyLog.random(21, 80, 150, 15, Layout.LOG_CSV); // 150 items: 3 chunks of 64
        BinaryMatrix x = BinaryMatrix.of(log);
        ItemKnn.Neighbours one = ItemKnn.neighbours(x, 20, 10, 1);
        ItemKnn.Neighbours three = ItemKnn.neighbours(x, 20, 10, 3);
        assertThat(three.offsets()).containsExactly(one.offsets());
        assertThat(three.ids()).containsExactly(one.ids());
        assertThat(three.sims()).containsExactly(one.sims());
        // most similar first, equal similarities by lower index
        for (int j = 0; j < one.items(); j++) {
            for (int q = one.offsets()[j] + 1; q < one.offsets()[j + 1]; q++) {
                float prev = one.sims()[q - 1];
                float cur = one.sims()[q];
                assertThat(prev > cur || (prev == cur && one.ids()[q - 1] < one.ids()[q])).isTrue();
            }
        }
    }

    // ---------------------------------------------------------------- random, rating MF

    @Test
    void randomScoresDependOnlyOnSeedUserAndHistoryLength() {
        InteractionLog log = knnLog();
        Recommender a = fit(new RandomItems(), log, new FitContext(1, 5, false, false));
        Recommender b = fit(new RandomItems(), log, new FitContext(4, 5, false, false));
        History h = new History(2, new int[] {1, 2}, null, 0, 2);
        float[] s = score(a, h);
        assertThat(score(b, h)).containsExactly(s); // threads do not matter
        assertThat(score(a, new History(2, new int[] {3, 0}, null, 0, 2))).containsExactly(s); // nor the items
        assertThat(score(a, new History(1, new int[] {1, 2}, null, 0, 2))).isNotEqualTo(s);
        Recommender other = fit(new RandomItems(), log, new FitContext(1, 6, false, false));
        assertThat(score(other, h)).isNotEqualTo(s);
        for (float v : s) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void ratingFactorizationNeedsRatingsAndScoresByPredictedRating() {
        RatingFactorization mf = new RatingFactorization();
        assertThat(mf.unavailableReason(new FitContext(1, 5, true, false))).contains("needs ratings");
        assertThat(mf.unavailableReason(new FitContext(1, 5, true, true))).isNull();

        InteractionLog log = TinyLog.random(3, 30, 12, 8, Layout.IN_MEMORY);
        assertThat(log.ratings()).isTrue();
        FitContext ctx = new FitContext(1, 5, true, true);
        Recommender model = fit(mf, log, ctx, "lambda", 0.1);
        FactorizationSpec d = FactorizationSpec.DEFAULT;
        FactorizationModel ref = AlsTrainer.fit(log, new FactorizationSpec(d.dim(), d.iterations(), 0.1, d.biases(),
                d.weightedLambda(), d.initStd(), 5, 1));
        // a known user: r̂(u, i) unclamped; an unknown one: μ + b_i
        float[] known = score(model, new History(4, log.items(), null, log.start(4), log.end(4)));
        float[] guest = score(model, History.of(1, 2));
        for (int i = 0; i < 12; i++) {
            assertThat(known[i]).isEqualTo((float) ref.predictRaw(4, i));
            assertThat(guest[i]).isEqualTo((float) (ref.globalMean() + ref.itemBias()[i]));
        }
    }

    @Test
    void alsOnATrainingViewUsesOnlyItsWeightsAsRatings() {
        // u0 rates 5, 3 | 1 (the 1 is outside the view), u1 rates 4 | 2, 2
        InteractionLog log = TinyLog.of(3, new int[][] {{0, 1, 2}, {0, 1, 2}}, null,
                new float[][] {{5, 3, 1}, {4, 2, 2}}, Layout.IN_MEMORY);
        Interactions view = Interactions.prefix(log, new int[] {2, 4});
        FactorizationModel m = AlsTrainer.fit(view, FactorizationSpec.DEFAULT.withThreads(1));
        // μ = (5 + 3 + 4) / 3 = 4 (not the mean of all six, 17/6)
        assertThat(m.globalMean()).isCloseTo(4.0, within(1e-9));
        assertThat(m.userCount()).isEqualTo(2);
        assertThat(m.itemCount()).isEqualTo(3);
        assertThat(m.itemBias()[2]).isZero(); // item 2 has no rating in the view: nothing is learned for it
        assertThatThrownBy(() -> AlsTrainer.fit(Interactions.prefix(log, new int[] {0, 3}),
                FactorizationSpec.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- selection by name

    @Test
    void selectByName() {
        assertThat(Baselines.names()).containsExactly("random", "popular", "recent-popular", "item-knn", "ease",
                "ials", "markov", "mf-rating");
        assertThat(Baselines.select("all")).hasSize(8);
        assertThat(Baselines.select(" ")).hasSize(8);
        List<ModelFamily> two = Baselines.select("ease, popular");
        assertThat(two).extracting(ModelFamily::name).containsExactly("ease", "popular");
        assertThatThrownBy(() -> Baselines.select("popular,bpr")).isInstanceOf(UserInputException.class)
                .hasMessage("--models: unknown model bpr; known: all, random, popular, recent-popular, item-knn, "
                        + "ease, ials, markov, mf-rating");
        assertThatThrownBy(() -> Baselines.select("ease,popular,ease")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("names ease twice");
    }
}
