package org.recsysrl.ope.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The multi-step estimators on a two-trajectory log whose every value is worked out by hand. */
class SequentialEstimatorsTest {
    private static final double TOL = 1e-12;
    private static final double GAMMA = 0.5;
    /** A: r = (1, 2), ρ = (2, 0.5), Q̂ = (0.5, 1), V̂ = (0.8, 1.5); B: r = 3, ρ = 0.25, Q̂ = 2, V̂ = 1. */
    private static final List<WeightedTrajectory> LOG = List.of(
            new WeightedTrajectory(new double[] {1, 2}, new double[] {2, 0.5}, new double[] {0.5, 1},
                    new double[] {0.8, 1.5}),
            new WeightedTrajectory(new double[] {3}, new double[] {0.25}, new double[] {2}, new double[] {1}));
    private static final int[] ALL = {0, 1};

    @Test
    void perDecisionIsWeighsEachRewardByTheRatiosUpToItsStep() {
        // A: 2·1 + 0.5·(2·0.5)·2 = 3; B: 0.25·3 = 0.75; mean 1.875
        assertEquals(1.875, new PerDecisionIs().estimate(LOG, ALL, GAMMA), TOL);
    }

    @Test
    void weightedPerDecisionIsNormalisesEveryStepKeepingEndedTrajectoriesInTheNormaliser() {
        // t=0: (2·1 + 0.25·3) / (2 + 0.25) = 11/9; t=1: 0.5 · (1·2) / (1 + 0.25) = 4/5
        assertEquals(91.0 / 45, new WeightedPerDecisionIs().estimate(LOG, ALL, GAMMA), TOL);
    }

    @Test
    void doublyRobustCorrectsTheModelByWeightedErrors() {
        // A: [2·(1−0.5) + 1·0.8] + 0.5·[1·(2−1) + 2·1.5] = 1.8 + 2 = 3.8; B: 0.25·(3−2) + 1 = 1.25
        assertEquals(2.525, new TrajectoryDoublyRobust().estimate(LOG, ALL, GAMMA), TOL);
    }

    @Test
    void weightedDoublyRobustNormalisesTheWeightsOfEveryStep() {
        // t=0: baseline (1·0.8 + 1·1) / 2 = 0.9; weights (2, 0.25), correction (2·0.5 + 0.25·1) / 2.25 = 5/9
        // t=1: baseline 2·1.5 / 2.25 = 4/3 (B ended: no V̂, but its weight stays in the normaliser);
        //      weights (1, 0.25), correction 1·(2 − 1) / 1.25 = 4/5
        // 9/10 + 5/9 + 0.5·(4/3 + 4/5) = 227/90
        assertEquals(227.0 / 90, new WeightedDoublyRobust().estimate(LOG, ALL, GAMMA), TOL);
        // every ratio 1: the weights normalise to 1/n and it is the doubly robust estimate
        List<WeightedTrajectory> onPolicy = List.of(
                new WeightedTrajectory(new double[] {1, 2}, new double[] {1, 1}, new double[] {0.5, 1},
                        new double[] {0.8, 1.5}),
                new WeightedTrajectory(new double[] {3, -1}, new double[] {1, 1}, new double[] {2, 0},
                        new double[] {1, 0.5}));
        assertEquals(new TrajectoryDoublyRobust().estimate(onPolicy, ALL, GAMMA),
                new WeightedDoublyRobust().estimate(onPolicy, ALL, GAMMA), TOL);
    }

    @Test
    void clippedFormsCapEveryCumulativeWeight() {
        // c = 1.5. CPDIS: A min(2, 1.5)·1 + 0.5·min(1, 1.5)·2 = 2.5; B 0.25·3 = 0.75; mean 1.625
        assertEquals(1.625, new ClippedDoublyRobust(1.5, false).estimate(LOG, ALL, GAMMA), TOL);
        // CDR: A [1.5·(1−0.5) + 1·0.8] + 0.5·[1·(2−1) + min(2, 1.5)·1.5] = 1.55 + 1.625 = 3.175;
        //      B 0.25·(3−2) + 1 = 1.25; mean 2.2125
        assertEquals(2.2125, new ClippedDoublyRobust(1.5, true).estimate(LOG, ALL, GAMMA), TOL);
        // c at the largest cumulative weight (2): the unclipped estimators
        assertEquals(new PerDecisionIs().estimate(LOG, ALL, GAMMA),
                new ClippedDoublyRobust(2, false).estimate(LOG, ALL, GAMMA), TOL);
        assertEquals(new TrajectoryDoublyRobust().estimate(LOG, ALL, GAMMA),
                new ClippedDoublyRobust(2, true).estimate(LOG, ALL, GAMMA), TOL);
        assertEquals(List.of("cpdis", "cdr"), SequentialEstimators.clipped(3).stream().map(SequentialEstimator::name)
                .toList());
        assertThrows(IllegalArgumentException.class, () -> new ClippedDoublyRobust(0, true));
    }

