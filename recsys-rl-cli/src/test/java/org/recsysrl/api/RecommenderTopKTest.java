package org.recsysrl.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.cli.Cli;

/**
 * The fast top-k of {@link Recommender#recommend} (exclusion by −∞ in the request's scores, SIMD
 * selection) against {@link Recommender#ranked}, which sorts every allowed item: the same items,
 * scores and tie order. (The single-row scoring pass is checked bit for bit against training's in
 * {@code InferencePolicyTest}.)
 */
class RecommenderTopKTest {
    @TempDir
    static Path dir;
    static Recommender model;

    @BeforeAll
    static void train() {
        // the embedding head (the simulator's default) over 1,003 items: not a whole number of panels
        Path checkpoint = Cli.trainOk("ppo", dir, 128, "--set", "env.num_items=1003", "--set", "ppo.n_steps=64",
                "--set", "ppo.batch_size=32");
        model = Recommender.load(checkpoint);
    }

    private static void assertSameAsRanked(RecommendRequest request) {
        List<ScoredItem> top = model.recommend(request);
        List<ScoredItem> ranked = model.ranked(request);
        assertThat(top).as(request.toString()).isEqualTo(ranked.subList(0, Math.min(request.k(), ranked.size())));
    }

    @Test
    void recommendIsTheHeadOfTheFullRanking() {
        Random rnd = new Random(7);
        for (int u = 0; u < model.info().users(); u++) {
            String user = Integer.toString(u);
            for (int k : new int[] {1, 10, 64}) {
                assertSameAsRanked(RecommendRequest.forUser(user, k));
                List<String> history = new ArrayList<>();
                for (int h = 0; h < 3; h++) {
                    history.add(Integer.toString(rnd.nextInt(1003)));
                }
                // history excluded by default; an explicit exclude list replaces it
                assertSameAsRanked(new RecommendRequest(user, history, null, null, k));
                List<String> exclude = new ArrayList<>(model.recommend(RecommendRequest.forUser(user, 5)).stream()
                        .map(ScoredItem::id).toList());
                exclude.add(exclude.get(0)); // twice
                assertSameAsRanked(new RecommendRequest(user, history, exclude, null, k));
            }
        }
    }
}
