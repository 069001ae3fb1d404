package org.recsysrl.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** The interaction log to read and how ({@code data.*}), for the commands that read a log. */
final class LogDataOptions {
    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "interaction log (CSV/TSV with a header, RecBole .inter, Parquet, one sequence per line) or MovieLens folder (data.path)")
    String data;

    @Option(names = "--format", description = "auto, movielens, csv, tsv, recbole, sequences or parquet (data.format; default auto; parquet needs recsys-rl-parquet, which the launcher includes)")
    String format;

    /** Adds {@code data.path} and, when given, {@code data.format} to {@code sets}. */
    void addTo(List<String> sets) {
        sets.add("data.path=" + data);
        if (format != null) {
            sets.add("data.format=" + format);
        }
    }
}
