package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.ItemCatalog;
import org.recsysrl.env.RecommendationEnv;
import org.recsysrl.env.SimulatorSpec;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.env.UserPopulation;
import org.recsysrl.util.Rng;

class EvalTest {
    private static final double EPS = 1e-6;

    // ------------------------------------------------------------- Personalisation

    @Test
    void personalisationScoreByHand() {
        assertThat(Personalisation.score(5, 2, 8)).isEqualTo(0.5);
        assertThat(Personalisation.score(2, 2, 8)).isEqualTo(0.0);
        assertThat(Personalisation.score(8, 2, 8)).isEqualTo(1.0);
        assertThat(Personalisation.score(0, 2, 8)).isCloseTo(-1.0 / 3.0, within(1e-15));
        assertThat(Personalisation.score(11, 2, 8)).isEqualTo(1.5);
        assertThat(Personalisation.score(-1, -3, 1)).isEqualTo(0.5);
        assertThat(Personalisation.score(3, 4, 4)).isNaN();
    }

    // ------------------------------------------------------------- PolicySummary

    @Test
    void policySummaryByHand() {
        List<EpisodeStats> eps = List.of(
                new EpisodeStats(0, 2, 1.0, 0.5, 0.8, 0.2, 0.3),
                new EpisodeStats(1, 2, 2.0, 1.0, 1.5, 0.5, 0.5),
                new EpisodeStats(2, 2, 6.0, 3.0, 4.0, 2.0, 1.0));
        PolicySummary s = PolicySummary.of("p", eps);
        assertThat(s.policy()).isEqualTo("p");
        assertThat(s.episodes()).isEqualTo(3);
        assertThat(s.total()).isCloseTo(3.0, within(1e-12));
        // totals 1, 2, 6 around 3: squared deviations 4, 1, 9 → population variance 14/3
        assertThat(s.totalStd()).isCloseTo(Math.sqrt(14.0 / 3.0), within(1e-12));
        assertThat(s.mean()).isCloseTo(4.5 / 3, within(1e-12));
        assertThat(s.max()).isCloseTo(6.3 / 3, within(1e-12));
        assertThat(s.min()).isCloseTo(2.7 / 3, within(1e-12));
        assertThat(s.std()).isCloseTo(1.8 / 3, within(1e-12));
    }

    @Test
    void policySummaryOfOneEpisode() {
        PolicySummary s = PolicySummary.of("one", List.of(new EpisodeStats(4, 3, -1.5, -0.5, 0.25, -1.0, 0.4)));
        assertThat(s).isEqualTo(new PolicySummary("one", 1, -1.5, 0.0, -0.5, 0.25, -1.0, 0.4));
    }

    // ------------------------------------------------------------- EpisodeRunner on a hand-built world

    /**
     * Two items e0 = (1, 0), e1 = (0, 1); users p0 = (0.6, 0.8), p1 = (1, 0); three steps.
     */
    private static RecommendationEnv handBuilt(double decay, double drift) {
        SimulatorSpec spec = new SimulatorSpec(2, 2, 2, 2, 3, decay, drift, 0);
        ItemCatalog items = new ItemCatalog(2, 2, new float[] {1f, 0f, 0f, 1f});
        UserPopulation users = new UserPopulation(2, 2, new float[] {0.6f, 0.8f, 1f, 0f});
        return new RecommendationEnv(spec, items, users, new Rng(1));
    }

    /** Plays the given items in turn (then the last one). */
    private static Policy script(int... items) {
        return new Policy() {
            int t;

            @Override
            public void act(float[] obs, int batch, int[] actionsOut) {
                actionsOut[0] = items[Math.min(t++, items.length - 1)];
            }

            @Override
            public String name() {
                return "script";
            }
        };
    }

    @Test
    void episodeStatsOfDecayingRewards() {
        // user 0, item 1 every step, no drift: rewards 0.8, 0.8·0.5, 0.8·0.25
        EpisodeRunner runner = new EpisodeRunner(handBuilt(0.5, 0.0));
        EpisodeStats s = runner.run(script(1), 0);
        assertThat(s.user()).isEqualTo(0);
        assertThat(s.length()).isEqualTo(3);
        assertThat(s.total()).isCloseTo(1.4, within(EPS));
        assertThat(s.mean()).isCloseTo(1.4 / 3, within(EPS));
        assertThat(s.max()).isCloseTo(0.8, within(EPS));
        assertThat(s.min()).isCloseTo(0.2, within(EPS));
        // E[r²] = (0.64 + 0.16 + 0.04) / 3 = 0.28; var = 0.28 - (1.4/3)² = 0.0622…
        assertThat(s.std()).isCloseTo(Math.sqrt(0.28 - (1.4 / 3) * (1.4 / 3)), within(EPS));
    }

