package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.platform.shortvideo.ShortVideoCatalog;
import org.recsysrl.env.platform.shortvideo.ShortVideoEnv;
import org.recsysrl.env.platform.shortvideo.ShortVideoReferences;
import org.recsysrl.env.platform.shortvideo.ShortVideoSpec;
import org.recsysrl.util.Rng;

class ParallelRolloutTest {
    private static final ShortVideoCatalog CATALOG = new ShortVideoCatalog(ShortVideoSpec.defaults());

    @Test
    void rolloutsPickTheBetterProposalOverAPoorFirstBase() {
        // the first base proposes random items; only the rollouts can tell that the oracle's are better
        Policy random = ShortVideoReferences.random(CATALOG, new Rng(2));
        Policy oracle = ShortVideoReferences.myopicOracle(CATALOG);
        ParallelRollout planner = new ParallelRollout("planner", List.of(random, oracle), new ShortVideoEnv(CATALOG, 0),
                4, 30, 7);
        int[] users = PlatformComparison.users(60, CATALOG.spec().users(), 3);
        List<PlatformComparison.Row> rows = PlatformComparison.run(s -> new ShortVideoEnv(CATALOG, s),
                List.of(planner, ShortVideoReferences.random(CATALOG, new Rng(2))), users, 11, ShortVideoReferences.FIGURES);
        assertThat(rows.get(0).episodeReturn().mean()).isGreaterThan(2 * rows.get(1).episodeReturn().mean());
    }

    @Test
    void actsOnlyWhenBoundToAPlatformEnvironment() {
        ParallelRollout planner = new ParallelRollout("planner", List.of(ShortVideoReferences.myopicOracle(CATALOG)),
                new ShortVideoEnv(CATALOG, 0), 1, 5, 1);
        assertThatThrownBy(() -> planner.act(new float[CATALOG.spec().observationSize()], 1, new int[1]))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ParallelRollout("p", List.of(), new ShortVideoEnv(CATALOG, 0), 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
