package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.baselines.Baselines;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Interactions;
import org.recsysrl.data.SyntheticLog;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.report.ConsoleProgress;
import org.recsysrl.report.PartialResults;
import org.recsysrl.report.StatusOutput;
import org.recsysrl.workload.LogData;
import org.recsysrl.config.RunConfig;
import org.recsysrl.config.ConfigJson;

/** benchmark keeps every finished model when a later one fails: in --out and on the console. */
class PartialResultsTest {
    @TempDir
    Path dir;

    /** A family that runs out of memory when fitted (thrown, not provoked). */
    private static ModelFamily outOfMemory() {
        return new ModelFamily() {
            @Override
            public String name() {
                return "huge";
            }

            @Override
            public String description() {
                return "fails";
            }

            @Override
            public List<Hyperparameters> grid(Interactions train, FitContext context) {
                return List.of(Hyperparameters.NONE);
            }

            @Override
            public Fitter prepare(Interactions train, FitContext context) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
    }

    @Test
    void aLaterFailureLeavesTheFinishedModelsInOutAndOnTheConsole() throws Exception {
        Path file = dir.resolve("log.tsv");
        Files.writeString(file, generated());
        RunConfig cfg = ConfigJson.withOverrides(RunConfig.defaults(), List.of("data.path=" + file));
        LogData data = LogData.load(cfg.data(), cfg.eval());
        OfflineBenchmark.Settings s = LogData.settings(cfg.eval());
        Path out = dir.resolve("out");
        PartialResults partial = new PartialResults(out, data.log());
        List<ModelFamily> families = new ArrayList<>(Baselines.select("popular,markov"));
        families.add(outOfMemory());
        families.add(Baselines.select("item-knn").get(0));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OfflineBenchmark.run(data.split(), families, List.of(), s,
                new ConsoleProgress(new StatusOutput(ps, false), System.nanoTime(), partial)))
                .isInstanceOf(OutOfMemoryError.class);
        partial.printBeforeFailure(ps);

        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("partial").asBoolean()).isTrue();
        assertThat(summary.get("still_to_run").toString()).isEqualTo("[\"huge\",\"item-knn\"]");
        List<String> names = new ArrayList<>();
        summary.get("models").forEach(m -> names.add(m.get("name").asText()));
        assertThat(names).containsExactly("popular", "markov");
        assertThat(Files.readAllLines(out.resolve("test-users-markov.csv"))).hasSize(
                summary.get("test_users").asInt() + 1);
        assertThat(Files.readString(out.resolve("report.txt"))).contains("partial results: 2 models finished, still"
                + " to run: huge, item-knn");
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("the models that finished before the failure (also in "
                + out.resolve("report.txt") + "):").contains("markov ").contains("still to run: huge, item-knn");
        // no temporary files left beside the results
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> !n.contains(".tmp"));
        }
    }

    private static String generated() throws java.io.IOException {
        java.io.StringWriter w = new java.io.StringWriter();
        SyntheticLog.write(SyntheticLog.Settings.of(3_000, 150, 200, 4), w);
        return w.toString();
    }
}
