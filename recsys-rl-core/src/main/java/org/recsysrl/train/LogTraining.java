package org.recsysrl.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.SequenceModelConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.config.SeqConfig;
import org.recsysrl.eval.EvalTask;
import org.recsysrl.eval.FullRankingEvaluator;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.eval.RankingSetup;
import org.recsysrl.io.AtomicFiles;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.seq.MarkovMixture;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.seq.SequenceSpec;
import org.recsysrl.seq.SequenceTrainer;
import org.recsysrl.util.Parallel;
import org.recsysrl.util.Rng;
import org.recsysrl.io.OutputChecks;
import org.recsysrl.util.NonFiniteException;
import org.recsysrl.util.UserInputException;
import org.recsysrl.model.Blends;
import org.recsysrl.model.LogServing;
import org.recsysrl.model.SequenceModels;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.LogData;

/**
 * Training a sequence model on an interaction log ({@code train --env logs}): reads and splits the
 * log like {@code benchmark} ({@link LogData}), trains on the training part with early stopping on
 * the validation part, and keeps the best epoch as {@code <checkpoint_dir>/<algo>.safetensors}
 * (written atomically at every improvement) with a per-epoch CSV log.
 *
 * <p>Algorithms: {@code supervised} (next-item cross-entropy) and {@code sa2c} (the same plus the
 * Q head's TD loss and the advantage-weighted cross-entropy, {@code seq.td_weight},
 * {@code seq.ac_weight}).
 *
 * <p>After training, what the checkpoint serves is chosen on the validation part and stored in it,
 * so that {@code evaluate} and {@code serve} recommend with the same model: with
 * {@code seq.markov_mix=auto} (the default) the blend of the network with the fitted baselines
 * ({@link Blends}; the best baseline alone when the network adds nothing, which {@code train} says
 * in one line); with a fixed {@code seq.markov_mix}, the network's softmax mixed with first-order
 * transitions at that weight ({@link MarkovMixture}). With {@code --tune} the network's settings
 * are chosen on validation first ({@link SequenceTuning}).
 *
 * <p>Every save also stores what serving needs ({@link LogServing}: the item ids, the whole log's
 * transitions, and the users' histories by {@code seq.checkpoint_histories}), so the checkpoint
 * serves without the log.
 */
public final class LogTraining {
    /** The algorithms of training on logs. */
    public static final List<String> ALGORITHMS = Algorithm.ids(Algorithm.Family.SEQUENCE);
    /** Metadata keys this layer adds to checkpoints (defined in {@link SequenceModels}). */
    public static final String BEST_EPOCH = SequenceModels.BEST_EPOCH;
    public static final String VALIDATION = SequenceModels.VALIDATION;
    public static final String VALIDATION_METRIC = SequenceModels.VALIDATION_METRIC;
    /** Metadata key of the chosen transition weight α (absent in checkpoints of earlier versions). */
    public static final String MARKOV_MIX = SequenceModels.MARKOV_MIX;
    /** Popularity back-off β of the transition model mixed in (the {@code markov} baseline's smallest grid point). */
    public static final double TRANSITION_BACKOFF = SequenceModels.TRANSITION_BACKOFF;

    private LogTraining() {
    }

    /** Throws a one-line error unless {@code algo} is an algorithm of training on logs. */
    public static void checkAlgorithm(String algo) {
        Algorithm.sequence(algo);
    }

    /** The architecture for a log of {@code items} items. */
    public static SequenceSpec spec(SequenceModelConfig m, int items, String algo) {
        return SequenceModels.spec(m, items, algo);
    }

    /** Rebuilds the model a checkpoint trained on logs holds, for a log of {@code items} items. */
    public static SequenceModel load(Checkpoint.Loaded loaded, RunConfig cfg, int items) {
        return SequenceModels.load(loaded, cfg, items);
    }

