package org.recsysrl.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.recsysrl.config.RunConfig;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.workload.LogData;

/**
 * {@code benchmark}: reads an interaction log ({@code data.*}), splits it by the protocol
 * ({@code eval.*}), fits and tunes every model family, ranks the whole catalog for every test user,
 * and returns the report ({@link BenchmarkReport} renders it).
 */
public final class LogBenchmark {
    private LogBenchmark() {
    }

    /**
     * A finished benchmark.
     *
     * @param data the log and its split
     * @param report the offline benchmark's report
     */
    public record Result(LogData data, OfflineBenchmark.Report report) {
        /** The text report (as written to report.txt): the header, the table and the paired comparisons. */
        public String text() {
            return BenchmarkReport.text(data.log(), report);
        }

        /** The JSON summary, ending with a line break. */
        public String json() {
            return BenchmarkReport.toJson(BenchmarkReport.json(data.log(), report)) + System.lineSeparator();
        }
    }

    /** Runs the benchmark of {@code families} on the log of {@code cfg}; status lines go to {@code status}. */
    public static Result run(RunConfig cfg, List<ModelFamily> families, StatusOutput status) {
        return run(cfg, families, status, null, StoredRuns.BESIDE_DATA);
    }

    /**
     * As above; after each finished model the files in {@code out} (when not null) hold every model
     * so far, and on a failure the finished models' table is printed first; the baselines' runs are
     * taken from and kept in {@code stored}.
     */
    public static Result run(RunConfig cfg, List<ModelFamily> families, StatusOutput status, Path out,
            StoredRuns stored) {
        long start = System.nanoTime();
        LogData logData = LogData.load(cfg.data(), cfg.eval());
        OfflineBenchmark.Settings settings = LogData.settings(cfg.eval());
        status.lines().println(String.format(Locale.ROOT, "read %s in %.1f s",
                BenchmarkReport.describeData(logData.log()), (System.nanoTime() - start) / 1e9));
        status.lines().println(logData.split().describe());
        PartialResults partial = new PartialResults(out, logData.log());
        OfflineBenchmark.Report report;
        try {
            report = OfflineBenchmark.run(logData.split(), families, List.of(), settings,
                    new ConsoleProgress(status, start, partial), stored.open(cfg, logData.log(), status.lines()));
        } catch (RuntimeException | OutOfMemoryError e) {
            partial.printBeforeFailure(status.lines());
            throw e;
        }
        return new Result(logData, report);
    }
}
