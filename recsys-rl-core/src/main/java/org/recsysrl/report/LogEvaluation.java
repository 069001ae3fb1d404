package org.recsysrl.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.recsysrl.baselines.Baselines;
import org.recsysrl.config.RunConfig;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.seq.MarkovMixture;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.seq.SequenceRecommender;
import org.recsysrl.workload.LogData;
import org.recsysrl.workload.LogWorkload;
import org.recsysrl.workload.Workload;
import org.recsysrl.model.CheckpointConfig;
import org.recsysrl.model.Models;
import org.recsysrl.model.SequenceCheckpoint;
import org.recsysrl.model.SequenceModels;
import org.recsysrl.util.UserInputException;

/**
 * {@code evaluate} for a checkpoint trained on logs: re-reads the same log (refusing different
 * data), splits it by the protocol it was trained with, and runs the {@code benchmark} protocol
 * with the checkpoint beside the baselines: the same table, intervals and paired comparisons.
 */
public final class LogEvaluation {
    private LogEvaluation() {
    }

    /**
     * The benchmark protocol's report with the checkpoint beside the baselines.
     *
     * @param data the log, split as the checkpoint was trained
     * @param report the offline benchmark's report
     */
    public record Result(LogData data, OfflineBenchmark.Report report) implements EvaluationResult {
        @Override
        public String text() {
            return System.lineSeparator() + BenchmarkReport.text(data.log(), report);
        }

        @Override
        public String json() {
            return BenchmarkReport.toJson(BenchmarkReport.json(data.log(), report)) + System.lineSeparator();
        }
    }

    static Result run(EvaluationOptions o, SequenceCheckpoint checkpoint, StatusOutput status) {
        long start = System.nanoTime();
        Checkpoint.Loaded loaded = checkpoint.checkpoint();
        RunConfig cfg = checkpoint.config();
        LogData data = checkpoint.data();
        SequenceModel model = checkpoint.network();
        String algo = loaded.info().algorithm();
        java.io.PrintStream log = status.lines();
        log.printf(Locale.ROOT, "checkpoint %s: %s, %s encoder, best epoch %s (validation %s %s)%n", loaded.path(), algo,
                model.spec().encoder().id(), loaded.info().extra().get(SequenceModels.BEST_EPOCH),
                loaded.info().extra().get(SequenceModels.VALIDATION_METRIC),
                fourDigits(loaded.info().extra().get(SequenceModels.VALIDATION)));
        OfflineBenchmark.Settings settings = LogData.settings(cfg.eval());
        List<OfflineBenchmark.GivenModel> given = new ArrayList<>();
        ModelNames names = new ModelNames();
        given.addAll(given(loaded, model, cfg, data, names, log));
        for (Path other : o.compare()) {
            given.addAll(compared(other, cfg, data, names, log));
        }
        PartialResults partial = new PartialResults(null, data.log());
        OfflineBenchmark.Report report;
        try {
            report = OfflineBenchmark.run(data.split(), Baselines.select(o.models()), given, settings,
                    new ConsoleProgress(status, start, partial), o.stored().open(cfg, data.log(), status.lines()));
        } catch (RuntimeException | OutOfMemoryError e) {
            partial.printBeforeFailure(status.lines());
            throw e;
        }
        return new Result(data, report);
    }

    /** A stored metric value to four decimals ("0.0617"); the text itself if it is not a number. */
    static String fourDigits(String value) {
        try {
            return String.format(Locale.ROOT, "%.4f", Double.parseDouble(value));
        } catch (NumberFormatException | NullPointerException e) {
            return String.valueOf(value);
        }
    }

