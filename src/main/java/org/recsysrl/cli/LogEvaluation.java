package org.recsysrl.cli;

import java.util.List;
import java.util.Locale;
import org.recsysrl.baselines.Baselines;
import org.recsysrl.config.RunConfig;
import org.recsysrl.data.DataIdentity;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.train.LogData;
import org.recsysrl.train.LogTraining;

/**
 * {@code evaluate} for a checkpoint trained on logs: re-reads the same log (refusing different
 * data), splits it by the protocol it was trained with, and runs the {@code benchmark} protocol
 * with the checkpoint beside the baselines: the same table, intervals and paired comparisons.
 */
final class LogEvaluation {
    private LogEvaluation() {
    }

    static void run(EvaluateCommand cmd, Checkpoint.Loaded loaded, RunConfig cfg) {
        long start = System.nanoTime();
        LogData data = LogData.load(cfg.data(), cfg.eval());
        DataIdentity.fromMetadata(loaded.info().extra(), "checkpoint " + loaded.path())
                .requireSame(data.log().identity(), "checkpoint " + loaded.path());
        SequenceModel model = LogTraining.load(loaded, cfg, data.log().itemCount());
        String algo = loaded.info().algorithm();
        java.io.PrintStream log = cmd.json ? System.err : System.out;
        log.printf(Locale.ROOT, "checkpoint %s: %s, %s encoder, best epoch %s (validation %s %s)%n", loaded.path(), algo,
                model.spec().encoder().id(), loaded.info().extra().get(LogTraining.BEST_EPOCH),
                loaded.info().extra().get(LogTraining.VALIDATION_METRIC), loaded.info().extra().get(LogTraining.VALIDATION));
        OfflineBenchmark.Settings settings = LogData.settings(cfg.eval());
        boolean terminal = System.console() != null && !cmd.noProgress;
        OfflineBenchmark.Report report = OfflineBenchmark.run(data.split(), Baselines.select(cmd.models),
                List.of(new OfflineBenchmark.GivenModel(LogTraining.recommender(model, algo),
                        algo + " sequence model, " + model.spec().encoder().id() + " encoder (" + loaded.path() + ")")),
                settings, new BenchmarkCommand.ConsoleListener(log, terminal, start));
        if (cmd.json) {
            System.out.println(BenchmarkOutput.toJson(BenchmarkOutput.json(data.log(), report)));
        } else {
            System.out.println();
            System.out.print(BenchmarkOutput.text(data.log(), report));
        }
    }
}
