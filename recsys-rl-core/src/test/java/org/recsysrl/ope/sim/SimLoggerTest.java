package org.recsysrl.ope.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.ope.FeedbackJsonl;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.sequential.ActionDistribution;
import org.recsysrl.ope.sequential.FittedQEvaluation;
import org.recsysrl.ope.sequential.LoggedTrajectory;
import org.recsysrl.ope.sequential.PerDecisionIs;
import org.recsysrl.ope.sequential.WeightedTrajectory;
import org.recsysrl.setup.Setup;
import org.recsysrl.setup.Platform;
import org.recsysrl.workload.Platforms;
import org.recsysrl.util.UserInputException;

/** Logging a platform environment under a known stochastic policy. */
class SimLoggerTest {
    private static final double TOL = 1e-12;

    @TempDir
    Path dir;

    /** One set of policies per platform for the whole class (the references' bandits warm up once). */
    private static final java.util.Map<String, SimPolicies> POLICIES = new java.util.HashMap<>();

    private static synchronized SimPolicies policies(String env) {
        return POLICIES.computeIfAbsent(env, name -> {
            Platform p = Platforms.get(name);
            return new SimPolicies(p, p.setup(0), 0, 5);
        });
    }

    @Test
    void everyPropensityIsTheEpsilonGreedyProbabilityOfTheShownItem() {
        SimPolicies p = policies("short-video");
        ExploringPolicy logger = p.resolve("myopic", Exploration.epsilon(0.2), "--policy");
        SimLog log = SimLogger.log(p.setup(), logger, List.of(), 4, 0, 11, true);
        assertEquals(4, log.episodes().size());
        int greedy = 0;
        for (SimLog.Episode e : log.episodes()) {
            for (SimLog.Step s : e.steps()) {
                double prop = s.propensities()[0];
                // 200 items: the greedy item 0.8 + 0.2/200, any other 0.2/200
                assertTrue(Math.abs(prop - 0.801) < TOL || Math.abs(prop - 0.001) < TOL, "propensity " + prop);
                assertEquals(prop, s.logger().probability(s.actions()[0]), TOL);
                assertEquals(prop, logger.distribution(s.observation()).probability(s.actions()[0]), TOL);
                greedy += prop > 0.5 ? 1 : 0;
            }
        }
        // about 80 % greedy steps
        double share = (double) greedy / log.rounds();
        assertTrue(share > 0.6 && share < 0.95, "greedy share " + share);
    }

    @Test
    void aSeedGivesTheSameLogAndAnotherSeedAnother() {
        SimPolicies p = policies("e-commerce");
        ExploringPolicy logger = p.resolve("myopic", Exploration.epsilon(0.3), "--policy");
        SimLog a = SimLogger.log(p.setup(), logger, List.of(), 0, 300, 3, true);
        SimLog b = SimLogger.log(p.setup(), logger, List.of(), 0, 300, 3, true);
        SimLog c = SimLogger.log(p.setup(), logger, List.of(), 0, 300, 4, true);
        assertTrue(a.rounds() >= 300);
        assertEquals(actions(a), actions(b));
        assertNotEquals(actions(a), actions(c));
    }

    private static List<Integer> actions(SimLog log) {
        List<Integer> out = new ArrayList<>();
        log.episodes().forEach(e -> e.steps().forEach(s -> out.add(s.actions()[0])));
        return out;
    }

    @Test
    void theWrittenLogReadsBackWithTheSameImpressions() throws Exception {
        SimPolicies p = policies("long-video");
        ExploringPolicy logger = p.resolve("random", Exploration.NONE, "--policy");
        SimLog log = SimLogger.log(p.setup(), logger, List.of(), 3, 0, 1, true);
        Path file = dir.resolve("log.jsonl");
        FeedbackJsonl.write(log.toFeedback("test", 1000, true), file);
        LoggedFeedback back = FeedbackJsonl.read(file, null);
        assertEquals(log.rounds(), back.rows());
        int row = 0;
        for (int e = 0; e < log.episodes().size(); e++) {
            List<SimLog.Step> steps = log.episodes().get(e).steps();
            for (int t = 0; t < steps.size(); t++) {
                SimLog.Step s = steps.get(t);
                assertEquals("e" + e, back.session(row));
                assertEquals(t, back.step(row));
                assertEquals(SimLog.itemId(s.actions()[0]), back.itemIds().get(back.item(row, 0)));
                // uniform over 60 videos
                assertEquals(1.0 / 60, back.propensity(row, 0), TOL);
                assertEquals(s.reward(), back.reward(row), 1e-6);
                assertEquals(s.observation()[1], back.context(row, 1), 1e-6);
                assertTrue(back.hasLoggerDistribution(row));
                assertEquals(1.0 / 60, back.loggerProbability(row, back.item(row, 0)), TOL);
                row++;
            }
        }
        // read back as trajectories, the uniform target's PDIS is the logged episodes' mean discounted return
        double expected = 0;
        for (SimLog.Episode ep : log.episodes()) {
            double discount = 1;
            for (SimLog.Step s : ep.steps()) {
                expected += discount * s.reward();
                discount *= 0.9;
            }
        }
        expected /= log.episodes().size();
        org.recsysrl.ope.sequential.SequentialEstimate pdis = org.recsysrl.ope.sequential.FeedbackTrajectories.of(back)
                .estimate(org.recsysrl.ope.policy.Policies.uniform(back, "uniform"), 0.9, 1.0, 2, 0, 1).get(0);
        assertEquals("pdis", pdis.estimator());
        assertEquals(expected, pdis.value(), 1e-9);
    }

