package org.recsysrl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.recsysrl.baselines.Baselines;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.report.BenchmarkReport;
import org.recsysrl.report.LogBenchmark;
import org.recsysrl.report.StoredRuns;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    @Mixin
    LogDataOptions data;

    @Mixin
    ProtocolOptions protocol;

    @Option(names = "--models", defaultValue = "all", description = "all, or a comma-separated list (default: all)")
    String models;

    @Mixin
    SettingsOptions settings;

    @Mixin
    JsonOption output;

    @Option(names = "--out", paramLabel = "DIR",
            description = "also write summary.json, report.txt, tuning.csv and test-users-<model>.csv there")
    Path out;

    @Mixin
    ProgressOptions progress;

    @Option(names = "--no-cache", description = "fit and rank every baseline again instead of taking its stored run")
    boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "where baseline runs are stored (default: beside the data, <data>.recsys-rl-cache)")
    Path cacheDir;

    @Override
    public Integer call() {
        List<String> sets = settings.sets();
        data.addTo(sets);
        protocol.addTo(sets);
        RunConfig cfg = ConfigJson.withOverrides(settings.withFile(RunConfig.defaults()), sets);
        if (models.isBlank()) {
            throw new UserInputException("--models is empty: give all, or a comma-separated list of "
                    + String.join(", ", Baselines.names()));
        }
        List<ModelFamily> families = Baselines.select(models);
        if (out != null) {
            checkWritable(out);
        }
        java.io.PrintStream log = output.statusStream();
        LogBenchmark.Result result = LogBenchmark.run(cfg, families, progress.to(log), out, new StoredRuns(noCache, cacheDir));
        String text = result.text();
        if (output.json) {
            System.out.print(result.json());
        } else {
            System.out.println();
            System.out.print(text);
        }
        if (out != null) {
            try {
                BenchmarkReport.writeFiles(out, result.data().log(), result.report(), text);
            } catch (IOException e) {
                throw new UserInputException("cannot write the benchmark files to " + out + " (" + e.getMessage()
                        + "): choose a writable --out directory with free space");
            }
            log.println("wrote " + out.resolve("summary.json") + ", report.txt, tuning.csv and the per-user CSV files");
        }
        return 0;
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
}
