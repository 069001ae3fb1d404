package org.recsysrl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.ScoredItem;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.io.SafeTensors;
import org.recsysrl.io.Tensor;
import org.recsysrl.train.LogTraining;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/** A checkpoint trained on a log serves alone: moved, with its log deleted, it answers exactly as before. */
public class ShippedCheckpointTest {
    private static final List<String> USERS = List.of("ana", "user-7", "Zoë", "42");

    /** A tiny log with text, numeric and non-ASCII ids, item j mostly followed by j+1. */
    private static Path writeLog(Path dir) throws Exception {
        Rng rng = new Rng(3);
        StringBuilder sb = new StringBuilder();
        for (int u = 0; u < 36; u++) {
            String user = u < USERS.size() ? USERS.get(u) : "u" + u;
            sb.append(user);
            int item = rng.nextInt(12);
            int len = 4 + rng.nextInt(5);
            for (int t = 0; t < len; t++) {
                sb.append(' ').append(item == 5 ? "sku-ü5" : "i" + item);
                item = rng.nextInt(4) == 0 ? rng.nextInt(12) : (item + 1) % 12;
            }
            sb.append('\n');
        }
        Path log = dir.resolve("data").resolve("log.txt");
        Files.createDirectories(log.getParent());
        Files.writeString(log, sb.toString());
        return log;
    }

    private static Path train(Path dir, Path log, String... extra) {
        List<String> sets = new ArrayList<>(List.of("env.type=logs", "data.path=" + log, "model.encoder=last-item",
                "model.embedding_dim=8", "seq.epochs=3", "seq.lr=0.05", "seq.threads=1", "eval.threads=1",
                "train.log_dir=" + dir.resolve("logs"), "train.checkpoint_dir=" + dir.resolve("ck")));
        sets.addAll(List.of(extra));
        RunConfig cfg = ConfigJson.withOverrides(RunConfig.original(), sets);
        LogTraining.run(cfg, "supervised", new PrintStream(OutputStream.nullOutputStream()), false);
        return LogTraining.checkpointPath(cfg, "supervised");
    }

    /** Top-10 for each known user, two sessions, a guest and a candidate list, as text with the scores' bits. */
    private static List<String> answers(Recommender m) {
        List<RecommendRequest> requests = new ArrayList<>();
        for (String u : USERS) {
            requests.add(RecommendRequest.forUser(u, 10));
        }
        requests.add(RecommendRequest.forHistory(List.of("i3", "i4"), 10));
        requests.add(RecommendRequest.forHistory(List.of("sku-ü5"), 10));
        requests.add(new RecommendRequest("ana", List.of("i9"), null, null, 10));
        requests.add(RecommendRequest.forHistory(List.of(), 10).withCandidates(List.of("i1", "i2", "sku-ü5")));
        return asText(m, requests);
    }

