package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JoinCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    @Test
    void joinsByRequestAndItemAndCountsEveryRewardNotJoined() throws Exception {
        Path imp = dir.resolve("imp.jsonl");
        // a rotated part first, then the live file with a torn last line (a crash before any restart)
        Files.writeString(dir.resolve("imp.jsonl.1"),
                "{\"time\":1000,\"request_id\":\"r1\",\"user\":\"u1\",\"items\":[\"a\",\"b\",\"c\"],"
                        + "\"propensities\":[0.5,0.25,1.0],\"slate_propensity\":0.1,\"policy\":\"epsilon=0.1\"}\n");
        Files.writeString(imp, "{\"time\":2000,\"request_id\":\"r2\",\"items\":[\"d\"],\"propensities\":[0.9]}\n"
                + "{\"time\":3000,\"request_id\":\"r3\",\"items\":[\"e\",\"f\"],\"propensities\":[1,1]}\n"
                + "{\"time\":4000,\"request_id\":\"r4\",\"ite");
        Path fb = dir.resolve("feedback.jsonl");
        Files.writeString(fb, String.join("\n",
                "{\"request_id\":\"r1\",\"items\":[\"b\"],\"rewards\":[1],\"time\":1500}",
                "{\"request_id\":\"r1\",\"items\":[\"c\",\"zz\"],\"rewards\":[2.5,1],\"time\":1600}",
                "{\"request_id\":\"r1\",\"items\":[\"b\"],\"rewards\":[7],\"time\":1700}",
                "{\"request_id\":\"nope\",\"items\":[\"a\"],\"rewards\":[1],\"time\":1800}",
                "{\"request_id\":\"r3\",\"items\":[\"f\"],\"rewards\":[1],\"time\":99000}") + "\n");
        Path out = dir.resolve("joined.jsonl");
        Path rejects = dir.resolve("rejects.jsonl");
        Cli.Result r = Cli.run("join", "--impressions", imp.toString(), "--feedback", fb.toString(), "--out",
                out.toString(), "--window-seconds", "60", "--rejects", rejects.toString(), "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode s = JSON.readTree(r.out());
        assertThat(s.get("impressions").asLong()).isEqualTo(3);
        assertThat(s.get("impressions_with_feedback").asLong()).isEqualTo(1);
        assertThat(s.get("torn_lines").asLong()).isEqualTo(1);
        assertThat(s.get("feedback_lines").asLong()).isEqualTo(5);
        assertThat(s.get("rewards_joined").asLong()).isEqualTo(2);
        assertThat(s.get("late").asLong()).isEqualTo(1);
        assertThat(s.get("duplicate").asLong()).isEqualTo(1);
        assertThat(s.get("unknown_request").asLong()).isEqualTo(1);
        assertThat(s.get("unknown_item").asLong()).isEqualTo(1);
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(out)) {
            lines.add(JSON.readTree(l));
        }
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("request_id").asText()).isEqualTo("r1");
        assertThat(lines.get(0).get("rewards").toString()).isEqualTo("[0,1,2.5]");
        assertThat(lines.get(0).get("policy").asText()).isEqualTo("epsilon=0.1");
        assertThat(lines.get(0).get("slate_propensity").asDouble()).isEqualTo(0.1);
        assertThat(lines.get(1).get("rewards").toString()).isEqualTo("[0]");
        assertThat(lines.get(2).get("rewards").toString()).isEqualTo("[0,0]");
        List<String> reasons = new ArrayList<>();
        for (String l : Files.readAllLines(rejects)) {
            reasons.add(JSON.readTree(l).get("reason").asText());
        }
        assertThat(reasons).containsExactly("unknown item", "duplicate", "unknown request", "late");
    }

    @Test
    void aMalformedLineIsRefusedWithItsFileAndLine() throws Exception {
        Path imp = dir.resolve("imp.jsonl");
        Files.writeString(imp, "{\"request_id\":\"r1\",\"items\":[\"a\"],\"propensities\":[1]}\nnot json\n{}\n");
        Path fb = dir.resolve("fb.jsonl");
        Files.writeString(fb, "");
        Cli.Result r = Cli.run("join", "--impressions", imp.toString(), "--feedback", fb.toString(), "--out",
                dir.resolve("o.jsonl").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("imp.jsonl line 2").doesNotContain("Exception");
        assertThat(Files.exists(dir.resolve("o.jsonl"))).isFalse();
    }
}
