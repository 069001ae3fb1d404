package org.recsysrl.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.cli.Cli;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.recommend.History;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.seq.SequenceRecommender;
import org.recsysrl.workload.LogData;
import org.recsysrl.train.LogTraining;
import org.recsysrl.util.UserInputException;

/** The library facade on a sequence model trained on a small log. */
class RecommenderTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static Path log;

    @BeforeAll
    static void train() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int u = 0; u < 40; u++) {
            sb.append("user").append(u);
            for (int t = 0; t < 6; t++) {
                sb.append(" item").append((u + t) % 15);
            }
            sb.append('\n');
        }
        log = dir.resolve("seq.txt");
        Files.writeString(log, sb.toString());
        Cli.Result r = Cli.run("train", "--env", "logs", "--data", log.toString(), "--no-progress", "--set",
                "model.encoder=last-item", "--set", "model.embedding_dim=8", "--set", "seq.epochs=5", "--set",
                "seq.lr=0.05", "--log-dir", dir.resolve("logs").toString(), "--checkpoint-dir", dir.resolve("ck").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        checkpoint = dir.resolve("ck").resolve("supervised.safetensors");
    }

    @Test
    void guestsKnownUsersCandidatesAndExclusions() {
        Recommender m = Recommender.load(checkpoint);
        assertThat(m.info().kind()).isEqualTo("logs");
        assertThat(m.itemCount()).isEqualTo(15);
        assertThat(m.hasUser("user3")).isTrue();
        assertThat(m.hasItem("item14")).isTrue();
        // a guest session: its items are excluded; ids are the log's own
        List<ScoredItem> guest = m.recommend(RecommendRequest.forHistory(List.of("item3", "item4"), 5));
        assertThat(guest).hasSize(5).extracting(ScoredItem::id).doesNotContain("item3", "item4")
                .allMatch(id -> id.startsWith("item"));
        for (int i = 1; i < guest.size(); i++) {
            assertThat(guest.get(i).score()).isLessThanOrEqualTo(guest.get(i - 1).score());
        }
        // the model learned item i → item i+1
        assertThat(guest.get(0).id()).isEqualTo("item5");
        // a known user: their history is the log's (item3..item8 for user3), excluded by default
        List<ScoredItem> known = m.recommend(RecommendRequest.forUser("user3", 3));
        assertThat(known).extracting(ScoredItem::id).doesNotContain("item3", "item4", "item5", "item6", "item7", "item8");
        // an explicit (empty) exclude list lets history items through; candidates restrict
        List<ScoredItem> only = m.recommend(RecommendRequest.forHistory(List.of("item3", "item4"), 3)
                .withExclude(List.of()).withCandidates(List.of("item4", "item5", "item9")));
        assertThat(only).extracting(ScoredItem::id).containsExactlyInAnyOrder("item4", "item5", "item9");
        assertThat(only.get(0).id()).isEqualTo("item5");
        // fewer than k allowed items: fewer returned
        assertThat(m.recommend(RecommendRequest.forHistory(List.of(), 3).withCandidates(List.of("item1")))).hasSize(1);
    }

    @Test
    void servesTheStoredMarkovMixtureOverTheWholeLog() throws Exception {
        Path ck = dir.resolve("ck-mix");
        Cli.Result r = Cli.run("train", "--env", "logs", "--data", log.toString(), "--no-progress", "--set",
                "model.encoder=last-item", "--set", "model.embedding_dim=8", "--set", "seq.epochs=2", "--set",
                "seq.markov_mix=0.3", "--log-dir", dir.resolve("logs-mix").toString(), "--checkpoint-dir", ck.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path file = ck.resolve("supervised.safetensors");
        Checkpoint.Loaded loaded = Checkpoint.read(file);
        assertThat(loaded.info().extra()).containsEntry(LogTraining.MARKOV_MIX, "0.3");
        // by hand: the network's softmax and the log's transition shares after item4, mixed 0.7 : 0.3
        RunConfig base = RunConfig.original().withData(RunConfig.original().data().withPath(log.toString()));
        RunConfig cfg = ConfigJson.merge(base, loaded.info().configJson(), "test");
        InteractionLog data = LogData.load(cfg.data(), cfg.eval()).log();
        SequenceModel model = LogTraining.load(loaded, cfg, data.itemCount());
        int[] history = {data.itemIds().index("item3"), data.itemIds().index("item4")};
        float[] logits = new float[15];
        new SequenceRecommender(model).newScorer().score(History.of(history), logits);
        double z = 0;
        for (float v : logits) {
            z += Math.exp(v);
        }
        // first-order transitions out of item4 in the whole log (serving counts every logged pair)
        double[] followers = new double[15];
        for (int u = 0; u < data.userCount(); u++) {
            for (int p = data.start(u) + 1; p < data.end(u); p++) {
                if (data.items()[p - 1] == history[1]) {
                    followers[data.items()[p]]++;
                }
            }
        }
        double out = java.util.Arrays.stream(followers).sum();
        assertThat(out).isPositive();
        List<ScoredItem> served = Recommender.load(file).recommend(
                RecommendRequest.forHistory(List.of("item3", "item4"), 15).withExclude(List.of()));
        assertThat(served).hasSize(15);
        for (ScoredItem item : served) {
            int i = data.itemIds().index(item.id());
            double pop = (double) data.itemCounts()[i] / data.totalCount();
            double q = (followers[i] / out + LogTraining.TRANSITION_BACKOFF * pop) / (1 + LogTraining.TRANSITION_BACKOFF);
            double expected = Math.log(0.7 * Math.exp(logits[i]) / z + 0.3 * q);
            assertThat((double) item.score()).as(item.id()).isCloseTo(expected, within(1e-4));
        }
    }

    @Test
    void similarItemsComeFromTheItemEmbeddings() {
        Recommender m = Recommender.load(checkpoint);
        List<ScoredItem> similar = m.similar("item3", 4);
        assertThat(similar).hasSize(4).extracting(ScoredItem::id).doesNotContain("item3");
        for (int i = 0; i < similar.size(); i++) {
            assertThat(similar.get(i).score()).isBetween(-1.0001f, 1.0001f);
            if (i > 0) {
                assertThat(similar.get(i).score()).isLessThanOrEqualTo(similar.get(i - 1).score());
            }
        }
        // symmetric: the cosine of item3 and its nearest is the same both ways
        ScoredItem nearest = similar.get(0);
        assertThat(m.similar(nearest.id(), 14)).filteredOn(s -> s.id().equals("item3")).singleElement()
                .extracting(ScoredItem::score).isEqualTo(nearest.score());
        assertThatThrownBy(() -> m.similar("nope", 3)).isInstanceOf(RequestException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> m.similar("item3", 15)).isInstanceOf(RequestException.class).hasMessageContaining("k");
    }

    @Test
    void badRequestsNameTheProblem() {
        Recommender m = Recommender.load(checkpoint);
        assertThatThrownBy(() -> m.recommend(RecommendRequest.forUser("nobody", 3)))
                .isInstanceOf(RequestException.class).hasMessageContaining("unknown user nobody")
                .matches(e -> ((RequestException) e).status() == 404);
        assertThatThrownBy(() -> m.recommend(RecommendRequest.forHistory(List.of("item99"), 3)))
                .hasMessageContaining("unknown item item99");
        assertThatThrownBy(() -> m.recommend(RecommendRequest.forHistory(List.of(), 0))).hasMessageContaining("k must");
        assertThatThrownBy(() -> m.recommend(RecommendRequest.forHistory(List.of(), 16))).hasMessageContaining("k must");
        assertThatThrownBy(() -> Recommender.load(dir.resolve("missing.safetensors")))
                .isInstanceOf(UserInputException.class);
        assertThatThrownBy(() -> Recommender.load(checkpoint, dir.resolve("other.txt")))
                .isInstanceOf(UserInputException.class);
    }
}