    @Test
    void slatesCarryPerPositionAndWholeSlatePropensities() {
        SimPolicies p = policies("interest-evolution");
        ExploringPolicy logger = p.resolve("myopic", Exploration.epsilon(0.5), "--policy");
        SimLog log = SimLogger.log(p.setup(), logger, List.of(), 3, 0, 2, true);
        assertEquals(3, log.slateSize());
        double uniformSlate = 1.0 / (10 * 9 * 8);
        for (SimLog.Episode e : log.episodes()) {
            for (SimLog.Step s : e.steps()) {
                boolean greedy = Math.abs(s.slatePropensity() - (0.5 + 0.5 * uniformSlate)) < TOL;
                assertTrue(greedy || Math.abs(s.slatePropensity() - 0.5 * uniformSlate) < TOL);
                for (double pk : s.propensities()) {
                    assertTrue(Math.abs(pk - 0.55) < TOL || Math.abs(pk - 0.05) < TOL, "position propensity " + pk);
                }
                if (greedy) {
                    assertArrayEquals(new double[] {0.55, 0.55, 0.55}, s.propensities(), TOL);
                }
            }
        }
        LoggedFeedback f = log.toFeedback("slates", 0, true);
        assertEquals(3, f.maxSlateLength());
        assertTrue(Double.isFinite(f.slatePropensity(0)));
    }

    @Test
    void onPolicyEveryRatioIsOneAndPdisIsTheMeanDiscountedReturn() {
        SimPolicies p = policies("short-video");
        ExploringPolicy logger = p.resolve("myopic", Exploration.epsilon(0.3), "--policy");
        ExploringPolicy same = p.resolve("myopic", Exploration.epsilon(0.3), "--target");
        SimLog log = SimLogger.log(p.setup(), logger, List.of(same), 6, 0, 9, true);
        List<LoggedTrajectory> trajectories = log.trajectories();
        List<ActionDistribution[]> target = log.targetDistributions(0);
        double expected = 0;
        List<WeightedTrajectory> weighed = new ArrayList<>();
        for (int i = 0; i < trajectories.size(); i++) {
            double[] rho = FittedQEvaluation.ratios(trajectories.get(i), target.get(i));
            double discount = 1;
            for (int t = 0; t < rho.length; t++) {
                assertEquals(1.0, rho[t], TOL);
                expected += discount * trajectories.get(i).rewards()[t];
                discount *= 0.9;
            }
            weighed.add(new WeightedTrajectory(trajectories.get(i).rewards(), rho));
        }
        expected /= trajectories.size();
        int[] all = java.util.stream.IntStream.range(0, weighed.size()).toArray();
        assertEquals(expected, new PerDecisionIs().estimate(weighed, all, 0.9), 1e-9);
    }

    @Test
    void namesAndExplorationsAreCheckedWithOneLineMessages() {
        SimPolicies p = policies("short-video");
        UserInputException unknown = assertThrows(UserInputException.class,
                () -> p.resolve("nonesuch", Exploration.NONE, "--policy"));
        assertTrue(unknown.getMessage().contains("budget-aware"), unknown.getMessage());
        UserInputException softmax = assertThrows(UserInputException.class,
                () -> p.resolve("myopic", Exploration.parse("softmax:temperature=1", "--explore"), "--policy"));
        assertTrue(softmax.getMessage().contains("epsilon"), softmax.getMessage());
        assertThrows(UserInputException.class, () -> Exploration.parse("epsilon=1.5", "--explore"));
        assertThrows(UserInputException.class, () -> Exploration.parse("greedy", "--explore"));
        assertEquals(Exploration.epsilon(0.25), Exploration.parse("epsilon=0.25", "--explore"));
        assertEquals("softmax:temperature=2", Exploration.parse("softmax:temperature=2", "--explore").toString());
        Setup s = p.setup();
        assertTrue(p.resolve("random", Exploration.NONE, "--policy").fullSupport());
        ExploringPolicy myopic = p.resolve("myopic", Exploration.NONE, "--policy");
        assertTrue(!myopic.fullSupport());
        assertEquals(s.actionCount(), myopic.distribution(new float[s.observationSize()]).actionCount());
    }
}