    /**
     * The rows of {@code loaded} under its name in this report ({@link ModelNames}): the network
     * alone and, when the checkpoint mixes in transitions (α > 0), the mixture it recommends with,
     * named with {@code +markov}. The transitions are counted on the training part, which is what
     * the network was trained on.
     */
    private static List<OfflineBenchmark.GivenModel> given(Checkpoint.Loaded loaded, SequenceModel model, RunConfig cfg,
            LogData data, ModelNames names, java.io.PrintStream log) {
        String algo = loaded.info().algorithm();
        String name = names.name(algo, model.spec().encoder().id(), cfg, loaded.path());
        String what = algo + " sequence model, " + model.spec().encoder().id() + " encoder (" + loaded.path() + ")";
        SequenceRecommender network = new SequenceRecommender(model, name);
        if (org.recsysrl.model.Blends.stored(loaded)) {
            return blendRows(loaded, network, model.spec().encoder().id(), cfg, data, names, what);
        }
        double alpha = SequenceModels.mixOf(loaded, model, cfg, data, log);
        if (alpha == 0) {
            return List.of(new OfflineBenchmark.GivenModel(network, what));
        }
        MarkovMixture mixture = new MarkovMixture(network, SequenceModels.transitions(data.split().trainPart()), alpha,
                names.name(algo, model.spec().encoder().id() + "+markov", cfg, loaded.path()));
        return List.of(new OfflineBenchmark.GivenModel(network, what + ", network alone"),
                new OfflineBenchmark.GivenModel(mixture, what + String.format(Locale.ROOT,
                        ", mixed with first-order transitions, alpha=%.2f", alpha)));
    }

    /**
     * The rows of a checkpoint that serves a blend: the network alone, each weighted component (as
     * the blend holds it: item tables as stored, counts of the training part), and the blend, which
     * is what the checkpoint serves (counts of the training part here, as validated).
     */
    private static List<OfflineBenchmark.GivenModel> blendRows(Checkpoint.Loaded loaded, SequenceRecommender network,
            String encoder, RunConfig cfg, LogData data, ModelNames names, String what) {
        String algo = loaded.info().algorithm();
        org.recsysrl.model.Blends.Stored blend = org.recsysrl.model.Blends.read(loaded);
        List<OfflineBenchmark.GivenModel> rows = new ArrayList<>();
        rows.add(new OfflineBenchmark.GivenModel(network, what + ", network alone"));
        for (var c : blend.components(data.split().trainPart()).entrySet()) {
            String componentName = names.name(algo, "component-" + c.getKey(), cfg, loaded.path());
            rows.add(new OfflineBenchmark.GivenModel(renamed(c.getValue(), componentName),
                    what + ", blend component " + c.getKey() + " as the blend holds it"));
        }
        rows.add(new OfflineBenchmark.GivenModel(blend.recommender(network, data.split().trainPart(),
                names.name(algo, encoder + "+blend", cfg, loaded.path())), what + ", served blend " + blend.describe()));
        return rows;
    }

    private static org.recsysrl.recommend.Recommender renamed(org.recsysrl.recommend.Recommender r, String name) {
        return new org.recsysrl.recommend.Recommender() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int itemCount() {
                return r.itemCount();
            }

            @Override
            public Scorer newScorer() {
                return r.newScorer();
            }
        };
    }

    /** A {@code --compare} checkpoint, refused unless it was trained on the same data with the same protocol. */
    private static List<OfflineBenchmark.GivenModel> compared(Path file, RunConfig cfg, LogData data, ModelNames names,
            java.io.PrintStream log) {
        Checkpoint.Loaded other = Checkpoint.read(file);
        RunConfig otherCfg = CheckpointConfig.read(other, cfg.data());
        if (!(Workload.of(otherCfg) instanceof LogWorkload)) {
            throw new UserInputException("--compare: " + file + " was not trained on logs; pass checkpoints written by"
                    + " train --env logs");
        }
        Models.requireSameLog(other, data, "--compare checkpoint " + file);
        if (!otherCfg.eval().equals(cfg.eval()) || !otherCfg.data().equals(cfg.data())) {
            throw new UserInputException("--compare: " + file + " was trained with other data.* or eval.* settings than"
                    + " the --checkpoint, so its test users differ: compare checkpoints of the same protocol");
        }
        return given(other, SequenceModels.load(other, otherCfg, data.log().itemCount()), otherCfg, data, names, log);
    }
}
