package org.recsysrl.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.report.PlatformSweep;
import org.recsysrl.report.SimulatorSweep;
import org.recsysrl.report.SweepOptions;
import org.recsysrl.report.SweepResult;
import org.recsysrl.report.Sweeps;
import org.recsysrl.spark.sweep.SparkSweep;
import org.recsysrl.spark.sweep.SparkSweepRunner;
import org.recsysrl.train.Sweep;
import org.recsysrl.util.UserInputException;

/**
 * A sweep whose runs are Spark tasks gives the local sweep's results: every run's steps,
 * evaluation reports, learning curve and platform figures equal, and the same files apart from
 * the training seconds.
 */
class SparkSweepTest {
    private static final List<String> TINY = List.of("env.num_items=30", "env.num_users=8", "ppo.n_steps=64",
            "ppo.num_envs=2", "ppo.batch_size=32", "ppo.update_epochs=2", "train.total_timesteps=128");

    @TempDir
    Path dir;

    @Test
    void aSimulatorSweepOnSparkEqualsTheLocalSweep() throws Exception {
        SparkSweep.Request request = new SparkSweep.Request("ppo", "default", TINY, List.of("ppo.lr=0.001;0.01"), 2, 5);
        SweepOptions options = SparkSweep.options(request, 2, line -> { });
        SweepResult local = Sweeps.run(options, Sweep.Runner.threads(2), line -> { });
        List<String> lines = new ArrayList<>();
        SweepResult spark = Sweeps.run(options, new SparkSweepRunner(SharedSpark.get()), lines::add);
        List<Sweep.Outcome> expected = ((SimulatorSweep.Result) local).outcomes();
        List<Sweep.Outcome> actual = ((SimulatorSweep.Result) spark).outcomes();
        assertSameRuns(expected, actual);
        assertThat(actual).hasSize(4);
        assertThat(lines).hasSize(5); // the header, then one line per run
        assertSameFiles(local, spark);
    }

    @Test
    void aPlatformSweepOnSparkEqualsTheLocalSweep() throws Exception {
        List<String> sets = new ArrayList<>(List.of("env.type=education", "ppo.n_steps=32", "ppo.num_envs=2",
                "ppo.batch_size=32", "ppo.update_epochs=1", "train.total_timesteps=64"));
        SparkSweep.Request request = new SparkSweep.Request("a2c", "default", sets, List.of(), 2, 6);
        SweepOptions options = SparkSweep.options(request, 2, line -> { });
        SweepResult local = Sweeps.run(options, Sweep.Runner.threads(1), line -> { });
        SweepResult spark = Sweeps.run(options, new SparkSweepRunner(SharedSpark.get()), line -> { });
        assertSameRuns(((PlatformSweep.Result) local).outcomes(), ((PlatformSweep.Result) spark).outcomes());
        assertThat(((PlatformSweep.Result) spark).outcomes().get(0).platform()).isNotNull();
        assertSameFiles(local, spark);
    }

    @Test
    void theEntryPointWritesTheSweepsFiles() throws Exception {
        SharedSpark.get(); // spark-submit gives the master; here the tests' session does
        Path out = dir.resolve("sweep");
        List<String> args = new ArrayList<>(List.of("sweep", "--out", out.toString(), "--seeds", "1", "--episodes",
                "3", "--grid", "ppo.gamma=0.9;0.99"));
        for (String s : TINY) {
            args.add("--set");
            args.add(s);
        }
        assertThat(SparkMain.run(args.toArray(String[]::new))).isZero();
        List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
        assertThat(runs).hasSize(3);
        assertThat(runs.get(1)).startsWith("\"ppo.gamma=0.9\",ppo,1,128,");
        assertThat(runs.get(2)).startsWith("\"ppo.gamma=0.99\",ppo,1,128,");
        assertThat(out.resolve("summary.csv")).exists();
        assertThat(out.resolve("runs.csv.partial")).doesNotExist();
    }

    @Test
    void mistakesAreOneLineNamingTheInput() {
        assertThatThrownBy(() -> SparkMain.run(new String[] {"sweep", "--out", "x", "--algo", "dqn"}))
                .isInstanceOf(UserInputException.class).hasMessageContaining("dqn");
        assertThatThrownBy(() -> SparkMain.run(new String[] {"sweep", "--out", "x", "--set", "ppo.lr=abc"}))
                .isInstanceOf(UserInputException.class).hasMessageContaining("ppo.lr");
        assertThatThrownBy(() -> SparkMain.run(new String[] {"sweep", "--out", "x", "--seeds", "0"}))
                .isInstanceOf(UserInputException.class).hasMessageContaining("--seeds");
        assertThatThrownBy(() -> SparkMain.run(new String[] {"sweep", "--grid", "ppo.lr=0.1"}))
                .isInstanceOf(UserInputException.class).hasMessageContaining("--out");
    }

    private static void assertSameRuns(List<Sweep.Outcome> expected, List<Sweep.Outcome> actual) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Sweep.Outcome e = expected.get(i);
            Sweep.Outcome a = actual.get(i);
            assertThat(a.job()).isEqualTo(e.job());
            assertThat(a.steps()).isEqualTo(e.steps());
            assertThat(a.argmax()).isEqualTo(e.argmax());
            assertThat(a.sampled()).isEqualTo(e.sampled());
            assertThat(a.platform()).isEqualTo(e.platform());
            assertThat(a.curve()).hasSameSizeAs(e.curve());
            for (int p = 0; p < e.curve().size(); p++) {
                assertThat(Arrays.equals(a.curve().get(p), e.curve().get(p))).as("curve point " + p).isTrue();
            }
        }
    }

    /** The same files, with runs.csv's train_seconds column (the fifth) left out. */
    private static void assertSameFiles(SweepResult local, SweepResult spark) {
        assertThat(spark.files().keySet()).containsExactlyElementsOf(local.files().keySet());
        assertThat(withoutSeconds(spark.files().get("runs.csv"))).isEqualTo(withoutSeconds(local.files().get("runs.csv")));
        assertThat(spark.files().get("curves.csv")).isEqualTo(local.files().get("curves.csv"));
    }

    private static List<String> withoutSeconds(String csv) {
        List<String> rows = new ArrayList<>();
        for (String line : csv.split("\n")) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(4);
            rows.add(String.join(",", cells));
        }
        return rows;
    }
}
