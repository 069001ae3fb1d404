package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.Platforms;

/**
 * The command line under hostile flag values (issue 27): for every command, generated bad values
 * of its flags and settings (empty, wrong type, out of range, overflowing, duplicated) must give
 * exit 2 and one line that names the flag or the key. Every value is refused before any training,
 * loading or serving starts, so the whole table takes a few seconds.
 */
class CliFlagFuzzTest {
    @TempDir
    static Path shared;

    static Path checkpoint;
    static Path log;

    @BeforeAll
    static void fixtures() throws IOException {
        checkpoint = Cli.trainOk("ppo", shared, 128);
        log = shared.resolve("log.csv");
        StringBuilder rows = new StringBuilder("user_id,item_id,timestamp\n");
        for (int u = 1; u <= 8; u++) {
            for (int i = 0; i < 5; i++) {
                rows.append(u).append(',').append((u * 7 + i * 3) % 11).append(',').append(i).append('\n');
            }
        }
        Files.writeString(log, rows);
    }

    /** One probe: arguments, and what the error line must name (any one of them: the flag, its key, the path). */
    private record Probe(List<String> args, List<String> names) {
    }

    /** Values that are not integers, or integers that overflow, or are empty. */
    private static final List<String> NOT_INTEGERS = List.of("", "abc", "1.5", "1e3", "99999999999999999999", " ");

    private static void flag(List<Probe> probes, List<String> prefix, String flag, List<String> values,
            String... alsoNamed) {
        for (String v : values) {
            List<String> args = new ArrayList<>(prefix);
            args.add(flag);
            args.add(v);
            List<String> names = new ArrayList<>(List.of(flag));
            names.addAll(Arrays.asList(alsoNamed));
            if (v.contains("/")) {
                names.add(v); // a path: the message names the input itself
            }
            probes.add(new Probe(args, names));
        }
    }

    private static void duplicated(List<Probe> probes, List<String> prefix, String flag, String value) {
        List<String> args = new ArrayList<>(prefix);
        args.addAll(List.of(flag, value, flag, value));
        probes.add(new Probe(args, List.of(flag)));
    }

    /** --set assignments that are malformed, of an unknown key, of the wrong type or out of range. */
    private static void settings(List<Probe> probes, List<String> prefix, String flag) {
        for (String s : List.of("", "ppo.lr", "=1")) {
            List<String> args = new ArrayList<>(prefix);
            args.addAll(List.of(flag, s));
            probes.add(new Probe(args, List.of(flag)));
        }
        for (String s : List.of("ppo.lr=", "ppo.lr=abc", "ppo.lr=-1", "ppo.lr=NaN", "ppo.gamma=2", "ppo.n_steps=0",
                "ppo.n_steps=1.5", "ppo.num_envs=99999999999", "env.num_items=0", "train.seed=x", "nokey.at_all=1",
                "ppo.nokey=1")) {
            List<String> args = new ArrayList<>(prefix);
            args.addAll(List.of(flag, s));
            probes.add(new Probe(args, List.of(s.substring(0, s.indexOf('=')))));
        }
    }