    /**
     * The trainer's settings for {@code algo}: sa2c takes the TD and advantage weights, supervised
     * neither; seen items are left out of the softmax only when {@code excludeKnown} (evaluation
     * leaves them out of the ranking too).
     */
    public static SequenceTrainer.Settings settings(SeqConfig q, int items, long seed, String algo,
            boolean excludeKnown) {
        boolean ac = Algorithm.sequence(algo).offlineActorCritic();
        return SequenceTrainer.Settings.builder().epochs(q.epochs()).batchSize(q.batchSize()).lr(q.lr())
                .maxGradNorm(q.maxGradNorm()).patience(q.patience()).minEpochs(q.minEpochs())
                .sampled(q.loss().sampledFor(items)).negatives(q.negatives())
                .sparseAdam(q.sparseAdam())
                .offlineActorCritic(ac ? q.tdWeight() : 0, ac ? q.acWeight() : 0, q.gamma(), q.tau())
                .seed(seed).threads(Parallel.threads(q.threads())).excludeSeen(q.excludeSeen() && excludeKnown)
                .build();
    }

    /** Where the checkpoint of {@code algo} goes. */
    public static Path checkpointPath(RunConfig cfg, String algo) {
        return Path.of(cfg.train().checkpointDir(), algo + ".safetensors");
    }

    /** Trains and returns the result (the best model is in the checkpoint file). */
    public static SequenceTrainer.Result run(RunConfig cfg, String algo, PrintStream out, boolean terminal) {
        return run(cfg, algo, out, terminal, false);
    }

    /** Says which softmax {@code seq.loss=auto} chose for a catalogue of {@code items} items. */
    private static void printAutomaticLoss(SeqConfig q, SequenceTrainer.Settings settings, int items, PrintStream out) {
        if (q.loss() == org.recsysrl.config.SequenceLoss.AUTO) {
            out.printf(Locale.ROOT, "loss: %s softmax (seq.loss=auto: %,d items, sampled above %,d)%n",
                    settings.sampled() ? "sampled" : "full", items, org.recsysrl.config.SequenceLoss.SAMPLED_ABOVE_ITEMS);
        }
    }

