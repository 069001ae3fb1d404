package org.recsysrl.workload;

import java.nio.file.Path;
import org.recsysrl.config.DataConfig;
import org.recsysrl.config.EvalConfig;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.LogReader;
import org.recsysrl.data.LogSpec;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.eval.OfflineSplit;
import org.recsysrl.eval.ProtocolSpec;
import org.recsysrl.setup.RealData;
import org.recsysrl.util.Parallel;

/**
 * The settings of an interaction log and its offline evaluation ({@code data.*}, {@code eval.*})
 * turned into what the {@code data} and {@code eval} layers take, and the log read and split.
 * Used by {@code benchmark}, and by training and evaluating on logs, so all of them read, filter
 * and split a log the same way.
 *
 * @param log the log as read and filtered
 * @param split the log split by the protocol
 */
public record LogData(InteractionLog log, OfflineSplit split) {

    /** How to read the log: {@code data.format}, the column names, event weights, filters. */
    public static LogSpec logSpec(DataConfig d) {
        return new LogSpec(LogSpec.Format.of(d.format()), d.userCol(), d.itemCol(), d.timeCol(), d.eventCol(),
                d.valueCol(), LogSpec.parseEventWeights(d.eventWeights()), d.minRating(), d.userCore(), d.itemCore(),
                LogSpec.Repeats.of(d.repeats()));
    }

    /** The protocol of {@code eval.protocol}; user-fraction takes its shares from {@code data.holdout_*}. */
    public static ProtocolSpec protocol(EvalConfig e, DataConfig d) {
        return new ProtocolSpec(ProtocolSpec.Kind.of(e.protocol()), e.cutoffFraction(), e.cutoffTime(),
                e.targets().equals("all"), e.coldUsers(), RealData.splitSpec(d));
    }

    /** The benchmark settings of {@code eval.*} (threads resolved; 10,000 sign flips for the paired tests). */
    public static OfflineBenchmark.Settings settings(EvalConfig e) {
        return new OfflineBenchmark.Settings(e.cutoffs(), e.k(), e.tuneMetric(), e.excludeKnown(), e.bootstrap(),
                10_000, e.seed(), Parallel.threads(e.threads()));
    }

    /** Reads {@code data.path} and splits it by {@code eval.protocol}. */
    public static LogData load(DataConfig d, EvalConfig e) {
        InteractionLog log = LogReader.read(Path.of(d.path()), logSpec(d));
        return new LogData(log, OfflineSplit.of(log, protocol(e, d)));
    }
}
