package org.recsysrl.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.cli.Cli;

/**
 * {@link Recommender#recommend(RecommendRequest, ItemIndex)} against the exact path: with an index
 * that searches every item exactly, the same items as {@link Recommender#recommend(RecommendRequest)}
 * and scores that are the logits, i.e. each log-probability plus one constant (the normaliser); with
 * an index that finds nothing, the exact path's items (a counted fallback), still scored by logits.
 * For the embedding head with and without item biases (the bias is the vectors' last component)
 * and for the logits head; and {@link Int8ItemIndex} gives the brute force's answers to the bit.
 */
class RecommenderIndexTest {
    @TempDir
    static Path dir;

    /** The exact maximum inner product over the logit vectors, honouring {@code allowed}. */
    private static final class BruteForce implements ItemIndex {
        final LogitVectors vectors;
        int searches;

        BruteForce(LogitVectors vectors) {
            this.vectors = vectors;
        }

        @Override
        public int search(float[] query, int count, IntPredicate allowed, int[] out) {
            searches++;
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < vectors.items(); i++) {
                if (allowed.test(i)) {
                    order.add(i);
                }
            }
            // by the logit as the answers carry it, ties to the lower index (the list is in index order)
            order.sort((a, b) -> Float.compare(vectors.logit(query, b), vectors.logit(query, a)));
            int m = Math.min(count, order.size());
            for (int r = 0; r < m; r++) {
                out[r] = order.get(r);
            }
            return m;
        }
    }

    private static Recommender train(String name, String... settings) {
        List<String> args = new ArrayList<>(List.of("--set", "env.num_items=300", "--set", "ppo.n_steps=64",
                "--set", "ppo.batch_size=32"));
        for (String s : settings) {
            args.add("--set");
            args.add(s);
        }
        return Recommender.load(Cli.trainOk("ppo", dir.resolve(name), 128, args.toArray(String[]::new)));
    }

    private static List<RecommendRequest> requests(Recommender model) {
        Random rnd = new Random(3);
        List<RecommendRequest> out = new ArrayList<>();
        for (int u = 0; u < Math.min(20, model.info().users()); u++) {
            List<String> history = List.of(Integer.toString(rnd.nextInt(300)), Integer.toString(rnd.nextInt(300)));
            out.add(RecommendRequest.forUser(Integer.toString(u), 10));
            out.add(new RecommendRequest(Integer.toString(u), history, null, null, 7));
            out.add(new RecommendRequest(Integer.toString(u), history, List.of("0", "1", "2"), null, 10));
        }
        return out;
    }

    /** Same items in the same order; every score is the exact log-probability plus one constant. */
    private static void assertLogitsOfTheExactAnswer(Recommender model, RecommendRequest r, List<ScoredItem> got) {
        List<ScoredItem> exact = model.recommend(r);
        assertThat(got).extracting(ScoredItem::id).as(r.toString()).isEqualTo(exact.stream().map(ScoredItem::id)
                .toList());
        double normaliser = got.get(0).score() - exact.get(0).score();
        assertThat(Math.abs(normaliser)).as("logit − log-probability of the first item").isGreaterThan(1e-3);
        for (int i = 0; i < got.size(); i++) {
            assertThat((double) got.get(i).score() - exact.get(i).score()).as(r + " item " + i)
                    .isCloseTo(normaliser, within(2e-4 * Math.max(1, Math.abs(normaliser))));
        }
    }

    private static void checkHead(Recommender model, int dimension) {
        LogitVectors vectors = model.logitVectors();
        assertThat(vectors).isNotNull();
        assertThat(vectors.dimension()).isEqualTo(dimension);
        assertThat(vectors.items()).isEqualTo(300);
        BruteForce index = new BruteForce(vectors);
        Int8ItemIndex int8 = Int8ItemIndex.of(vectors);
        for (RecommendRequest r : requests(model)) {
            List<ScoredItem> exact = model.recommend(r, index);
            assertLogitsOfTheExactAnswer(model, r, exact);
            // the int8 index: the brute force's items, order and logit bits
            assertThat(model.recommend(r, int8)).as(r.toString()).isEqualTo(exact);
        }
        assertThat(index.searches).isEqualTo(requests(model).size());
        assertThat(model.indexFallbacks()).isZero();
    }

    @Test
    void embeddingHeadWithoutBias() {
        checkHead(train("plain", "model.actor_head=embedding", "model.item_bias=false", "env.item_feature_dim=12", "env.user_feature_dim=12",
                "env.state_dim=24"), 12);
    }

    @Test
    void embeddingHeadWithItemBiasIsOneMoreDimension() {
        checkHead(train("bias", "model.actor_head=embedding", "model.item_bias=true", "env.item_feature_dim=12", "env.user_feature_dim=12",
                "env.state_dim=24"), 13);
    }

    @Test
    void logitsHeadIsTheFeaturesAndOne() {
        // the tiny runs' actor has one hidden layer of 16 units: 16 features and the bias
        checkHead(train("logits", "model.actor_head=logits"), 17);
    }

    @Test
    void anIndexThatFindsTooFewFallsBackToTheExactPath() {
        Recommender model = train("fallback", "model.actor_head=embedding");
        ItemIndex empty = (query, count, allowed, out) -> 0;
        List<RecommendRequest> asked = requests(model);
        for (RecommendRequest r : asked) {
            assertLogitsOfTheExactAnswer(model, r, model.recommend(r, empty));
        }
        assertThat(model.indexFallbacks()).isEqualTo(asked.size());
        // candidates take the exact path without asking the index (and are not counted as fallbacks)
        ItemIndex never = (query, count, allowed, out) -> {
            throw new AssertionError("the index was asked");
        };
        RecommendRequest withCandidates = new RecommendRequest("1", List.of(), null, List.of("5", "9", "40"), 2);
        assertLogitsOfTheExactAnswer(model, withCandidates, model.recommend(withCandidates, never));
        assertThat(model.indexFallbacks()).isEqualTo(asked.size());
        // no index: the exact path itself, log-probabilities
        RecommendRequest plain = RecommendRequest.forUser("2", 5);
        assertThat(model.recommend(plain, null)).isEqualTo(model.recommend(plain));
    }

    @Test
    void excludedItemsAreNeverOfferedToTheIndexAsAllowed() {
        Recommender model = train("excluded");
        List<String> history = List.of("4", "8");
        RecommendRequest r = new RecommendRequest("3", history, List.of("15"), null, 10);
        List<Integer> refused = new ArrayList<>();
        ItemIndex probe = (query, count, allowed, out) -> {
            for (int i = 0; i < 300; i++) {
                if (!allowed.test(i)) {
                    refused.add(i);
                }
            }
            return 0;
        };
        model.recommend(r, probe);
        assertThat(refused).containsExactly(15); // an explicit exclude replaces the history's, as in recommend
        refused.clear();
        model.recommend(new RecommendRequest("3", history, null, null, 10), probe);
        assertThat(refused).containsExactly(4, 8);
    }
}
