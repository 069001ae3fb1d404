package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.ScoredItem;
import org.recsysrl.util.Rng;

/** ope --target checkpoint:FILE[@T]: a trained model judged on logged feedback, against hand-computed IPS. */
class OpeCheckpointTargetTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static final List<String> ITEMS = new ArrayList<>();
    /** (user, item, reward) of every logged row; propensity 1/30 (a uniform logger). */
    static final List<Object[]> ROWS = new ArrayList<>();

    @BeforeAll
    static void trainAModelAndLogUniformTraffic() throws Exception {
        Rng rng = new Rng(5);
        StringBuilder seq = new StringBuilder();
        for (int u = 0; u < 40; u++) {
            seq.append("u").append(u);
            int item = rng.nextInt(30);
            for (int t = 0; t < 8; t++) {
                seq.append(" i").append(item);
                item = rng.nextDouble() < 0.8 ? (item + 1) % 30 : rng.nextInt(30);
            }
            seq.append('\n');
        }
        Path data = dir.resolve("seq.txt");
        Files.writeString(data, seq.toString());
        Cli.Result t = Cli.run("train", "--env", "logs", "--data", data.toString(), "--no-progress", "--set",
                "model.encoder=last-item", "--set", "model.embedding_dim=8", "--set", "seq.epochs=3", "--set",
                "seq.lr=0.02", "--log-dir", dir.resolve("logs").toString(), "--checkpoint-dir",
                dir.resolve("ck").toString());
        assertThat(t.exitCode()).as(t.toString()).isZero();
        checkpoint = dir.resolve("ck").resolve("supervised.safetensors");
        for (int i = 0; i < 30; i++) {
            ITEMS.add("i" + i);
        }
        Rng log = new Rng(9);
        for (int r = 0; r < 600; r++) {
            String user = "u" + log.nextInt(40);
            String item = ITEMS.get(log.nextInt(30));
            ROWS.add(new Object[] {user, item, log.nextDouble() < 0.3 ? 1.0 : 0.0});
        }
    }

    private static Path writeLog(String name, List<Object[]> rows) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Object[] r : rows) {
            sb.append(String.format(Locale.ROOT, "{\"user\": \"%s\", \"items\": [\"%s\"], \"propensities\": [%s],"
                    + " \"reward\": %s}%n", r[0], r[1], 1.0 / 30, r[2]));
        }
        Path file = dir.resolve(name);
        Files.writeString(file, sb.toString());
        return file;
    }

    /** The model's score of every item for {@code user}, nothing excluded. */
    private static double[] scores(Recommender model, String user) {
        double[] s = new double[30];
        for (ScoredItem it : model.recommend(new RecommendRequest(user, null, List.of(), ITEMS, 30))) {
            s[ITEMS.indexOf(it.id())] = it.score();
        }
        return s;
    }

    private static double ips(String target, Path log) throws Exception {
        Cli.Result r = Cli.run("ope", "--log", log.toString(), "--target", target, "--estimators", "ips",
                "--bootstrap", "20", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        return j.get("targets").get(0).get("estimates").get(0).get("value").asDouble();
    }

    @Test
    void greedyAndSoftmaxTargetsMatchHandComputedIps() throws Exception {
        Path log = writeLog("log.jsonl", ROWS);
        Recommender model = Recommender.load(checkpoint);
        double greedy = 0;
        double softmax = 0;
        for (Object[] r : ROWS) {
            double[] s = scores(model, (String) r[0]);
            int logged = ITEMS.indexOf((String) r[1]);
            int best = 0;
            double max = s[0];
            for (int a = 1; a < 30; a++) {
                if (s[a] > max) {
                    best = a;
                    max = s[a];
                }
            }
            double reward = (double) r[2];
            greedy += best == logged ? 30 * reward : 0;
            double z = 0;
            for (double v : s) {
                z += Math.exp((v - max) / 2.0);
            }
            softmax += Math.exp((s[logged] - max) / 2.0) / z * 30 * reward;
        }
        greedy /= ROWS.size();
        softmax /= ROWS.size();
        assertThat(ips("checkpoint:" + checkpoint, log)).isCloseTo(greedy, within(1e-9));
        assertThat(ips("checkpoint:" + checkpoint + "@2", log)).isCloseTo(softmax, within(1e-9));
        assertThat(softmax).isNotCloseTo(greedy, within(1e-6));
    }

    @Test
    void unknownUsersAndCatalogsAreReported() throws Exception {
        List<Object[]> rows = new ArrayList<>(ROWS.subList(0, 10));
        rows.add(new Object[] {"stranger", "i3", 1.0});
        Cli.Result r = Cli.run("ope", "--log", writeLog("stranger.jsonl", rows).toString(), "--target",
                "checkpoint:" + checkpoint + "@1", "--estimators", "ips", "--bootstrap", "20");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        long distinct = rows.stream().map(x -> x[1]).distinct().count();
        assertThat(r.err()).contains("the model knows " + distinct + " of the log's " + distinct + " items")
                .contains("1 of 11 rows name a user it does not know");

        Cli.Result foreign = Cli.run("ope", "--log", writeLog("foreign.jsonl",
                List.<Object[]>of(new Object[] {"u1", "zz", 1.0})).toString(), "--target", "checkpoint:" + checkpoint);
        assertThat(foreign.exitCode()).isEqualTo(2);
        assertThat(foreign.err()).contains("none of the log's 1 item ids is in the checkpoint's catalog");

        Cli.Result badT = Cli.run("ope", "--log", writeLog("t.jsonl", rows).toString(), "--target",
                "checkpoint:" + checkpoint + "@-1");
        assertThat(badT.exitCode()).isEqualTo(2);
        assertThat(badT.err()).contains("temperature after @ must be finite and >= 0");
    }
}
