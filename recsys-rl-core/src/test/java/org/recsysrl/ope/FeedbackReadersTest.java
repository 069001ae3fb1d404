package org.recsysrl.ope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.ope.policy.ContextFreePolicy;
import org.recsysrl.ope.policy.Policies;
import org.recsysrl.util.UserInputException;

/** The JSON Lines and CSV readers, the writer, the catalog and the policy tables. */
class FeedbackReadersTest {
    @TempDir
    Path dir;

    private static final String LINE1 = "{\"time\": 1733456789000, \"request_id\": \"r17\", \"user\": \"u3\", \"session\":"
            + " \"s9\", \"step\": 2, \"context\": [0.1, -1.2], \"items\": [\"i5\", \"i9\", \"i2\"], \"propensities\":"
            + " [0.12, 0.05, 0.30], \"slate_propensity\": 0.0018, \"rewards\": [0, 1, 0], \"action_probabilities\":"
            + " {\"i5\": 0.5, \"i7\": 0.5}, \"extra\": \"ignored\"}";
    private static final String LINE2 = "{\"time\": \"2024-12-06T03:46:29Z\", \"items\": [\"i7\"], \"propensities\":"
            + " [1.0], \"reward\": 2.5, \"context\": [0, 0], \"position\": 1}";

    private Path write(String name, String... lines) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    @Test
    void readsEveryFieldOfTheFormatAndWritesItBack() throws Exception {
        Path p = write("log.jsonl", LINE1, "", LINE2);
        LoggedFeedback log = FeedbackJsonl.read(p, null);
        assertThat(log.rows()).isEqualTo(2);
        assertThat(log.time(0)).isEqualTo(1733456789000L);
        assertThat(log.time(1)).isEqualTo(1733456789000L); // 2024-12-06T03:46:29Z in ms
        assertThat(log.requestId(0)).isEqualTo("r17");
        assertThat(log.user(0)).isEqualTo("u3");
        assertThat(log.session(0)).isEqualTo("s9");
        assertThat(log.step(0)).isEqualTo(2);
        assertThat(log.step(1)).isEqualTo(-1);
        assertThat(log.contextOf(0)).containsExactly(0.1, -1.2);
        assertThat(log.slateLength(0)).isEqualTo(3);
        assertThat(log.itemIds().get(log.item(0, 1))).isEqualTo("i9");
        assertThat(log.propensity(0, 2)).isEqualTo(0.30);
        assertThat(log.slatePropensity(0)).isEqualTo(0.0018);
        assertThat(Double.isNaN(log.slatePropensity(1))).isTrue();
        assertThat(log.positionReward(0, 1)).isEqualTo(1.0);
        assertThat(log.reward(0)).isEqualTo(1.0);
        assertThat(log.reward(1)).isEqualTo(2.5);
        assertThat(log.position(1)).isEqualTo(1);
        assertThat(log.numPositions()).isEqualTo(3);
        assertThat(log.loggerProbability(0, log.itemIndex("i7"))).isEqualTo(0.5);
        assertThat(log.loggerProbability(0, log.itemIndex("i9"))).isEqualTo(0.0);
        assertThat(Double.isNaN(log.loggerProbability(1, 0))).isTrue();
        assertThat(log.isOneStep()).isFalse();

        Path out = dir.resolve("copy.jsonl");
        FeedbackJsonl.write(log, out);
        LoggedFeedback again = FeedbackJsonl.read(out, null);
        for (int r = 0; r < 2; r++) {
            Impression a = log.impression(r);
            Impression b = again.impression(r);
            assertThat(b.items()).isEqualTo(a.items());
            assertThat(b.propensities()).containsExactly(a.propensities());
            assertThat(b.reward()).isEqualTo(a.reward());
            assertThat(b.context()).containsExactly(a.context());
            assertThat(b.time()).isEqualTo(a.time());
            assertThat(b.position()).isEqualTo(a.position());
            assertThat(b.actionProbabilities()).isEqualTo(a.actionProbabilities());
            assertThat(b.session()).isEqualTo(a.session());
            assertThat(b.step()).isEqualTo(a.step());
        }
    }

    @Test
    void refusesBadLinesWithFileLineAndFix() throws Exception {
        String ok = "{\"items\": [\"a\"], \"propensities\": [0.5], \"reward\": 1}";
        Object[][] cases = {
            {"{\"items\": [\"a\"], \"reward\": 1}", "missing \"propensities\""},
            {"{\"items\": [\"a\"], \"propensities\": [0], \"reward\": 1}", "not in (0, 1]"},
            {"{\"items\": [\"a\"], \"propensities\": [1.5], \"reward\": 1}", "not in (0, 1]"},
            {"{\"items\": [\"a\", \"b\"], \"propensities\": [0.5], \"reward\": 1}", "give one per position"},
            {"{\"items\": [\"a\"], \"propensities\": [0.5]}", "missing reward"},
            {"{\"items\": [\"a\"], \"propensities\": [0.5], \"reward\": 1, \"rewards\": [0]}", "differs from the sum"},
            {"{\"items\": [\"a\"], \"propensities\": [0.5], \"reward\": 1, \"context\": [1]}", "earlier rows have 0"},
            {"{\"items\": [\"a\"], \"propensities\": [\"x\"], \"reward\": 1}", "not a number"},
            {"{\"items\": [\"a\"], \"propensities\": [0.5], \"reward\": 1, \"action_probabilities\": {\"a\": 0.5}}",
                "sum to 0.5"},
            {"{\"items\": [\"a\"], \"propensities\": [0.5], \"reward\": 1", "not valid JSON"},
            {"[1, 2]", "not a JSON object"},
        };
        for (Object[] c : cases) {
            Path p = write("bad.jsonl", ok, (String) c[0]);
            assertThatThrownBy(() -> FeedbackJsonl.read(p, null)).as((String) c[0])
                    .isInstanceOf(UserInputException.class)
                    .hasMessageStartingWith(p + " line 2: ").hasMessageContaining((String) c[1]);
        }
        Path unknown = write("unknown.jsonl", ok, "{\"items\": [\"zz\"], \"propensities\": [0.5], \"reward\": 1}");
        assertThatThrownBy(() -> FeedbackJsonl.read(unknown, List.of("a", "b")))
                .isInstanceOf(UserInputException.class)
                .hasMessage(unknown + " line 2: item zz is not in the catalog: fix the item id or add the item to the catalog");
        // with the catalog, unseen catalog items count as items
        assertThat(FeedbackJsonl.read(write("ok.jsonl", ok), List.of("a", "b", "c")).numItems()).isEqualTo(3);
        assertThatThrownBy(() -> FeedbackJsonl.read(dir.resolve("nope.jsonl"), null))
                .isInstanceOf(UserInputException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> FeedbackJsonl.read(write("empty.jsonl", ""), null))
                .isInstanceOf(UserInputException.class).hasMessageContaining("has no impressions");
    }

