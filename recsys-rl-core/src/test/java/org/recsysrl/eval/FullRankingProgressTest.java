package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.baselines.MostPopular;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.Recommender;

/** The full-ranking evaluator's progress reports, and its diversity column where items have genres. */
class FullRankingProgressTest {
    private static final OfflineBenchmark.Settings SETTINGS = new OfflineBenchmark.Settings(new int[] {2}, 2, "hr",
            false, 10, 10, 1, 1);

    @Test
    void progressCountsTheRankedUsersChunkByChunk() {
        InteractionLog log = TinyLog.random(8, 250, 20, 5, Layout.LOG_CSV);
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        EvalTask task = split.testTask(false);
        int users = task.size();
        assertThat(users).isGreaterThan(128);
        List<Integer> done = new ArrayList<>();
        float[] scores = new float[20];
        RankingResult r = FullRankingEvaluator.evaluate(MostPopular.fixedScores("flat", scores), task,
                OfflineBenchmark.setup(split, SETTINGS), 1, done::add);
        // chunks of 64 users, one report after each
        List<Integer> expected = new ArrayList<>();
        for (int d = 64; d < users; d += 64) {
            expected.add(d);
        }
        expected.add(users);
        assertThat(done).isEqualTo(expected);
        assertThat(r.userCount()).isEqualTo(users);
        assertThat(r.seconds()).isGreaterThanOrEqualTo(0).isLessThan(3600);
    }

    @Test
    void listsAreScoredForDiversityOnGenreVectors() {
        // item genres: 0 → {0}, 1 → {0}, 2 → {1}, 3 → {0, 1}
        InteractionLog log = TinyLog.withGenres(4, new int[][] {{3, 2, 1}, {3, 2, 0}}, new int[][] {{0}, {0}, {1}, {0, 1}});
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        RankingSetup setup = OfflineBenchmark.setup(split, SETTINGS);
        assertThat(FullRankingEvaluator.metricNames(setup)).endsWith("novelty@2", "ild@2");
        // a dense scorer ranking 0, 1, 2, 3: every user's list is [0, 1] (same genre), distance 0;
        Recommender dense = new Recommender() {
            @Override
            public String name() {
                return "dense";
            }

            @Override
            public int itemCount() {
                return 4;
            }

            @Override
            public Scorer newScorer() {
                return (h, out) -> {
                    for (int i = 0; i < 4; i++) {
                        out[i] = 4 - i;
                    }
                };
            }
        };
        RankingResult same = FullRankingEvaluator.evaluate(dense, split.testTask(false), setup, 1, null);
        assertThat(same.mean("ild@2")).isCloseTo(0.0, within(1e-12));
        // ranking 2 then 3: genres {1} and {0, 1}, cosine 1/√2
        RankingResult mixed = FullRankingEvaluator.evaluate(MostPopular.fixedScores("m", new float[] {0, 0, 2, 1}),
                split.testTask(false), setup, 1, null);
        assertThat(mixed.mean("ild@2")).isCloseTo(1 - Math.sqrt(0.5), within(1e-12));
    }
}
