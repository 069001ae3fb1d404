package org.recsysrl.env.platform.socialfeed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.platform.socialfeed.SocialFeedCatalog;
import org.recsysrl.env.platform.socialfeed.SocialFeedEnv;
import org.recsysrl.env.platform.socialfeed.SocialFeedResponse;
import org.recsysrl.env.platform.socialfeed.SocialFeedSpec;
import org.recsysrl.eval.Comparison;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.util.Rng;

class SocialFeedReferencesTest {
    private static final SocialFeedCatalog CATALOG = new SocialFeedCatalog(SocialFeedSpec.withSeed(0));

    @Test
    void theMyopicOracleTakesTheMostExpectedRewardAtTheObservedState() {
        SocialFeedSpec spec = CATALOG.spec();
        SocialFeedEnv env = new SocialFeedEnv(CATALOG, 1);
        float[] obs = new float[spec.observationSize()];
        env.reset(11, obs, 0);
        obs[spec.types() + SocialFeedSpec.CREATORS] = 1.5f; // tired of creators
        int[] action = new int[1];
        SocialFeedReferences.myopicOracle(CATALOG).act(obs, 1, action);
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < spec.items(); i++) {
            int c = spec.type(i);
            double v = SocialFeedResponse.expectedReward(CATALOG, i, obs[c], obs[spec.types() + c], obs[2 * spec.types()]);
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        assertThat(action[0]).isEqualTo(best);
    }

    /**
     * The design guard of the target: what a post does to the user's return must matter.
     * A policy that weighs it beats the myopic oracle's long-term return by far more than 10 %,
     * shows no ads, and keeps users for more sessions; the oracle still beats random.
     */
    @Test
    void planningForTheReturnBeatsTheMyopicOracleByMoreThanTenPercent() {
        int[] users = Comparison.drawUsers(200, CATALOG.spec().users(), new Rng(3));
        List<PlatformComparison.Row> rows = PlatformComparison.run(s -> new SocialFeedEnv(CATALOG, s),
                List.<Policy>of(SocialFeedReferences.myopicOracle(CATALOG), SocialFeedReferences.retentionAware(CATALOG),
                        SocialFeedReferences.random(CATALOG.spec(), new Rng(4))), users, 77, SocialFeedReferences.FIGURES);
        PlatformComparison.Row myopic = rows.get(0);
        PlatformComparison.Row planner = rows.get(1);
        PlatformComparison.Row random = rows.get(2);
        assertThat(planner.episodeReturn().low()).isGreaterThan(1.1 * myopic.episodeReturn().high());
        assertThat(planner.figures().get(0).mean()).isGreaterThan(myopic.figures().get(0).mean() + 0.5);
        assertThat(myopic.figures().get(2).mean()).as("the oracle shows ads").isGreaterThan(0.5);
        assertThat(myopic.episodeReturn().mean()).isGreaterThan(random.episodeReturn().mean());
    }
}