    /**
     * As above; with {@code tune} the model's settings are first chosen on validation
     * ({@link SequenceTuning}), the checkpoint written once, at the end, with the chosen settings
     * in its config and the search's choice and cost in its metadata.
     */
    public static SequenceTrainer.Result run(RunConfig cfg, String algo, PrintStream out, boolean terminal,
            boolean tune) {
        checkAlgorithm(algo);
        long start = System.nanoTime();
        Path checkpoint = checkpointPath(cfg, algo);
        Path csv = Path.of(cfg.train().logDir(), algo + ".csv");
        OutputChecks.requireWritableDirectory(checkpoint.getParent(), "--checkpoint-dir");
        OutputChecks.requireWritableDirectory(csv.getParent(), "--log-dir");
        LogData data = loadData(cfg, out, start);
        SequenceTrainer.Settings settings = settings(cfg.seq(), data.log().itemCount(), cfg.train().seed(), algo,
                LogData.settings(cfg.eval()).excludeKnown());
        printAutomaticLoss(cfg.seq(), settings, data.log().itemCount(), out);
        OfflineBenchmark.Settings evalSettings = LogData.settings(cfg.eval());
        RankingSetup setup = OfflineBenchmark.setup(data.split(), evalSettings);
        EvalTask validation = validationTask(cfg, data, evalSettings);
        if (tune) {
            return tuned(cfg, algo, data, settings, evalSettings, setup, validation, checkpoint, csv, out, start);
        }
        SequenceSpec spec = spec(cfg.model().sequence(), data.log().itemCount(), algo);
        SequenceModel model = new SequenceModel(spec);
        model.initialize(Rng.stream(cfg.train().seed(), 81));
        SequenceTrainer trainer = new SequenceTrainer(model, data.split().trainPart(), settings);
        out.printf(Locale.ROOT, "%s %s encoder, %,d parameters; %,d training windows, %,d targets per epoch;"
                + " validation %s on %,d users%n", algo, spec.encoder().id(), model.store().size(),
                trainer.windows().size(), trainer.windows().targetCount(), evalSettings.tuneKey(), validation.size());
        String config = ConfigJson.toPortableJson(cfg);
        LogServing serving = LogServing.of(data.log(), true,
                LogServing.storesHistories(cfg.seq().checkpointHistories(), data.log()));
        EpochListener listener = new EpochListener(out, terminal, settings.tdWeight() > 0, evalSettings.tuneKey(), csv,
                (epoch, value) -> save(checkpoint, model, algo, config, data, serving, epoch, value,
                        evalSettings.tuneKey(), Double.NaN, null, Map.of()));
        SequenceTrainer.Result result;
        try {
            result = trainer.run(
                m -> FullRankingEvaluator.evaluate(m, validation, setup, settings.threads(), null)
                        .mean(evalSettings.tuneKey()), listener);
        } catch (NonFiniteException e) {
            listener.clearBar();
            throw e.withNote(listener.lastSaved > 0 ? "the best epoch's checkpoint " + checkpoint + " (epoch "
                    + listener.lastSaved + ") is kept" : "no epoch finished, nothing was saved");
        }
        double alpha = Double.NaN;
        Blends.Chosen blend = null;
        if (cfg.seq().markovMixAuto()) {
            blend = chooseBlend(model, algo, data, validation, setup, settings.threads(), evalSettings.tuneKey(),
                    cfg.train().seed(), out);
        } else {
            alpha = cfg.seq().markovMixValue();
        }
        if (result.bestEpoch() > 0) {
            save(checkpoint, model, algo, config, data, serving, result.bestEpoch(), result.bestValidation(),
                    evalSettings.tuneKey(), alpha, blend, Map.of());
        }
        out.printf(Locale.ROOT, "best epoch %d: validation %s %.4f; %s; wrote %s (%.1f s in all)%n",
                result.bestEpoch(), evalSettings.tuneKey(), result.bestValidation(), servedText(blend, alpha), checkpoint,
                (System.nanoTime() - start) / 1e9);
        return result;
    }

    /** What the final line says is served: the blend's weights, the baseline alone, or the Markov mixture's α. */
    private static String servedText(Blends.Chosen blend, double alpha) {
        return blend != null ? "served " + (blend.baselineOnly() ? "baseline " : "blend ")
                + org.recsysrl.seq.Blend.describe(Blends.COMPONENTS, blend.weights())
                : "markov mix " + SequenceModels.mixText(alpha);
    }

    /** Reads the log and splits it, saying what it read. */
    private static LogData loadData(RunConfig cfg, PrintStream out, long start) {
        LogData data = LogData.load(cfg.data(), cfg.eval());
        out.printf(Locale.ROOT, "read %s: %,d interactions, %,d users, %,d items (%.1f s)%n",
                data.log().identity().path(), data.log().size(), data.log().userCount(), data.log().itemCount(),
                (System.nanoTime() - start) / 1e9);
        out.println(data.split().describe());
        return data;
    }

    /** The validation users early stopping ranks; refused in one line when there are none. */
    private static EvalTask validationTask(RunConfig cfg, LogData data, OfflineBenchmark.Settings evalSettings) {
        EvalTask validation = data.split().validationTask(evalSettings.excludeKnown());
        if (validation.size() == 0) {
            throw new UserInputException("the validation part of " + data.log().identity().path()
                    + " is empty (no user has enough interactions for " + cfg.eval().protocol()
                    + "): early stopping needs it; use more data or another eval.protocol");
        }
        return validation;
    }

