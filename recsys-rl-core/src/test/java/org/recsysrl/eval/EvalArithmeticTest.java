package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * The small formulas of the evaluation, each against a hand-computed case: intervals, the
 * personalisation score, episode summaries, replicate groups, the sign-flip test, the top-K
 * selections and the diversity of a list.
 */
class EvalArithmeticTest {

    @Test
    void aNormalIntervalIsTheMeanPlusMinusQuantileStandardErrors() {
        // 1, 2, 6: mean 3, squared deviations 4 + 1 + 9 = 14, sample sd √7, standard error √(7/3)
        Estimate e = PlatformComparison.interval(new double[] {1, 2, 6}, 2.0);
        double half = 2.0 * Math.sqrt(7.0 / 3);
        assertThat(e.mean()).isEqualTo(3.0);
        assertThat(e.low()).isCloseTo(3 - half, within(1e-12));
        assertThat(e.high()).isCloseTo(3 + half, within(1e-12));
        assertThat(e.n()).isEqualTo(3);
        assertThat(e.halfWidth()).isCloseTo(half, within(1e-12));
        assertThat(PlatformComparison.normal(new double[] {1, 2, 6}).halfWidth())
                .isCloseTo(1.96 * Math.sqrt(7.0 / 3), within(1e-12));
        // a single value has no interval
        Estimate one = PlatformComparison.interval(new double[] {4}, 1.96);
        assertThat(one.low()).isEqualTo(4.0);
        assertThat(one.high()).isEqualTo(4.0);
        assertThat(new Estimate(1, -0.5, 3.5, 2).halfWidth()).isEqualTo(2.0);
    }

    @Test
    void personalisationIsTheShareOfTheGapFromTheBestConstantToTheOracle() {
        assertThat(Personalisation.score(7, 5, 9)).isEqualTo(0.5);
        assertThat(Personalisation.score(4, 5, 9)).isEqualTo(-0.25);
        assertThat(Personalisation.score(7, 5, 5)).isNaN();
        assertThat(Personalisation.score(7, 5, 4)).isNaN();
        // a gap within rounding of the returns' size means nothing
        assertThat(Personalisation.score(1e6, 1e6, 1e6 + 1e-4)).isNaN();
        assertThat(Personalisation.score(0, 0, 2e-9)).isEqualTo(0.0);
        assertThat(Personalisation.format(0.12345)).isEqualTo("0.123");
        assertThat(Personalisation.format(Double.NaN)).isEqualTo("n/a (" + Personalisation.UNDEFINED + ")");
    }

    @Test
    void aPolicySummaryAveragesTheEpisodes() {
        List<EpisodeStats> episodes = List.of(new EpisodeStats(0, 3, 6, 2, 4, 0, 1),
                new EpisodeStats(1, 2, 2, 1, 3, -1, 3));
        PolicySummary s = PolicySummary.of("p", episodes);
        assertThat(s.policy()).isEqualTo("p");
        assertThat(s.episodes()).isEqualTo(2);
        assertThat(s.total()).isEqualTo(4.0);
        assertThat(s.totalStd()).isEqualTo(2.0); // population sd of 6 and 2
        assertThat(s.mean()).isEqualTo(1.5);
        assertThat(s.max()).isEqualTo(3.5);
        assertThat(s.min()).isEqualTo(-0.5);
        assertThat(s.std()).isEqualTo(2.0);
    }

    private static RankingResult result(String model, double... hr) {
        int[] users = new int[hr.length];
        for (int k = 0; k < users.length; k++) {
            users[k] = k;
        }
        return new RankingResult(model, users, List.of("hr@10"), hr, Map.of("coverage@10", 0.5), 1);
    }

    private static OfflineBenchmark.ModelRun run(String name, boolean baseline, RankingResult test) {
        return new OfflineBenchmark.ModelRun(name, "", baseline, Hyperparameters.NONE, List.of(), null, test, null, 0,
                null);
    }