    private static List<Probe> probes(Path dir) {
        List<Probe> p = new ArrayList<>();
        List<String> train = new ArrayList<>(List.of("train", "--checkpoint-dir", dir.resolve("ck").toString(),
                "--log-dir", dir.resolve("logs").toString()));
        train.addAll(Cli.TINY);
        flag(p, train, "--total-timesteps", concat(NOT_INTEGERS, List.of("0", "-5")));
        flag(p, train, "--seed", NOT_INTEGERS);
        flag(p, train, "--algo", List.of("", "dqn", "PPO "));
        flag(p, train, "--env", List.of("", "nope", "short video"), "env.type");
        flag(p, train, "--config", List.of("", dir.resolve("missing.json").toString()));
        duplicated(p, train, "--total-timesteps", "64");
        duplicated(p, train, "--seed", "1");
        settings(p, train, "--set");

        List<String> evaluate = List.of("evaluate", "--checkpoint", checkpoint.toString());
        flag(p, evaluate, "--episodes", concat(NOT_INTEGERS, List.of("0", "-1", "2000000")));
        flag(p, evaluate, "--k", concat(NOT_INTEGERS, List.of("0", "-3")));
        flag(p, evaluate, "--seed", NOT_INTEGERS);
        flag(p, evaluate, "--compare", List.of("", ",", ",,"));
        flag(p, evaluate, "--algo", List.of("", "a2c"));
        flag(p, List.of("evaluate"), "--checkpoint", List.of("", dir.resolve("missing.safetensors").toString()));
        duplicated(p, evaluate, "--episodes", "2");

        List<String> sweep = List.of("sweep", "--out", dir.resolve("sweep").toString(), "--total-timesteps", "64");
        flag(p, sweep, "--seeds", concat(NOT_INTEGERS, List.of("0", "-2")));
        flag(p, sweep, "--episodes", List.of("0", "-1", "x"));
        flag(p, sweep, "--threads", List.of("0", "-1", "x"));
        flag(p, sweep, "--grid", List.of("", "=", "ppo.lr", "ppo.lr=", "ppo.lr=;", ";", "ppo.lr=abc", "nokey=1;2",
                "ppo.gamma=0.9;2"));
        // the grid's own message names the --grid (not a --set) and the key
        flag(p, sweep, "--algo", List.of("", "dqn"));
        duplicated(p, sweep, "--seeds", "1");
        settings(p, sweep, "--set");

        List<String> serve = List.of("serve", "--checkpoint", checkpoint.toString());
        flag(p, serve, "--threads", List.of("100000", "-1", "x", ""));
        flag(p, serve, "--io-threads", List.of("0", "5000"));
        flag(p, serve, "--port", List.of("70000", "-1", "x"));
        flag(p, serve, "--queue", List.of("-1", "2000000"));
        for (String f : List.of("--max-body", "--max-connections", "--header-timeout", "--body-timeout",
                "--idle-timeout", "--sessions", "--session-events", "--session-ttl")) {
            flag(p, serve, f, List.of("0", "-7"));
        }
        flag(p, serve, "--max-header", List.of("10"));
        flag(p, serve, "--max-queue-ms", List.of("-1"));
        flag(p, serve, "--index", List.of("", "bogus", "hnsw:", "hnsw:ef=0", "hnsw:m=x", "hnsw:foo=1", "hnsw:ef",
                "hnsw:ef=99999999"));
        // an index finds a greedy top k: exploring needs every item's probability
        flag(p, List.of("serve", "--checkpoint", checkpoint.toString(), "--explore", "epsilon=0.2"), "--index",
                List.of("hnsw"));

        List<String> benchmark = List.of("benchmark", "--data", log.toString(), "--no-progress");
        flag(p, benchmark, "--k", List.of("0", "-1", "x", ""), "eval.k");
        flag(p, benchmark, "--protocol", List.of("", "nope"), "eval.protocol");
        flag(p, benchmark, "--format", List.of("", "nope"), "data.format");
        flag(p, benchmark, "--models", List.of("", " ", "nope", "ease,ease"));
        flag(p, benchmark, "--threads", List.of("-1", "x"), "eval.threads");
        flag(p, List.of("benchmark"), "--data", List.of("", dir.resolve("missing.csv").toString()));

        flag(p, List.of("plot", dir.resolve("missing.csv").toString()), "--out", List.of("", "x.png"));
        return p;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void everyBadFlagValueIsExit2WithOneLineNamingTheFlag(@TempDir Path dir) {
        List<String> wrong = new ArrayList<>();
        List<Probe> probes = probes(dir);
        for (Probe probe : probes) {
            Cli.Result r = Cli.run(probe.args().toArray(String[]::new));
            String line = r.errLines().isEmpty() ? "" : r.errLines().get(0);
            boolean ok = r.exitCode() == Main.USER_ERROR && r.errLines().size() == 1 && line.startsWith("error: ")
                    && !r.err().contains("\tat ") && !r.err().contains("Exception")
                    && probe.names().stream().anyMatch(line::contains);
            if (!ok) {
                wrong.add(String.join(" ", probe.args().subList(0, 1)) + " … " + probe.args().subList(
                        Math.max(1, probe.args().size() - 2), probe.args().size()) + " → exit " + r.exitCode() + ": "
                        + (r.errLines().isEmpty() ? r.out().lines().findFirst().orElse("") : String.join(" | ",
                        r.errLines())));
            }
        }
        assertThat(wrong).as("%d of %d probes", wrong.size(), probes.size()).isEmpty();
        assertThat(dir.resolve("ck")).doesNotExist(); // nothing trained
    }

    /** Issue 27: one message for six serve flags named neither the flag nor the value. */
    @Test
    void serveNamesTheFlagAndTheValue() {
        String line = Cli.userError(Cli.run("serve", "--checkpoint", checkpoint.toString(), "--threads", "100000"));
        assertThat(line).contains("--threads").contains("100000").doesNotContain("--io-threads");
    }

    /** Issue 27: train --help listed four of the nine environments. */
    @Test
    void trainHelpListsEveryEnvironment() {
        Cli.Result r = Cli.run("train", "--help");
        String help = r.out().replaceAll("\\s+", " ");
        for (String env : concat(List.of("simulator", "movielens", "logs"), Platforms.names())) {
            assertThat(help).as(env).contains(env);
        }
    }

    /** Issue 27: --compare '' said "is a directory" without naming the input. */
    @Test
    void anEmptyComparePathNamesTheFlag(@TempDir Path dir) {
        Cli.Result t = Cli.run("train", "--env", "logs", "--data", log.toString(), "--no-progress",
                "--set", "model.encoder=last-item", "--set", "model.embedding_dim=8", "--set", "seq.epochs=1",
                "--log-dir", dir.resolve("logs").toString(), "--checkpoint-dir", dir.resolve("ck").toString());
        assertThat(t.exitCode()).as(t.toString()).isZero();
        Path onLogs = dir.resolve("ck").resolve("supervised.safetensors");
        for (String empty : List.of("", ",")) {
            String line = Cli.userError(Cli.run("evaluate", "--checkpoint", onLogs.toString(), "--compare", empty));
            assertThat(line).as("--compare '%s'", empty).contains("--compare").doesNotContain("is a directory");
        }
    }

    /** Issue 27: a full disk under plot --out / sweep --out gave an input/output error without the path. */
    @Test
    void aWriteThatFailsMidwayNamesTheFileAndTheFlag(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("runs.csv");
        Files.writeString(target, "old\n");
        try {
            OutputFiles.write(target, out -> {
                out.write(new byte[] {1, 2, 3});
                throw new IOException("No space left on device");
            }, "--out");
            throw new AssertionError("the write did not fail");
        } catch (UserInputException e) {
            assertThat(e.getMessage()).contains(target.toString()).contains("No space left on device")
                    .contains("--out");
        }
        assertThat(Files.readString(target)).isEqualTo("old\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("runs.csv");
        }
        assertThat(Arrays.asList(dir.toFile().list())).hasSize(1);
    }
}
