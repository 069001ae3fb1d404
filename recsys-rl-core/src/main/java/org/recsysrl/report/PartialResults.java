package org.recsysrl.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.util.UserInputException;

/**
 * Keeps the finished models of a benchmark: after each one the files in {@code --out} are rewritten
 * (atomically) with every model so far, and on a failure the finished models' table is printed, so
 * a later failure (an out-of-memory error, a bug, Ctrl-C after the files were written) loses nothing.
 */
public final class PartialResults {
    private final Path out;
    private final InteractionLog log;
    private OfflineBenchmark.Report soFar;
    private List<String> stillToRun = List.of();

    /**
     * @param out the {@code --out} directory, or null to keep the results in memory only
     * @param log the log benchmarked (for the report's header)
     */
    public PartialResults(Path out, InteractionLog log) {
        this.out = out;
        this.log = log;
    }

    /** A model finished: {@code report} holds every finished model, {@code pending} those still to run. */
    public synchronized void finished(OfflineBenchmark.Report report, List<String> pending) {
        soFar = report;
        stillToRun = pending;
        if (out == null || pending.isEmpty()) {
            return; // the last model: the command writes the final report itself
        }
        try {
            BenchmarkReport.writeFiles(out, log, report, BenchmarkReport.partialText(log, report, pending), pending);
        } catch (IOException e) {
            throw new UserInputException("cannot write the partial benchmark files to " + out + " ("
                    + e.getMessage() + "): choose a writable --out directory with free space");
        }
    }

    /** After a failure: the finished models' table (if any) on {@code stream}. */
    public synchronized void printBeforeFailure(PrintStream stream) {
        if (soFar == null || soFar.models().isEmpty()) {
            return;
        }
        List<String> notRun = new ArrayList<>(stillToRun);
        stream.println();
        stream.println("the models that finished before the failure" + (out == null ? ""
                : " (also in " + out.resolve("report.txt") + ")") + ":");
        stream.print(BenchmarkReport.partialText(log, soFar, notRun));
        stream.flush();
    }
}