    /** {@code --tune}: the search, then the blend, and one save of the chosen model. */
    private static SequenceTrainer.Result tuned(RunConfig cfg, String algo, LogData data,
            SequenceTrainer.Settings settings, OfflineBenchmark.Settings evalSettings, RankingSetup setup,
            EvalTask validation, Path checkpoint, Path csv, PrintStream out, long start) {
        StringBuilder log = new StringBuilder("epoch,loss,td_loss,validation_" + evalSettings.tuneKey()
                + ",train_seconds,validation_seconds,best\n");
        SequenceTuning.Outcome o = SequenceTuning.run(cfg, algo, data, evalSettings.excludeKnown(),
                m -> FullRankingEvaluator.evaluate(m, validation, setup, settings.threads(), null)
                        .mean(evalSettings.tuneKey()),
                m -> FullRankingEvaluator.evaluate(m, validation, setup, settings.threads(), null)
                        .column(evalSettings.tuneKey()),
                e -> {
                    out.printf(Locale.ROOT, "epoch %3d | loss %.4f | validation %s %.4f%s | %.1f s + %.1f s validation%n",
                            e.epoch(), e.loss(), evalSettings.tuneKey(), e.validation(), e.best() ? " *" : "",
                            e.trainSeconds(), e.validationSeconds());
                    log.append(e.epoch()).append(',').append(num(e.loss())).append(',').append(num(e.tdLoss()))
                            .append(',').append(num(e.validation())).append(',').append(num(e.trainSeconds()))
                            .append(',').append(num(e.validationSeconds())).append(',').append(e.best()).append('\n');
                    write(csv, log.toString());
                }, out);
        SequenceTrainer.Result result = o.result();
        LogServing serving = LogServing.of(data.log(), true,
                LogServing.storesHistories(cfg.seq().checkpointHistories(), data.log()));
        double alpha = Double.NaN;
        Blends.Chosen blend = null;
        if (cfg.seq().markovMixAuto()) {
            blend = chooseBlend(o.model(), algo, data, validation, setup, settings.threads(), evalSettings.tuneKey(),
                    cfg.train().seed(), out);
        } else {
            alpha = cfg.seq().markovMixValue();
        }
        if (result.bestEpoch() > 0) {
            save(checkpoint, o.model(), algo, ConfigJson.toPortableJson(o.config()), data, serving, result.bestEpoch(),
                    result.bestValidation(), evalSettings.tuneKey(), alpha, blend, o.metadata());
        }
        out.printf(Locale.ROOT, "best epoch %d of %s: validation %s %.4f; %s; wrote %s (%.1f s in all)%n",
                result.bestEpoch(), o.chosen().label(), evalSettings.tuneKey(), result.bestValidation(),
                servedText(blend, alpha), checkpoint, (System.nanoTime() - start) / 1e9);
        return result;
    }