    @Test
    void episodeStatsWithInterestDrift() {
        // user 1 = (1, 0), item 0 every step, drift 0.5, no decay: u·e0 = 1, 1.5, 2
        EpisodeStats s = new EpisodeRunner(handBuilt(1.0, 0.5)).run(script(0), 1);
        assertThat(s.total()).isCloseTo(4.5, within(EPS));
        assertThat(s.mean()).isCloseTo(1.5, within(EPS));
        assertThat(s.max()).isCloseTo(2.0, within(EPS));
        assertThat(s.min()).isCloseTo(1.0, within(EPS));
        // deviations -0.5, 0, 0.5: variance 0.5 / 3
        assertThat(s.std()).isCloseTo(Math.sqrt(1.0 / 6.0), within(EPS));
    }

    @Test
    void episodeStatsWithMixedItems() {
        // user 0, items 0, 1, 0 with drift 0.5, decay 1:
        // r1 = 0.6 (u = (1.1, 0.8)); r2 = 0.8 (u = (1.1, 1.3)); r3 = 1.1
        EpisodeStats s = new EpisodeRunner(handBuilt(1.0, 0.5)).run(script(0, 1, 0), 0);
        assertThat(s.total()).isCloseTo(2.5, within(EPS));
        assertThat(s.max()).isCloseTo(1.1, within(EPS));
        assertThat(s.min()).isCloseTo(0.6, within(EPS));
        double mean = 2.5 / 3;
        double var = (0.36 + 0.64 + 1.21) / 3 - mean * mean;
        assertThat(s.mean()).isCloseTo(mean, within(EPS));
        assertThat(s.std()).isCloseTo(Math.sqrt(var), within(EPS));
    }

    @Test
    void runnerStartsEachEpisodeAfresh() {
        EpisodeRunner runner = new EpisodeRunner(handBuilt(0.5, 0.5));
        EpisodeStats first = runner.run(script(1), 0);
        EpisodeStats second = runner.run(script(1), 0);
        assertThat(second).isEqualTo(first);
        assertThat(Comparison.play(runner, script(0), new int[] {1, 0, 1})).extracting(EpisodeStats::user)
                .containsExactly(1, 0, 1);
    }

    @Test
    void drawUsersIsSeededAndInRange() {
        int[] a = Comparison.drawUsers(50, 7, new Rng(5));
        assertThat(a).hasSize(50);
        assertThat(java.util.Arrays.stream(a).min().getAsInt()).isGreaterThanOrEqualTo(0);
        assertThat(java.util.Arrays.stream(a).max().getAsInt()).isLessThanOrEqualTo(6);
        assertThat(Comparison.drawUsers(50, 7, new Rng(5))).isEqualTo(a);
        assertThat(Comparison.drawUsers(50, 7, new Rng(6))).isNotEqualTo(a);
    }

    // ------------------------------------------------------------- Evaluation.compare

    @Test
    void referencePoliciesAreOrderedAndTheOracleScoresOne() {
        SimulatorWorld world = new SimulatorWorld(new SimulatorSpec(50, 10, 32, 32, 20, 0.99, 0.05, 0));
        // evaluate the random policy itself as "the agent": same users, same items drawn
        Policy agent = new org.recsysrl.agent.RandomPolicy(50, Rng.stream(9, 1));
        EvaluationReport r = Evaluation.compare(() -> world.newEnvironment(0), agent, false, 20, 9);
        assertThat(r.summaries()).extracting(PolicySummary::policy)
                .containsExactly(agent.name(), "random", "best-constant", "greedy-oracle");
        assertThat(r.episodes()).hasSize(20);
        double random = r.summary("random").total();
        double constant = r.summary("best-constant").total();
        double oracle = r.summary("greedy-oracle").total();
        assertThat(oracle).isGreaterThan(constant);
        assertThat(constant).isGreaterThan(random);
        // the agent is the same random stream as the reference random policy: identical returns
        assertThat(r.summaries().get(0).total()).isEqualTo(random);
        assertThat(r.personalisation()).isEqualTo(Personalisation.score(random, constant, oracle));
        assertThat(r.personalisation()).isNegative();

        // the oracle evaluated as the agent has P = 1
        RecommendationEnv oracleEnv = world.newEnvironment(0);
        Policy oracle2 = new org.recsysrl.agent.GreedyOraclePolicy(List.of(oracleEnv));
        EvaluationReport o = Evaluation.compare(() -> oracleEnv, oracle2, true, 20, 9);
        assertThat(o.personalisation()).isCloseTo(1.0, within(1e-12));
    }
}
