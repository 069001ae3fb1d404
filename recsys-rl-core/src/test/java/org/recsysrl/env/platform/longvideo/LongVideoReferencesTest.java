package org.recsysrl.env.platform.longvideo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.platform.longvideo.LongVideoCatalog;
import org.recsysrl.env.platform.longvideo.LongVideoEnv;
import org.recsysrl.env.platform.longvideo.LongVideoSpec;
import org.recsysrl.eval.Comparison;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.util.Rng;

class LongVideoReferencesTest {
    private static final LongVideoCatalog CATALOG = new LongVideoCatalog(LongVideoSpec.withSeed(0));

    /**
     * The design guard: finishing what is started must pay over the evenings. The completion-aware
     * policy beats the myopic oracle's mean long-term return by more than 10 % on 300 users, with
     * a higher mean completion and more evenings; the oracle beats random.
     */
    @Test
    void finishingVideosBeatsTheMyopicOracleByMoreThanTenPercent() {
        int[] users = Comparison.drawUsers(300, CATALOG.spec().users(), new Rng(3));
        List<PlatformComparison.Row> rows = PlatformComparison.run(s -> new LongVideoEnv(CATALOG, s),
                List.<Policy>of(LongVideoReferences.myopicOracle(CATALOG), LongVideoReferences.completionAware(CATALOG),
                        LongVideoReferences.random(CATALOG.spec(), new Rng(4))), users, 77, LongVideoReferences.FIGURES);
        PlatformComparison.Row myopic = rows.get(0);
        PlatformComparison.Row planner = rows.get(1);
        PlatformComparison.Row random = rows.get(2);
        assertThat(planner.episodeReturn().mean()).isGreaterThan(1.1 * myopic.episodeReturn().mean());
        assertThat(planner.episodeReturn().low()).isGreaterThan(myopic.episodeReturn().mean());
        assertThat(planner.figures().get(2).mean()).isGreaterThan(myopic.figures().get(2).mean());
        assertThat(planner.figures().get(0).mean()).isGreaterThan(myopic.figures().get(0).mean());
        assertThat(myopic.episodeReturn().mean()).isGreaterThan(2 * random.episodeReturn().mean());
    }
}