    /**
     * Fits the blend's baselines on the training part (each tuned on validation) and chooses the
     * served weights on validation ({@link Blends}); prints the choice and what is served.
     */
    static Blends.Chosen chooseBlend(SequenceModel model, String algo, LogData data, EvalTask validation,
            RankingSetup setup, int threads, String metric, long seed, PrintStream out) {
        long t0 = System.nanoTime();
        Blends.Baselines baselines = Blends.fitBaselines(data.split().trainPart(), validation, setup, threads, metric,
                seed, out);
        Blends.Chosen chosen = Blends.choose(SequenceModels.recommender(model, algo), baselines,
                data.split().trainPart(), validation, setup, threads, metric, out);
        out.printf(Locale.ROOT, "blend fitted and chosen in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return chosen;
    }

    /**
     * Writes the model (its current parameters) with the metadata that {@code evaluate} needs and
     * what serving needs ({@code serving}; its transitions left out once α is known to be 0).
     */
    static void save(Path path, SequenceModel model, String algo, String configJson, LogData data, LogServing serving,
            int epoch, double validation, String metric, double markovMix, Blends.Chosen blend,
            Map<String, String> more) {
        Map<String, String> extra = new LinkedHashMap<>(data.log().identity().toMetadata());
        extra.put(BEST_EPOCH, Integer.toString(epoch));
        extra.put(VALIDATION, Double.toString(validation));
        extra.put(VALIDATION_METRIC, metric);
        if (!Double.isNaN(markovMix)) {
            extra.put(MARKOV_MIX, Double.toString(markovMix));
        }
        extra.putAll(more);
        java.util.List<org.recsysrl.io.Tensor> tensors;
        if (blend != null) {
            extra.putAll(Blends.metadata(blend));
            boolean counts = blend.weights()[1] > 0 || blend.weights()[4] > 0;
            tensors = new java.util.ArrayList<>((counts ? serving.withTransitions(org.recsysrl.seq.TransitionTable.of(
                    data.log(), (float) blend.baselines().markovBeta())) : serving.withoutTransitions()).tensors());
            tensors.addAll(Blends.tensors(blend));
        } else {
            tensors = (markovMix == 0 ? serving.withoutTransitions() : serving).tensors();
        }
        try {
            Checkpoint.save(path, model.store(), new Checkpoint.Info(algo, configJson, 0, epoch, extra), tensors);
        } catch (IOException e) {
            throw new UserInputException("cannot write checkpoint " + path + " (" + e.getMessage()
                    + "): choose a writable --checkpoint-dir with free space");
        }
    }

    private static void write(Path file, String text) {
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new UserInputException("cannot write the training log " + file + " (" + e.getMessage()
                    + "): choose a writable --log-dir");
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /**
     * What training on logs shows and keeps per epoch: a line on the console, a row of the CSV log
     * (rewritten whole each epoch), the best epoch's checkpoint, and a progress bar on a terminal.
     */
    private static final class EpochListener implements SequenceTrainer.Listener {
        private final PrintStream out;
        private final boolean terminal;
        private final boolean td;
        private final String metric;
        private final Path csv;
        private final java.util.function.ObjDoubleConsumer<Integer> saveBest;
        private final StringBuilder log;
        private ProgressLine bar;
        /** The last epoch saved as the best, 0 before any. */
        int lastSaved;

        EpochListener(PrintStream out, boolean terminal, boolean td, String metric, Path csv,
                java.util.function.ObjDoubleConsumer<Integer> saveBest) {
            this.out = out;
            this.terminal = terminal;
            this.td = td;
            this.metric = metric;
            this.csv = csv;
            this.saveBest = saveBest;
            this.log = new StringBuilder("epoch,loss,td_loss,validation_" + metric
                    + ",train_seconds,validation_seconds,best\n");
        }

        @Override
        public void epoch(SequenceTrainer.EpochStats e) {
            clearBar();
            out.printf(Locale.ROOT, "epoch %3d | loss %.4f%s | validation %s %.4f%s | %.1f s (%,.0f targets/s)"
                    + " + %.1f s validation%n", e.epoch(), e.loss(),
                    td ? String.format(Locale.ROOT, " | td %.4f", e.tdLoss()) : "",
                    metric, e.validation(), e.best() ? " *" : "", e.trainSeconds(),
                    e.targets() / e.trainSeconds(), e.validationSeconds());
            log.append(e.epoch()).append(',').append(num(e.loss())).append(',').append(num(e.tdLoss()))
                    .append(',').append(num(e.validation())).append(',').append(num(e.trainSeconds()))
                    .append(',').append(num(e.validationSeconds())).append(',').append(e.best()).append('\n');
            write(csv, log.toString());
            if (e.best()) {
                saveBest.accept(e.epoch(), e.validation());
                lastSaved = e.epoch();
            }
        }

        @Override
        public void progress(int epoch, long done, long total) {
            if (!terminal) {
                return;
            }
            if (bar == null) {
                bar = new ProgressLine(out, true, 0, total, "windows, epoch " + epoch);
            }
            bar.update(done);
        }

        void clearBar() {
            if (bar != null) {
                bar.clear();
                bar = null;
            }
        }
    }
}
