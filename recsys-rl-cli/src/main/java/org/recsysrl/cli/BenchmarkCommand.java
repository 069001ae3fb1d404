package org.recsysrl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.recsysrl.baselines.Baselines;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.workload.BaselineCache;
import org.recsysrl.workload.LogData;
import org.recsysrl.train.ProgressLine;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recsys-rl benchmark}: reads an interaction log, splits it by a leakage-free protocol,
 * fits and tunes every baseline, ranks the whole catalog for every test user, and prints one table
 * with confidence intervals and paired comparisons.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Offline evaluation on an interaction log: every baseline fitted on the training part, tuned on "
                + "validation, ranked over the full catalog on test, with 95%% bootstrap intervals and paired tests.",
        footer = {"", "Models: all, or a comma-separated list of: random, popular, recent-popular, item-knn, ease, ials,"
                + " markov, mf-rating.", "Reading and protocol settings: data.* and eval.* (recsys-rl train --list-keys);"
                + " see docs/evaluation.md."})
final class BenchmarkCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "interaction log (CSV/TSV with a header, one sequence per line) or MovieLens folder (data.path)")
    String data;

    @Option(names = "--format", description = "auto, movielens, csv, tsv, recbole or sequences (data.format; default auto)")
    String format;

    @Option(names = "--protocol", description = "loo, temporal or user-fraction (eval.protocol; default loo)")
    String protocol;

    @Option(names = "--k", description = "cut-off of the table and of tuning (eval.k; default 10)")
    Integer k;

    @Option(names = "--models", defaultValue = "all", description = "all, or a comma-separated list (default: all)")
    String models;

    @Option(names = "--seed", description = "seed of ties, bootstrap, tests and random models (eval.seed; default 0)")
    Long seed;

    @Option(names = "--threads", description = "threads (eval.threads; default 0 = every core)")
    Integer threads;

    @Option(names = "--config", paramLabel = "FILE.json", description = "JSON file of settings, e.g. {\"data\": {\"user_col\": \"uid\"}}")
    Path config;

    @Option(names = "--set", paramLabel = "group.field=value",
            description = "override one setting (repeatable), e.g. --set data.event_weights=view=1,buy=5")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--json", description = "print the summary as JSON instead of the table")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR",
            description = "also write summary.json, report.txt, tuning.csv and test-users-<model>.csv there")
    Path out;

    @Option(names = "--no-progress", description = "never draw the progress bar")
    boolean noProgress;

    @Option(names = "--no-cache", description = "fit and rank every baseline again instead of taking its stored run")
    boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "where baseline runs are stored (default: beside the data, <data>.recsys-rl-cache)")
    Path cacheDir;

    @Override
    public Integer call() {
        RunConfig cfg = RunConfig.defaults();
        if (config != null) {
            cfg = ConfigJson.load(cfg, config);
        }
        List<String> sets = new ArrayList<>(overrides);
        sets.add("data.path=" + data);
        if (format != null) {
            sets.add("data.format=" + format);
        }
        if (protocol != null) {
            sets.add("eval.protocol=" + protocol);
        }
        if (k != null) {
            sets.add("eval.k=" + k);
        }
        if (seed != null) {
            sets.add("eval.seed=" + seed);
        }
        if (threads != null) {
            sets.add("eval.threads=" + threads);
        }
        cfg = ConfigJson.withOverrides(cfg, sets);
        if (models.isBlank()) {
            throw new UserInputException("--models is empty: give all, or a comma-separated list of "
                    + String.join(", ", Baselines.names()));
        }
        List<ModelFamily> families = Baselines.select(models);
        if (out != null) {
            checkWritable(out);
        }
        long start = System.nanoTime();
        LogData logData = LogData.load(cfg.data(), cfg.eval());
        OfflineBenchmark.Settings settings = LogData.settings(cfg.eval());
        boolean terminal = System.console() != null && !noProgress;
        java.io.PrintStream log = json ? System.err : System.out;
        log.println(String.format(Locale.ROOT, "read %s in %.1f s", BenchmarkOutput.describeData(logData.log()),
                (System.nanoTime() - start) / 1e9));
        log.println(logData.split().describe());
        PartialResults partial = new PartialResults(out, logData.log());
        OfflineBenchmark.Report report;
        try {
            report = OfflineBenchmark.run(logData.split(), families, List.of(), settings,
                    new ConsoleListener(log, terminal, start, partial),
                    runStore(noCache, cacheDir, cfg, logData.log(), log));
        } catch (RuntimeException | OutOfMemoryError e) {
            partial.printBeforeFailure(log);
            throw e;
        }
        String text = BenchmarkOutput.text(logData.log(), report);
        if (json) {
            System.out.println(BenchmarkOutput.toJson(BenchmarkOutput.json(logData.log(), report)));
        } else {
            System.out.println();
            System.out.print(text);
        }
        if (out != null) {
            try {
                BenchmarkOutput.writeFiles(out, logData.log(), report, text);
            } catch (IOException e) {
                throw new UserInputException("cannot write the benchmark files to " + out + " (" + e.getMessage()
                        + "): choose a writable --out directory with free space");
            }
            log.println("wrote " + out.resolve("summary.json") + ", report.txt, tuning.csv and the per-user CSV files");
        }
        return 0;
    }

    /**
     * The store of baseline runs: none with {@code --no-cache}, else files in {@code cacheDir} or
     * beside the data (a line says where; a store that cannot be written only warns).
     */
    static OfflineBenchmark.RunStore runStore(boolean noCache, Path cacheDir, RunConfig cfg,
            org.recsysrl.data.InteractionLog data, java.io.PrintStream log) {
        if (noCache) {
            return OfflineBenchmark.RunStore.NONE;
        }
        java.util.function.Consumer<String> warn = line -> log.println("warning: " + line);
        BaselineCache cache = cacheDir != null
                ? new BaselineCache(cacheDir, data.identity().sha256(), cfg.data(), cfg.eval(),
                        BaselineCache::codeVersion, warn)
                : BaselineCache.beside(Path.of(data.identity().path()), data.identity().sha256(), cfg.data(),
                        cfg.eval(), warn);
        log.println("baseline runs are stored in " + cache.directory() + " (--no-cache fits them again)");
        return cache;
    }

    /** Creates {@code dir} and checks that a file can be written there, before the long run. */
    static void checkWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            throw new UserInputException("--out " + dir + " is not a writable directory (" + e.getMessage()
                    + "): choose another --out");
        }
    }

    /**
     * Keeps the finished models: after each one the files in {@code --out} are rewritten (atomically)
     * with every model so far, and on a failure the finished models' table is printed, so a later
     * failure (an out-of-memory error, a bug, Ctrl-C after the files were written) loses nothing.
     */
    static final class PartialResults {
        private final Path out;
        private final org.recsysrl.data.InteractionLog log;
        private OfflineBenchmark.Report soFar;
        private List<String> stillToRun = List.of();

        /** @param out the {@code --out} directory, or null to keep the results in memory only */
        PartialResults(Path out, org.recsysrl.data.InteractionLog log) {
            this.out = out;
            this.log = log;
        }

        synchronized void finished(OfflineBenchmark.Report report, List<String> pending) {
            soFar = report;
            stillToRun = pending;
            if (out == null || pending.isEmpty()) {
                return; // the last model: the command writes the final report itself
            }
            try {
                BenchmarkOutput.writeFiles(out, log, report, BenchmarkOutput.partialText(log, report, pending), pending);
            } catch (IOException e) {
                throw new UserInputException("cannot write the partial benchmark files to " + out + " ("
                        + e.getMessage() + "): choose a writable --out directory with free space");
            }
        }

        /** After a failure: the finished models' table (if any) on {@code stream}. */
        synchronized void printBeforeFailure(java.io.PrintStream stream) {
            if (soFar == null || soFar.models().isEmpty()) {
                return;
            }
            List<String> notRun = new ArrayList<>(stillToRun);
            stream.println();
            stream.println("the models that finished before the failure" + (out == null ? ""
                    : " (also in " + out.resolve("report.txt") + ")") + ":");
            stream.print(BenchmarkOutput.partialText(log, soFar, notRun));
            stream.flush();
        }
    }

    /** Status lines with elapsed time, and a progress bar per ranking on a terminal. */
    static final class ConsoleListener implements OfflineBenchmark.Listener {
        private final java.io.PrintStream out;
        private final boolean terminal;
        private final long start;
        private final PartialResults partial;
        private ProgressLine bar;
        private String barWhat;

        ConsoleListener(java.io.PrintStream out, boolean terminal, long start) {
            this(out, terminal, start, null);
        }

        /** @param partial where each finished model goes (may be null) */
        ConsoleListener(java.io.PrintStream out, boolean terminal, long start, PartialResults partial) {
            this.out = out;
            this.terminal = terminal;
            this.start = start;
            this.partial = partial;
        }

        @Override
        public void modelFinished(OfflineBenchmark.Report soFar, List<String> stillToRun) {
            if (partial != null) {
                partial.finished(soFar, stillToRun);
            }
        }

        @Override
        public synchronized void status(String line) {
            if (bar != null) {
                bar.clear();
                bar = null;
            }
            out.println(String.format(Locale.ROOT, "[%6.1f s] %s", (System.nanoTime() - start) / 1e9, line));
        }

        @Override
        public synchronized void progress(String what, long done, long total) {
            if (!terminal) {
                return;
            }
            if (bar == null || !what.equals(barWhat)) {
                if (bar != null) {
                    bar.clear();
                }
                bar = new ProgressLine(out, true, 0, total, "users: " + what);
                barWhat = what;
            }
            bar.update(done);
        }
    }
}
