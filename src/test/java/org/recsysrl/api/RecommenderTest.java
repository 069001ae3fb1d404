package org.recsysrl.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.cli.Cli;
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