    @Test
    void rankingResultsCompareByContentAndDescribeThemselves() {
        RankingResult a = result("m", 1, 0, 1);
        assertThat(a).isEqualTo(result("m", 1, 0, 1)).hasSameHashCodeAs(result("m", 1, 0, 1));
        assertThat(a).isNotEqualTo(result("m", 1, 0, 0)).isNotEqualTo(result("n", 1, 0, 1)).isNotEqualTo("m");
        assertThat(a.hashCode()).isNotEqualTo(result("n", 1, 0, 1).hashCode())
                .isNotEqualTo(result("m", 1, 1, 1).hashCode());
        assertThat(a.toString()).isEqualTo("RankingResult[m, 3 users, [hr@10]]");
        assertThat(a.userCount()).isEqualTo(3);
        assertThatThrownBy(() -> a.column("ndcg@10")).hasMessage("no metric ndcg@10 (have [hr@10])");
        assertThat(result("m", Double.NaN, 1, 0).mean("hr@10")).isEqualTo(0.5);
        assertThat(result("m", Double.NaN).mean("hr@10")).isNaN();
        OfflineBenchmark.ModelRun withIntervals = new OfflineBenchmark.ModelRun("m", "", true, Hyperparameters.NONE,
                List.of(), null, a, new Estimate[] {new Estimate(2.0 / 3, 0, 1, 3)}, 0, null);
        assertThat(withIntervals.estimate("hr@10").mean()).isEqualTo(2.0 / 3);
        assertThatThrownBy(() -> withIntervals.estimate("mrr@10")).hasMessage("no metric mrr@10");
    }

