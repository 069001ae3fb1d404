package org.recsysrl.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.model.LogServing;
import org.recsysrl.nn.QuantizedTopK;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.train.LogTraining;
import org.recsysrl.util.Rng;
import org.recsysrl.workload.LogData;

/**
 * A sequence checkpoint over a catalog of {@link QuantizedTopK#MIN_ITEMS} items or more answers
 * {@link Recommender#recommend} through the int8 table, with the same items and the same score
 * bits as the float scan ({@code -Drecsysrl.topk=float}) for known users, sessions, exclusions,
 * candidates and k from 1 to 200.
 */
class QuantizedRecommendTest {
    private static final int ITEMS = QuantizedTopK.MIN_ITEMS + 37;
    private static final int USERS = 200;

    /** Every item at least once; each user's events mostly walk forward from a random start. */
    private static Path writeLog(Path dir) throws Exception {
        Rng rng = new Rng(29);
        StringBuilder sb = new StringBuilder(ITEMS * 9);
        int next = 0;
        for (int u = 0; u < USERS; u++) {
            sb.append('u').append(u);
            int len = ITEMS / USERS + 1 + rng.nextInt(20);
            for (int t = 0; t < len; t++) {
                int item = next < ITEMS ? next++ : rng.nextInt(ITEMS);
                sb.append(' ').append('i').append(item);
            }
            sb.append('\n');
        }
        Path log = dir.resolve("log.txt");
        Files.writeString(log, sb.toString());
        return log;
    }

    /** A checkpoint of an untrained attention model (random tables), saved as {@code train} saves the network alone. */
    private static Path checkpoint(Path dir) throws Exception {
        Path log = writeLog(dir);
        RunConfig cfg = ConfigJson.withOverrides(RunConfig.defaults(), List.of("env.type=logs", "data.path=" + log,
                "seq.markov_mix=0", "model.encoder=attention", "model.embedding_dim=16", "model.heads=2"));
        LogData data = LogData.load(cfg.data(), cfg.eval());
        SequenceModel model = new SequenceModel(LogTraining.spec(cfg.model().sequence(), data.log().itemCount(), "supervised"));
        model.initialize(new Rng(5));
        Map<String, String> extra = new LinkedHashMap<>(data.log().identity().toMetadata());
        extra.put(LogTraining.BEST_EPOCH, "1");
        extra.put(LogTraining.VALIDATION, "0");
        extra.put(LogTraining.VALIDATION_METRIC, "ndcg@10");
        extra.put(LogTraining.MARKOV_MIX, "0.0");
        Path file = dir.resolve("seq.safetensors");
        Checkpoint.save(file, model.store(), new Checkpoint.Info("supervised", ConfigJson.toPortableJson(cfg), 0, 1,
                extra), LogServing.of(data.log(), false, true).withoutTransitions().tensors());
        return file;
    }

    private static List<RecommendRequest> requests() {
        Rng rng = new Rng(3);
        List<RecommendRequest> out = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            out.add(RecommendRequest.forUser("u" + rng.nextInt(USERS), u % 3 == 0 ? 1 : 10));
        }
        out.add(RecommendRequest.forUser("u7", 200));
        out.add(RecommendRequest.forHistory(List.of(), 10)); // a guest: the output biases alone
        out.add(RecommendRequest.forHistory(List.of("i5", "i6", "i99999"), 25));
        List<String> exclude = new ArrayList<>();
        for (int e = 0; e < 300; e++) {
            exclude.add("i" + rng.nextInt(ITEMS));
        }
        out.add(new RecommendRequest("u3", List.of("i1"), exclude, null, 50));
        out.add(RecommendRequest.forHistory(List.of("i5"), 3).withCandidates(List.of("i1", "i2", "i3", "i4", "i5")));
        return out;
    }

    private static List<String> answers(Recommender m) {
        return org.recsysrl.model.ShippedCheckpointTest.asText(m, requests());
    }

    @Test
    void theInt8TableAnswersAsTheFloatScanToTheBit(@TempDir Path dir) throws Exception {
        Path file = checkpoint(dir);
        Recommender quantized = Recommender.load(file);
        Recommender exact;
        System.setProperty("recsysrl.topk", "float");
        try {
            exact = Recommender.load(file);
        } finally {
            System.clearProperty("recsysrl.topk");
        }
        assertThat(quantized.itemCount()).isEqualTo(ITEMS);
        assertThat(quantized.usesQuantizedTopK()).isTrue();
        assertThat(exact.usesQuantizedTopK()).isFalse();
        List<String> want = answers(exact);
        assertThat(want.get(12).split(" ")).hasSize(200);
        assertThat(answers(quantized)).containsExactlyElementsOf(want);
    }
}