    @Test
    void readsACsvThroughColumnSettings() throws Exception {
        Path p = write("obd.csv", ",timestamp,item_id,position,click,propensity_score,user_feature_0,aff_0,aff_1",
                "0,2019-11-24 00:03:13.442536+00:00,14,3,0,0.029411764705882353,cef3,0.0,1.5",
                "1,2019-11-24 00:03:36.705207+00:00,10,1,1,0.5,\"a,b\",2.0,-1");
        CsvColumns cols = CsvColumns.fromSettings(Map.of("ope.csv.reward", "click", "ope.csv.position", "position",
                "ope.csv.position_base", "1", "ope.csv.context", "aff_*", "ope.csv.time", "timestamp"));
        LoggedFeedback log = FeedbackCsv.read(p, cols, null);
        assertThat(log.rows()).isEqualTo(2);
        assertThat(log.itemIds()).containsExactly("14", "10");
        assertThat(log.position(0)).isEqualTo(2);
        assertThat(log.position(1)).isEqualTo(0);
        assertThat(log.propensity(0, 0)).isEqualTo(0.029411764705882353);
        assertThat(log.reward(1)).isEqualTo(1.0);
        assertThat(log.contextOf(1)).containsExactly(2.0, -1.0);
        assertThat(log.time(1) - log.time(0)).isEqualTo(23_263L);
        assertThat(log.isOneStep()).isTrue();

        assertThatThrownBy(() -> FeedbackCsv.read(p, CsvColumns.fromSettings(Map.of()), null))
                .isInstanceOf(UserInputException.class)
                .hasMessage(p + " has no column reward: set ope.csv.reward to one of its columns");
        assertThatThrownBy(() -> CsvColumns.fromSettings(Map.of("ope.csv.rewrd", "x")))
                .isInstanceOf(UserInputException.class).hasMessageContaining("unknown setting ope.csv.rewrd");
        Path bad = write("bad.csv", "item_id,propensity_score,reward", "a,0.5,1", "b,0,1");
        assertThatThrownBy(() -> FeedbackCsv.read(bad, CsvColumns.fromSettings(Map.of()), null))
                .isInstanceOf(UserInputException.class).hasMessageStartingWith(bad + " line 3: propensity 0.0");
        Path text = write("text.csv", "item_id,propensity_score,reward,f", "a,0.5,1,x");
        assertThatThrownBy(() -> FeedbackCsv.read(text, CsvColumns.fromSettings(Map.of("ope.csv.context", "f")), null))
                .isInstanceOf(UserInputException.class).hasMessageContaining("list only numeric columns");
    }

    @Test
    void policiesFromTablesLogsAndUniform() throws Exception {
        Path t = write("t.csv", "item_id,position,probability", "a,0,0.25", "b,0,0.75", "b,1,1.0");
        ContextFreePolicy table = Policies.table(t, "t");
        LoggedFeedback log = FeedbackJsonl.read(write("l.jsonl",
                "{\"items\": [\"a\", \"b\"], \"propensities\": [0.5, 0.5], \"rewards\": [1, 0]}",
                "{\"items\": [\"b\", \"b\"], \"propensities\": [0.5, 1.0], \"rewards\": [0, 0]}"), null);
        assertThat(table.probability(log, 0, 0, log.itemIndex("b"))).isEqualTo(0.75);
        assertThat(table.probability(log, 0, 1, log.itemIndex("a"))).isEqualTo(0.0);
        ContextFreePolicy emp = Policies.empirical(log, "e");
        assertThat(emp.positionDistribution(0)).isEqualTo(Map.of("a", 0.5, "b", 0.5));
        assertThat(emp.positionDistribution(1)).isEqualTo(Map.of("b", 1.0));
        assertThat(Policies.uniform(log, "u").probability(log, 1, 1, 0)).isEqualTo(0.5);
        Path bad = write("bad.csv", "item_id,position,probability", "a,0,0.25", "b,0,0.5");
        assertThatThrownBy(() -> Policies.table(bad, "b")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("sum to 0.75");
        Path onlyFirst = write("first.csv", "item_id,position,probability", "a,0,1");
        assertThatThrownBy(() -> Policies.table(onlyFirst, "f").checkCompatible(log))
                .isInstanceOf(UserInputException.class).hasMessageContaining("no probabilities for position 1");
    }
}