    @Test
    void directValueAveragesTheStartValues() {
        assertEquals(0.9, new DirectValue("fqe").estimate(LOG, ALL, GAMMA), TOL);
    }

    @Test
    void bootstrapIndicesRepeatTrajectories() {
        // trajectory B twice: PDIS 0.75, DR 1.25
        assertEquals(0.75, new PerDecisionIs().estimate(LOG, new int[] {1, 1}, GAMMA), TOL);
        assertEquals(1.25, new TrajectoryDoublyRobust().estimate(LOG, new int[] {1, 1}, GAMMA), TOL);
    }

    @Test
    void effectiveSampleSizeAndLargestWeight() {
        // whole-trajectory weights 1 and 0.25: (1.25)² / (1 + 0.0625) = 25/17; largest cumulative 2
        assertEquals(25.0 / 17, SequentialEstimators.effectiveSampleSize(LOG), TOL);
        assertEquals(2.0, SequentialEstimators.largestWeight(LOG), TOL);
    }

    @Test
    void doublyRobustOnPolicyCancelsAnyModel() {
        // ρ = 1 and V̂(s_t) = Q̂(s_t, a_t) (the target took the logged action): Σ γ^t r_t whatever the model
        double[] r = {1, -2, 4};
        double[] v = {10, 7, -3};
        double[] q = v.clone();
        List<WeightedTrajectory> one = List.of(new WeightedTrajectory(r, new double[] {1, 1, 1}, q, v));
        assertEquals(1 - 2 * 0.5 + 4 * 0.25, new TrajectoryDoublyRobust().estimate(one, new int[] {0}, GAMMA), TOL);
    }

    @Test
    void intervalBracketsTheEstimateAndIsReproducible() {
        SequentialEstimate a = SequentialEstimators.estimate(new PerDecisionIs(), LOG, GAMMA, 500, 7);
        SequentialEstimate b = SequentialEstimators.estimate(new PerDecisionIs(), LOG, GAMMA, 500, 7);
        assertEquals(1.875, a.value(), TOL);
        assertEquals(a, b);
        // the resampled means lie between B twice (0.75) and A twice (3)
        assertEquals(0.75, a.low(), TOL);
        assertEquals(3.0, a.high(), TOL);
        assertEquals(2, a.trajectories());
    }

    @Test
    void clusterBootstrapDrawsWholeClusters() {
        // three one-step rounds, the first two one cluster: resamples are {A,A,B}-like multisets of
        // clusters, so the IPS mean is one of (w·r of) {0,1} twice, {0,1} + {2}, {2} twice
        List<WeightedTrajectory> rounds = List.of(new WeightedTrajectory(new double[] {1}, new double[] {1}),
                new WeightedTrajectory(new double[] {3}, new double[] {1}),
                new WeightedTrajectory(new double[] {8}, new double[] {1}));
        SequentialEstimate e = SequentialEstimators.estimate(new PerDecisionIs(), rounds, 0, 400, 3,
                new int[] {0, 0, 1});
        assertEquals(4.0, e.value(), TOL);
        // cluster means: {0,1} twice = 2, mixed = 12/3 = 4, {2} twice = 8: the interval's ends are 2 and 8
        assertEquals(2.0, e.low(), TOL);
        assertEquals(8.0, e.high(), TOL);
        assertThrows(IllegalArgumentException.class, () -> SequentialEstimators.estimate(new PerDecisionIs(), rounds,
                0, 10, 3, new int[] {0, 1}));
    }

