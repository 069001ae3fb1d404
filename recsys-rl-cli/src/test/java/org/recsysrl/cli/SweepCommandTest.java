package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
    @TempDir
    Path dir;

    private static final List<String> TINY = List.of("--set", "env.num_items=30", "--set", "env.num_users=8",
            "--set", "ppo.n_steps=64", "--set", "ppo.num_envs=2", "--set", "ppo.batch_size=32",
            "--set", "ppo.update_epochs=2", "--total-timesteps", "128", "--episodes", "5", "--seeds", "2");

    private Cli.Result sweep(Path out, String threads) {
        List<String> args = new java.util.ArrayList<>(List.of("sweep", "--grid", "ppo.lr=0.001;0.01", "--threads",
                threads, "--out", out.toString()));
        args.addAll(TINY);
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void writesOneRowPerRunAndTheSameResultsWhateverTheThreadCount() throws Exception {
        Cli.Result one = sweep(dir.resolve("one"), "1");
        Cli.Result two = sweep(dir.resolve("two"), "2");
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(two.exitCode()).as(two.err()).isZero();
        assertThat(one.out()).contains("ppo.lr=0.001").contains("ppo.lr=0.01").contains("P (argmax)");
        List<String> rowsOne = Files.readAllLines(dir.resolve("one/runs.csv"));
        List<String> rowsTwo = Files.readAllLines(dir.resolve("two/runs.csv"));
        assertThat(rowsOne).hasSize(1 + 4); // header + 2 configurations x 2 seeds
        // identical except the wall-clock column (train_seconds, the 5th)
        assertThat(rowsOne.stream().map(SweepCommandTest::withoutSeconds).toList())
                .isEqualTo(rowsTwo.stream().map(SweepCommandTest::withoutSeconds).toList());
        assertThat(Files.readString(dir.resolve("one/curves.svg"))).contains("<polyline");
        assertThat(Files.readAllLines(dir.resolve("one/summary.csv"))).hasSize(3);
    }

    @Test
    void aMalformedGridIsAUserError() {
        Cli.Result r = Cli.run("sweep", "--grid", "ppo.lr", "--out", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --grid ppo.lr");
    }

    /** Issue 27: an empty value list was an IndexOutOfBoundsException, also as a second --grid. */
    @Test
    void anEmptyGridValueIsAUserErrorNamingTheGrid() {
        for (List<String> grids : List.of(List.of("--grid", "ppo.lr=;"), List.of("--grid", "ppo.lr=0.001",
                "--grid", "ppo.gamma=;"), List.of("--grid", "ppo.lr=0.001;;0.01"))) {
            List<String> args = new java.util.ArrayList<>(List.of("sweep", "--out", dir.toString()));
            args.addAll(grids);
            args.addAll(TINY);
            String line = Cli.userError(Cli.run(args.toArray(String[]::new)));
            assertThat(line).as(grids.toString()).contains("--grid " + grids.get(grids.size() - 1)).contains("empty");
        }
        assertThat(dir.resolve("runs.csv")).doesNotExist();
    }

    /** Issue 27: a grid over env.type trained every run, then failed (NullPointerException) before runs.csv. */
    @Test
    void aGridOverEnvironmentTypesIsRefusedBeforeTraining() {
        List<String> args = new java.util.ArrayList<>(List.of("sweep", "--out", dir.toString(), "--grid",
                "env.type=short-video;simulator"));
        args.addAll(TINY);
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        String line = Cli.userError(r);
        assertThat(line).contains("--grid").contains("short-video").contains("simulator").contains("--set env.type");
        assertThat(r.out()).doesNotContain("seed 1:");
    }

    private static String withoutSeconds(String row) {
        String[] f = row.split(",");
        f[4] = "";
        return String.join(",", f);
    }
}
