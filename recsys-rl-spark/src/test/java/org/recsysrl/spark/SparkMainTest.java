package org.recsysrl.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

/** The spark-submit entry point end to end in the tests' local session: prepare, then baselines with a results file. */
class SparkMainTest {
    @TempDir
    Path dir;

    @Test
    void prepareThenBaselinesWritesTheModelsResultRow() throws Exception {
        SharedSpark.get();
        Path log = LogFixtures.clustered(dir.resolve("log.csv"), 5, 80, 60, 3, 10);
        Path prepared = dir.resolve("prepared");
        assertThat(SparkMain.run(new String[] {"prepare", "--input", log.toString(), "--output", prepared.toString(),
            "--user-core", "2", "--protocol", "loo"})).isZero();
        assertThat(prepared.resolve(PreparedLog.SUMMARY)).exists();
        Path results = dir.resolve("results.tsv");
        assertThat(SparkMain.run(new String[] {"baselines", "--prepared", prepared.toString(), "--models",
            "popular", "--bootstrap", "50", "--results", results.toString()})).isZero();
        List<String> lines = Files.readAllLines(results);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("model\tusers\tfit_s\teval_s\thr@1\t");
        assertThat(lines.get(1)).startsWith("popular\t");
        assertThat(dir.resolve("results.tsv.partial")).doesNotExist();
    }

    @Test
    void mistakesAreOneLineNamingTheOption() {
        SharedSpark.get(); // spark-submit gives the master; here the tests' session does
        assertThatThrownBy(() -> SparkMain.run(new String[] {"prepare", "--input", "x.csv", "--output", "y",
            "--user-cor", "2"})).isInstanceOf(UserInputException.class).hasMessageContaining("--user-cor");
        assertThatThrownBy(() -> SparkMain.run(new String[] {"baselines", "--prepared", dir.toString(), "--models",
            "ease"})).isInstanceOf(UserInputException.class).hasMessageContaining("unknown model ease");
        assertThatThrownBy(() -> SparkMain.run(new String[] {"evaluate", "--prepared", dir.toString(), "--checkpoint",
            "c.safetensors"})).isInstanceOf(UserInputException.class).hasMessageContaining("not a prepared log");
        assertThatThrownBy(() -> SparkMain.run(new String[] {"train"})).isInstanceOf(UserInputException.class)
                .hasMessageContaining("unknown subcommand train");
    }

    @Test
    void aRowWithoutUserStopsTheJobWithOneLineAndExitCodeTwo() throws Exception {
        SharedSpark.get();
        Path log = dir.resolve("holes.csv");
        Files.write(log, List.of("user_id,item_id,timestamp", "u1,i1,1", ",i2,2", "u2,i1,3"));
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = SparkMain.runReporting(new String[] {"prepare", "--input", log.toString(), "--output",
            dir.resolve("out").toString()}, new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        String text = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).startsWith("error: ").contains("holes.csv: a row has an empty user (column user_id)");
        assertThat(text.strip().lines().count()).isEqualTo(1);
    }
}