    @Test
    void replicatesAreTheGivenModelsSharingANameWithATInterval() {
        List<OfflineBenchmark.ModelRun> runs = List.of(
                run("ppo", false, result("ppo", 1, 0)), // 0.5
                run("popular", true, result("popular", 1, 1)),
                run("ppo@b", false, result("ppo@b", 1, 1)), // 1
                run("sasrec", false, result("sasrec", 0, 0)), // alone: no group
                run("ppo@c", false, result("ppo@c", 0, 0)), // 0
                run("ppo@d", false, null), // no test result
                run("popular@x", true, result("popular@x", 0, 1)), // a baseline: never a replicate
                run("gru@1", false, result("gru@1", 1, 0)),
                run("gru@2", false, result("gru@2", 1, 0)));
        List<Replicates.Group> groups = Replicates.of(runs, "hr@10");
        assertThat(groups).extracting(Replicates.Group::name).containsExactly("ppo", "gru");
        Replicates.Group ppo = groups.get(0);
        assertThat(ppo.members()).containsExactly("ppo", "ppo@b", "ppo@c");
        assertThat(ppo.values()).containsExactly(0.5, 1.0, 0.0);
        assertThat(ppo.n()).isEqualTo(3);
        assertThat(ppo.mean()).isEqualTo(0.5);
        // sd of 0.5, 1, 0 is 0.5; t(0.975, 2) = 4.303
        assertThat(ppo.halfWidth()).isCloseTo(4.303 * 0.5 / Math.sqrt(3), within(1e-12));
        assertThat(groups.get(1).halfWidth()).isZero();
        assertThat(Replicates.baseName("a@b@c")).isEqualTo("a");
        assertThat(Replicates.baseName("@x")).isEmpty();
        assertThat(Replicates.baseName("plain")).isEqualTo("plain");
        assertThat(Replicates.t975(1)).isEqualTo(12.706);
        assertThat(Replicates.t975(30)).isEqualTo(2.042);
        assertThat(Replicates.t975(31)).isEqualTo(1.96);
        assertThatThrownBy(() -> Replicates.t975(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSignFlipTestCountsTheFlippedSumsAtLeastAsFarFromZeroAsTheObservedOne() {
        assertThat(PairedComparison.signFlipP(new double[0], 100, 1)).isNaN();
        assertThat(PairedComparison.signFlipP(new double[] {0, 0}, 100, 1)).isEqualTo(1.0);
        // one difference: every flip is as extreme
        assertThat(PairedComparison.signFlipP(new double[] {-2}, 99, 1)).isEqualTo(1.0);
        // 70 differences (two words of sign bits), replayed: flip k's sign is bit k mod 64 of the (k / 64)-th draw
        double[] d = new double[70];
        for (int k = 0; k < d.length; k++) {
            d[k] = 0.3 + ((k * 37) % 11) / 10.0;
        }
        double observed = Arrays.stream(d).sum();
        int flips = 400;
        Rng rng = Rng.stream(9, 43);
        int extreme = 0;
        for (int f = 0; f < flips; f++) {
            long first = rng.nextLong();
            long second = rng.nextLong();
            double s = 0;
            for (int k = 0; k < d.length; k++) {
                long word = k < 64 ? first : second;
                s += ((word >>> (k % 64)) & 1L) == 0 ? d[k] : -d[k];
            }
            if (Math.abs(s) >= observed * (1 - 1e-12)) {
                extreme++;
            }
        }
        assertThat(PairedComparison.signFlipP(d, flips, 9)).isEqualTo((1.0 + extreme) / (1.0 + flips));
        // every difference positive and large: no flip but the identity reaches it
        assertThat(extreme).isLessThan(3);
        // mixed signs: d and −d give the same p
        double[] mixed = {1, -2, 0.5, 3, -1};
        double[] negated = {-1, 2, -0.5, -3, 1};
        double p = PairedComparison.signFlipP(mixed, 500, 4);
        assertThat(PairedComparison.signFlipP(negated, 500, 4)).isEqualTo(p);
        assertThat(p).isGreaterThan(0.3);
    }

    /** The reference: indices with finite or +∞ scores, by score descending, then by tie key ascending. */
    private static int[] reference(float[] scores, int k, int[] tieKey) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > Float.NEGATIVE_INFINITY) {
                idx.add(i);
            }
        }
        idx.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> tieKey[i]));
        return idx.stream().limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void topKAgreesWithAFullSortOnRandomScoresWithTiesAndExcludedItems() {
        Rng rng = new Rng(17);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rng.nextInt(30);
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                int r = rng.nextInt(8);
                scores[i] = r == 0 ? Float.NEGATIVE_INFINITY : r == 1 ? Float.NaN : r == 2 ? Float.POSITIVE_INFINITY
                        : rng.nextInt(4);
            }
            int k = 1 + rng.nextInt(6);
            int[] byIndex = new int[n];
            for (int i = 0; i < n; i++) {
                byIndex[i] = i;
            }
            int[] out = new int[k];
            int m = RankingMetrics.topK(scores, n, k, out);
            assertThat(Arrays.copyOf(out, m)).as("trial %d", trial).containsExactly(reference(scores, k, byIndex));
            int[] tieRank = RankingSetup.randomTieRank(n, trial);
            int[] seeded = new int[k];
            int ms = RankingMetrics.topK(scores, n, k, tieRank, seeded);
            assertThat(Arrays.copyOf(seeded, ms)).as("trial %d, seeded ties", trial)
                    .containsExactly(reference(scores, k, tieRank));
        }
    }

    @Test
    void intraListDiversityIsTheMeanCosineDistanceOverPairs() {
        // items: 0 = (3, 4), 1 = (6, 8) (same direction), 2 = (4, −3) (orthogonal), 3 = (0, 0)
        float[] emb = {3, 4, 6, 8, 4, -3, 0, 0};
        assertThat(RankingMetrics.intraListDiversity(new int[] {0, 1}, 2, emb, 2)).isCloseTo(0.0, within(1e-12));
        assertThat(RankingMetrics.intraListDiversity(new int[] {0, 2}, 2, emb, 2)).isCloseTo(1.0, within(1e-12));
        // (1, 2): 1 − 0 = 1; (0, 1): 0; (0, 2): 1 → 2/3
        assertThat(RankingMetrics.intraListDiversity(new int[] {0, 1, 2}, 3, emb, 2)).isCloseTo(2.0 / 3, within(1e-12));
        // 0 = (3, 4) and (4, 3)·… : with item 3 a zero vector the pair counts as distance 1
        assertThat(RankingMetrics.intraListDiversity(new int[] {3, 0}, 2, emb, 2)).isEqualTo(1.0);
        assertThat(RankingMetrics.intraListDiversity(new int[] {0, 3}, 2, emb, 2)).isEqualTo(1.0);
        assertThat(RankingMetrics.intraListDiversity(new int[] {0, 1}, 1, emb, 2)).isNaN();
        // a 45° pair: 1 − cos 45°
        float[] diagonal = {2, 0, 5, 5};
        assertThat(RankingMetrics.intraListDiversity(new int[] {0, 1}, 2, diagonal, 2))
                .isCloseTo(1 - Math.sqrt(0.5), within(1e-12));
    }

    @Test
    void protocolsByName() {
        for (ProtocolSpec.Kind k : ProtocolSpec.Kind.values()) {
            assertThat(ProtocolSpec.Kind.of(k.id())).isSameAs(k);
        }
        assertThat(ProtocolSpec.Kind.TEMPORAL.id()).isEqualTo("temporal");
        assertThat(ProtocolSpec.Kind.USER_FRACTION.id()).isEqualTo("user-fraction");
        assertThatThrownBy(() -> ProtocolSpec.Kind.of("random")).isInstanceOf(UserInputException.class)
                .hasMessage("protocol must be loo, temporal or user-fraction (got random)");
    }
}
