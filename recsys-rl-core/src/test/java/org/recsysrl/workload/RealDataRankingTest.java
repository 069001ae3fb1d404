package org.recsysrl.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.data.FactorizationModel;
import org.recsysrl.data.MovieLensSessions;
import org.recsysrl.data.RatingDataset;
import org.recsysrl.data.Split;
import org.recsysrl.data.SplitSpec;
import org.recsysrl.env.MovieLensEnv;
import org.recsysrl.env.MovieLensWorld;
import org.recsysrl.eval.Comparison;
import org.recsysrl.eval.EpisodeRunner;
import org.recsysrl.eval.EpisodeStats;
import org.recsysrl.eval.RankingEvaluation;
import org.recsysrl.eval.RankingReport;
import org.recsysrl.eval.RankingTask;
import org.recsysrl.eval.Recommenders;
import org.recsysrl.setup.RealData;

/**
 * The ranking task and evaluation on the hand-made log of {@code MovieLensEnvTest}: users a, b
 * (held out: a's i4, b's i6; c has no held-out item), items i1..i6 = 0..5, q_j = (0.25 j, 0),
 * r̂(a, j) = 3 + 0.25 j, r̂(b, j) = 3.
 */
class RealDataRankingTest {
    static RatingDataset log() {
        return new RatingDataset.Builder()
                .add("a", "i1", 5, 1).add("a", "i2", 1, 2).add("a", "i3", 3, 3).add("a", "i4", 4, 4)
                .add("b", "i2", 2, 1).add("b", "i5", 4, 2).add("b", "i6", 1, 3)
                .add("c", "i1", 0.5f, 1)
                .build();
    }

    static FactorizationModel model() {
        float[] users = {1, 0, 0, 1, 0.5f, 0.5f};
        float[] items = new float[12];
        for (int j = 0; j < 6; j++) {
            items[2 * j] = 0.25f * j;
        }
        return new FactorizationModel(2, users, items, new float[3], new float[6], 3.0, 0.5f, 5f);
    }

    private static final Split SPLIT = Split.chronological(log(), SplitSpec.lastK(1, 2));

    @Test
    void rankingTaskHoldsTrainAndHeldOutItemsAndPopularity() {
        MovieLensWorld world = MovieLensSessions.world(SPLIT, model(), 6, 0, 0, false);
        RankingTask t = RealData.rankingTask(SPLIT, world);
        assertThat(t.envUsers()).containsExactly(0, 1); // c (env user 2) has nothing held out
        assertThat(t.trainOffsets()).containsExactly(0, 3, 5);
        assertThat(t.trainItems()).containsExactly(0, 1, 2, 1, 4);
        assertThat(t.testItems()).containsExactly(3, 5);
        assertThat(t.popularity()).containsExactly(2, 2, 1, 0, 1, 0);
    }

    @Test
    void popularityBaselineMetricsMatchHandComputation() {
        MovieLensWorld world = MovieLensSessions.world(SPLIT, model(), 6, 0, 0, true);
        RankingTask t = RealData.rankingTask(SPLIT, world);
        MovieLensEnv env = world.newEnvironment(0);
        RankingReport r = RankingEvaluation.evaluate(Recommenders.popularity(t.popularity()), env, t, 2);
        // a: training items 0,1,2 masked; scores 3:0, 4:1, 5:0 → [4, 3]; held out {3}: hit at rank 2
        // b: 1,4 masked; 0:2, 2:1, 3:0, 5:0 → [0, 2]; held out {5}: no hit
        assertThat(r.users()).isEqualTo(2);
        assertThat(r.ndcg()).isCloseTo((Math.log(2) / Math.log(3)) / 2, within(1e-9));
        assertThat(r.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(r.hitRate()).isCloseTo(0.5, within(1e-12));
        assertThat(r.coverage()).isCloseTo(4.0 / 6, within(1e-12));
        // [4, 3]: parallel vectors, distance 0; [0, 2]: q_0 = 0 → distance 1
        assertThat(r.diversity()).isCloseTo(0.5, within(1e-9));

        // greedy by factorisation, K = 1: a → argmax over 3,4,5 of 3 + 0.25 j = 5 (miss);
        // b → all predictions 3 except rated-in-training (masked): first unmasked, item 0 (miss)
        RankingReport mf = RankingEvaluation.evaluate(Recommenders.factorisation(world), env, t, 1);
        assertThat(mf.hitRate()).isZero();
        assertThat(mf.coverage()).isCloseTo(2.0 / 6, within(1e-12));
        assertThat(mf.diversity()).isNaN();
    }

    @Test
    void greedyBaselinesPlayWholeSessionsWithoutRepeats() {
        MovieLensWorld world = MovieLensSessions.world(SPLIT, model(), 6, 0, 0, true);
        MovieLensEnv env = world.newEnvironment(0);
        EpisodeRunner runner = new EpisodeRunner(env);
        List<EpisodeStats> eps = Comparison.play(runner, Recommenders.greedy(Recommenders.factorisation(world), env),
                new int[] {0, 1});
        // six distinct items in six steps; user a's return is the sum of its six scaled rewards
        assertThat(eps.get(0).length()).isEqualTo(6);
        double expected = (5 - 0.5) / 4.5 + (1 - 0.5) / 4.5 + (3 - 0.5) / 4.5 + (3.75 - 0.5) / 4.5
                + (4 - 0.5) / 4.5 + (4.25 - 0.5) / 4.5;
        assertThat(eps.get(0).total()).isCloseTo(expected, within(1e-5));
    }
}
