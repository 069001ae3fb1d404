package org.recsysrl.ope.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.Setup;
import org.recsysrl.workload.Platforms;

/** The on-policy value per impression against the same episodes logged by {@link SimLogger}. */
class GroundTruthPerImpressionTest {
    @Test
    void isTheRewardPerStepOfTheEpisodesTheLoggerWouldPlay() {
        Platform p = Platforms.get("long-video");
        Setup setup = p.setup(0);
        int episodes = 30;
        long seed = 4;
        ExploringPolicy forTruth = new SimPolicies(p, setup, 0, 1).resolve("popular", Exploration.epsilon(0.3), "x");
        ExploringPolicy forLog = new SimPolicies(p, setup, 0, 1).resolve("popular", Exploration.epsilon(0.3), "x");
        GroundTruth.Value v = GroundTruth.perImpression(setup, forTruth, episodes, seed);
        // the logger plays the same episodes: the same environment and draw streams of the seed
        SimLog log = SimLogger.log(setup, forLog, List.of(), episodes, 0, seed, false);
        double total = 0;
        int steps = 0;
        double[] returns = new double[episodes];
        int[] lengths = new int[episodes];
        for (int e = 0; e < episodes; e++) {
            for (SimLog.Step s : log.episodes().get(e).steps()) {
                returns[e] += s.reward();
                lengths[e]++;
            }
            total += returns[e];
            steps += lengths[e];
        }
        double mean = total / steps;
        assertEquals(mean, v.mean(), 1e-12);
        double ss = 0;
        for (int e = 0; e < episodes; e++) {
            ss += Math.pow(returns[e] - mean * lengths[e], 2);
        }
        double se = Math.sqrt(ss / (episodes * (episodes - 1.0))) / ((double) steps / episodes);
        assertEquals(se, v.standardError(), 1e-12);
        assertEquals(episodes, v.samples());
    }
}
