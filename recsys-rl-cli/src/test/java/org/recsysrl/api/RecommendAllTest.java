package org.recsysrl.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.cli.Cli;

/**
 * {@link Recommender#recommendAll} against {@link Recommender#recommend} one request at a time: the
 * same items, the same score bits, the same errors in the same slots and each answer's own
 * observation, for models whose requests share one pass over the items (the embedding head, with
 * and without item biases and a history encoder) and for one that answers each alone (the logits
 * head).
 */
class RecommendAllTest {
    @TempDir
    static Path dir;

    private static Recommender train(String name, int items, String... settings) {
        List<String> args = new ArrayList<>(List.of("--set", "env.num_items=" + items, "--set", "ppo.n_steps=64",
                "--set", "ppo.batch_size=32"));
        for (String s : settings) {
            args.add("--set");
            args.add(s);
        }
        return Recommender.load(Cli.trainOk("ppo", dir.resolve(name), 128, args.toArray(String[]::new)));
    }

    /** Known users with and without histories, exclusions and candidates, and five bad requests. */
    private static List<RecommendRequest> requests(Recommender model, int count, long seed) {
        Random rnd = new Random(seed);
        int items = model.itemCount();
        List<RecommendRequest> out = new ArrayList<>();
        while (out.size() < count) {
            String user = Integer.toString(rnd.nextInt(model.info().users()));
            List<String> history = List.of(Integer.toString(rnd.nextInt(items)), Integer.toString(rnd.nextInt(items)));
            switch (out.size() % 9) {
                case 0 -> out.add(RecommendRequest.forUser(user, 1 + rnd.nextInt(20)));
                case 1 -> out.add(new RecommendRequest(user, history, null, null, 10));
                case 2 -> out.add(new RecommendRequest(user, history, List.of("0", "1", "2", "0"), null, 7));
                case 3 -> out.add(new RecommendRequest(user, history, null, List.of("5", "3", "9", "4", "5"), 3));
                case 4 -> out.add(RecommendRequest.forUser("no-such-user", 10)); // 404
                case 5 -> out.add(RecommendRequest.forUser(user, 0)); // 400: k
                case 6 -> out.add(new RecommendRequest(user, List.of("no-such-item"), null, null, 5)); // 404: history
                case 7 -> out.add(new RecommendRequest(user, null, null, List.of("1", "no-such-item"), 5)); // 404
                default -> out.add(new RecommendRequest(user, history, List.of(), null, items)); // every item
            }
        }
        return out;
    }

    private static void assertSameAsAlone(Recommender model, List<RecommendRequest> requests) {
        List<Recommender.Answer> together = model.recommendAll(requests);
        assertThat(together).hasSize(requests.size());
        int failed = 0;
        for (int i = 0; i < requests.size(); i++) {
            RecommendRequest request = requests.get(i);
            Recommender.Answer a = together.get(i);
            try {
                List<ScoredItem> alone = model.recommend(request);
                assertThat(a.error()).as(request.toString()).isNull();
                assertThat(a.items()).as(request.toString()).hasSameSizeAs(alone);
                for (int r = 0; r < alone.size(); r++) {
                    assertThat(a.items().get(r).id()).as(request + " rank " + r).isEqualTo(alone.get(r).id());
                    assertThat(Float.floatToRawIntBits(a.items().get(r).score())).as(request + " rank " + r)
                            .isEqualTo(Float.floatToRawIntBits(alone.get(r).score()));
                }
                assertThat(a.observation()).as(request.toString()).containsExactly(model.lastObservation());
            } catch (RequestException e) {
                failed++;
                assertThat(a.items()).as(request.toString()).isNull();
                assertThat(a.error()).as(request.toString()).isNotNull();
                assertThat(a.error().status()).isEqualTo(e.status());
                assertThat(a.error().getMessage()).isEqualTo(e.getMessage());
            }
        }
        // from the fifth request on, a group holds bad requests: they fail in their own slots only
        assertThat(failed).as("failed requests").isEqualTo(expectedFailures(requests.size()));
    }

    /** Requests 4 to 7 of every 9 that {@link #requests} makes are bad. */
    private static int expectedFailures(int count) {
        int failures = 0;
        for (int i = 0; i < count; i++) {
            failures += i % 9 >= 4 && i % 9 <= 7 ? 1 : 0;
        }
        return failures;
    }

    @Test
    void anEmbeddingHeadScoresTogetherWithTheBitsOfEachRequestAlone() {
        // 1,003 items: not a whole number of panels; groups of 2 to 40 requests (more than one pass's rows)
        Recommender model = train("embedding", 1003, "model.actor_head=embedding", "model.item_bias=false");
        assertThat(model.sharedQueryWidth()).isPositive();
        for (int count : new int[] {1, 2, 3, 5, 9, 16, 40}) {
            assertSameAsAlone(model, requests(model, count, count));
        }
    }

    @Test
    void itemBiasesAndAHistoryEncoderKeepTheBits() {
        Recommender biased = train("bias", 300, "model.actor_head=embedding", "model.item_bias=true");
        assertThat(biased.sharedQueryWidth()).isPositive();
        assertSameAsAlone(biased, requests(biased, 18, 5));
        Recommender history = train("history", 300, "model.actor_head=embedding", "model.history_encoder=attention",
                "model.max_seq_len=5", "model.embedding_dim=8");
        assertThat(history.sharedQueryWidth()).isPositive();
        assertSameAsAlone(history, requests(history, 18, 6));
    }

    @Test
    void aHeadWithoutASharedPassAnswersEachAlone() {
        Recommender model = train("logits", 300, "model.actor_head=logits");
        assertThat(model.sharedQueryWidth()).isZero();
        assertSameAsAlone(model, requests(model, 18, 7));
    }
}