    @Test
    void refusesAModelEstimatorWithoutAModel() {
        List<WeightedTrajectory> bare = List.of(new WeightedTrajectory(new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> SequentialEstimators.estimate(new TrajectoryDoublyRobust(), bare, GAMMA, 0, 1));
        assertEquals(1.0, SequentialEstimators.estimate(new PerDecisionIs(), bare, GAMMA, 0, 1).value(), TOL);
    }

    @Test
    void refusesNegativeOrInfiniteRatios() {
        assertThrows(IllegalArgumentException.class,
                () -> new WeightedTrajectory(new double[] {1}, new double[] {-1}));
        assertThrows(IllegalArgumentException.class,
                () -> new WeightedTrajectory(new double[] {1}, new double[] {Double.POSITIVE_INFINITY}));
    }

    @Test
    void oneStepFormsAreTheBanditEstimators() {
        // rounds (r, ρ, r̂(a), Σπ r̂): (1, 2, 0.5, 0.8), (0, 0.5, 0.2, 0.4)
        List<WeightedTrajectory> rounds = List.of(
                new WeightedTrajectory(new double[] {1}, new double[] {2}, new double[] {0.5}, new double[] {0.8}),
                new WeightedTrajectory(new double[] {0}, new double[] {0.5}, new double[] {0.2}, new double[] {0.4}));
        List<SequentialEstimator> e = SequentialEstimators.oneStep();
        assertEquals(List.of("ips", "snips", "dr", "dm"), e.stream().map(SequentialEstimator::name).toList());
        assertEquals((2 * 1 + 0) / 2.0, e.get(0).estimate(rounds, ALL, 0), TOL);
        assertEquals(2.0 / 2.5, e.get(1).estimate(rounds, ALL, 0), TOL);
        assertEquals(((0.8 + 2 * (1 - 0.5)) + (0.4 + 0.5 * (0 - 0.2))) / 2, e.get(2).estimate(rounds, ALL, 0), TOL);
        assertEquals(0.6, e.get(3).estimate(rounds, ALL, 0), TOL);
    }

    @Test
    void actionDistributionMixesUniformAndPointMasses() {
        ActionDistribution d = ActionDistribution.epsilonGreedy(4, 2, 0.2);
        assertEquals(0.05, d.probability(0), TOL);
        assertEquals(0.85, d.probability(2), TOL);
        double[] f = {1, 2, 3, 4};
        // Σ π f = 0.05·(1+2+4) + 0.85·3
        assertEquals(0.05 * 7 + 0.85 * 3, d.expectation(2.5, a -> f[a]), TOL);
        assertEquals(2, d.sample(0.5, n -> 0));
        assertEquals(3, d.sample(0.9, n -> 3));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0.05, 0.05, 0.85, 0.05}, d.toDense(), TOL);
        assertThrows(IllegalArgumentException.class, () -> new ActionDistribution(3, 0.5, new int[] {1},
                new double[] {0.4}));
    }
    @Test
    void pairedDifferenceUsesTheSameResamplesForBothTargets() {
        // second = the first with every ratio at step 0 doubled (later steps 1): PDIS(second) = 2·PDIS(first) on any
        // resample, so the difference's replicates are the first's own, and its interval is the first's to 1e-12
        List<WeightedTrajectory> first = new java.util.ArrayList<>();
        List<WeightedTrajectory> second = new java.util.ArrayList<>();
        org.recsysrl.util.Rng rng = new org.recsysrl.util.Rng(5);
        for (int i = 0; i < 40; i++) {
            double[] rewards = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
            first.add(new WeightedTrajectory(rewards, new double[] {1, 1, 1}));
            second.add(new WeightedTrajectory(rewards, new double[] {2, 1, 1}));
        }
        PerDecisionIs pdis = new PerDecisionIs();
        SequentialEstimate own = SequentialEstimators.estimate(pdis, first, 0.9, 200, 17);
        SequentialEstimate d = SequentialEstimators.difference(pdis, first, second, 0.9, 200, 17);
        org.junit.jupiter.api.Assertions.assertEquals(own.value(), d.value(), 1e-12);
        org.junit.jupiter.api.Assertions.assertEquals(own.low(), d.low(), 1e-12);
        org.junit.jupiter.api.Assertions.assertEquals(own.high(), d.high(), 1e-12);
        // a target against itself: exactly 0, interval [0, 0]
        SequentialEstimate zero = SequentialEstimators.difference(pdis, first, first, 0.9, 50, 1);
        org.junit.jupiter.api.Assertions.assertEquals(0.0, zero.low(), 0.0);
        org.junit.jupiter.api.Assertions.assertEquals(0.0, zero.high(), 0.0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SequentialEstimators.difference(pdis, first, second.subList(0, 3), 0.9, 10, 1));
    }
    @Test
    void adaptiveClipChoosesByEstimatedMseAndIsTheClippedDrAtItsChoice() {
        // 60 one-step trajectories, ratio 1, reward 1 or 0 alternately, Q̂ = V̂ = 0.5; one more with ratio 400 and
        // residual 1 − 0.5: its DR term 0.5 + 400·0.5 = 200.5 dominates the variance, so a finite clip wins
        List<WeightedTrajectory> data = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            data.add(new WeightedTrajectory(new double[] {i % 2}, new double[] {1}, new double[] {0.5},
                    new double[] {0.5}));
        }
        data.add(new WeightedTrajectory(new double[] {1}, new double[] {400}, new double[] {0.5}, new double[] {0.5}));
        int[] all = java.util.stream.IntStream.range(0, data.size()).toArray();
        double c = AdaptiveClippedDoublyRobust.chooseClip(data, all, 0.9);
        assertTrue(c < 400, "clip " + c);
        // the candidates are the largest weights' quantiles (here 1), their maximum (400) and ∞: with c = 1 the
        // outlier's term is 0.5 + 1·0.5 = 1, every other 0.5 ± 0.5
        assertEquals(1.0, c, 0.0);
        AdaptiveClippedDoublyRobust auto = new AdaptiveClippedDoublyRobust();
        assertEquals(new ClippedDoublyRobust(1.0, true).estimate(data, all, 0.9), auto.estimate(data, all, 0.9), 1e-12);
        assertEquals((30 * 1.0 + 30 * 0.0 + 1.0) / 61, auto.estimate(data, all, 0.9), 1e-12);
        // without the outlier every candidate gives DR itself
        int[] first = java.util.stream.IntStream.range(0, 60).toArray();
        assertEquals(new TrajectoryDoublyRobust().estimate(data, first, 0.9), auto.estimate(data, first, 0.9), 1e-12);
    }
}