    /** Each request's answer as one line of {@code id:scorebits}, so that answers compare byte for byte. */
    public static List<String> asText(Recommender m, List<RecommendRequest> requests) {
        List<String> out = new ArrayList<>();
        for (RecommendRequest r : requests) {
            StringBuilder sb = new StringBuilder();
            for (ScoredItem s : m.recommend(r)) {
                sb.append(s.id()).append(':').append(Integer.toHexString(Float.floatToRawIntBits(s.score()))).append(' ');
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void movedWithItsLogDeletedItServesTheSameTopTen(@TempDir Path dir) throws Exception {
        Path log = writeLog(dir);
        Path checkpoint = train(dir, log); // the default: the blend chosen on validation
        Checkpoint.Loaded stored = Checkpoint.read(checkpoint);
        assertThat(stored.contents().metadata()).containsEntry(Checkpoint.FORMAT_KEY, Checkpoint.FORMAT_SERVING);
        assertThat(stored.info().extra()).containsKey(Blends.BLEND);
        Recommender before = Recommender.load(checkpoint);
        List<String> expected = answers(before);
        assertThat(expected.get(0)).isNotEmpty();

        // a Markov-mixture checkpoint without its serving tensors, as earlier versions wrote it: read with the
        // log, it must answer identically (the stored transitions score exactly as those counted from the log)
        Path mixed = train(dir.resolve("mix"), log, "seq.markov_mix=0.3");
        Checkpoint.Loaded mixedStored = Checkpoint.read(mixed);
        assertThat(Double.parseDouble(mixedStored.info().extra().get(SequenceModels.MARKOV_MIX))).isPositive();
        Path old = dir.resolve("old.safetensors");
        writeWithoutServing(mixedStored, old);
        assertThat(answers(Recommender.load(old))).containsExactlyElementsOf(answers(Recommender.load(mixed)));

        Path elsewhere = dir.resolve("shipped").resolve("model.safetensors");
        Files.createDirectories(elsewhere.getParent());
        Files.move(checkpoint, elsewhere);
        Files.delete(log);
        Recommender after = Recommender.load(elsewhere);
        assertThat(after.itemCount()).isEqualTo(before.itemCount());
        assertThat(after.hasUser("Zoë")).isTrue();
        assertThat(answers(after)).containsExactlyElementsOf(expected);
        // an earlier version's checkpoint still needs its log, and says so
        assertThatThrownBy(() -> Recommender.load(old)).isInstanceOf(UserInputException.class)
                .hasMessageContaining(log.toString()).hasMessageContaining("recsys-rl-checkpoint/1")
                .hasMessageContaining("retrain").hasMessageNotContaining("\n");
    }

    @Test
    void withoutHistoriesUsersComeFromTheLogWhenGiven(@TempDir Path dir) throws Exception {
        Path log = writeLog(dir);
        Path checkpoint = train(dir, log, "seq.checkpoint_histories=false", "seq.markov_mix=0");
        Checkpoint.Loaded stored = Checkpoint.read(checkpoint);
        assertThat(stored.hasServing("item_ids")).isTrue();
        assertThat(stored.hasServing("user_ids")).isFalse();
        assertThat(stored.hasServing("transition_offsets")).as("α = 0 stores no transitions").isFalse();
        Recommender alone = Recommender.load(checkpoint);
        assertThat(alone.hasUser("ana")).isFalse();
        assertThat(alone.info().users()).isZero();
        List<ScoredItem> session = alone.recommend(RecommendRequest.forHistory(List.of("i3"), 5));
        Recommender withLog = Recommender.load(checkpoint, log);
        assertThat(withLog.hasUser("ana")).isTrue();
        assertThat(withLog.recommend(RecommendRequest.forHistory(List.of("i3"), 5))).isEqualTo(session);        assertThatThrownBy(() -> ConfigJson.withOverrides(RunConfig.original(), List.of("seq.checkpoint_histories=maybe")))
                .isInstanceOf(UserInputException.class).hasMessageContaining("seq.checkpoint_histories");
    }

    @Test
    void damagedServingTensorsAreRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path log = writeLog(dir);
        Checkpoint.Loaded stored = Checkpoint.read(train(dir, log));
        Map<String, Tensor> tensors = new LinkedHashMap<>(stored.contents().tensors());
        int[] ends = tensors.get("serving.item_id_ends").toInts();
        ends[0] = ends[ends.length - 1] + 5;
        tensors.put("serving.item_id_ends", Tensor.i32("serving.item_id_ends", new long[] {ends.length}, ends));
        Path bad = dir.resolve("bad.safetensors");
        SafeTensors.write(bad, stored.contents().metadata(), new ArrayList<>(tensors.values()));
        assertThatThrownBy(() -> Recommender.load(bad)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("serving tensors are inconsistent").hasMessageNotContaining("\n");
    }

    private static void writeWithoutServing(Checkpoint.Loaded stored, Path file) throws Exception {
        Map<String, String> metadata = new LinkedHashMap<>(stored.contents().metadata());
        metadata.put(Checkpoint.FORMAT_KEY, Checkpoint.FORMAT);
        List<Tensor> params = new ArrayList<>();
        stored.contents().tensors().forEach((name, t) -> {
            if (!name.startsWith(Checkpoint.SERVING_PREFIX)) {
                params.add(t);
            }
        });
        SafeTensors.write(file, metadata, params);
    }
}
