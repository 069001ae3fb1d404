package org.recsysrl.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.config.SeqConfig;
import org.recsysrl.config.SequenceLoss;
import org.recsysrl.config.SequenceModelConfig;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.seq.Blend;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.seq.SequenceRecommender;
import org.recsysrl.seq.SequenceTrainer;
import org.recsysrl.seq.TrainingWindows;
import org.recsysrl.util.Rng;
import org.recsysrl.workload.LogData;

/**
 * {@code train --env logs --tune}: the sequence model's settings chosen on the validation metric,
 * with a budget of three times the default run's own length.
 *
 * <p>Candidates: the configured settings (the default, [0]) and {@value #DRAWN} challengers drawn
 * (seeded by {@code train.seed}, distinct) from encoder {attention, GRU} × dropout {0.2, 0.5, 0.7}
 * × {@code max_seq_len} {50, 100, 200} × blocks {1, 2, 3} (attention) × embedding size {64, 128}
 * × learning rate {0.001, 0.002, 0.005}.
 *
 * <ol>
 *   <li>The default run trains to its early stop, exactly as {@code train} without {@code --tune}
 *       would: E epochs. The budget is B = {@value #BUDGET_MULTIPLE} × E epochs, the default run's
 *       included.
 *   <li>One rung: every challenger trains R epochs, R chosen so that the rung takes at most half
 *       of the B − E left (one rung of R epochs rather than several shorter ones: a ranking after
 *       a few epochs on a small validation set is mostly noise).
 *   <li>The challenger with the best validation value so far continues with early stopping until
 *       the budget is spent.
 *   <li>The guard: it replaces the default only if its paired validation gain over the default's
 *       best epoch is sure (one-sided 95 %, {@link Blend#GUARD_Z}); otherwise the default is kept.
 * </ol>
 *
 * <p>Each epoch of a candidate is counted in default epochs by its multiply-adds relative to the
 * configured run's ({@link #epochMultiplyAdds}): the encoder's on every row of every training
 * window (quadratic in the embedding size for attention and GRU) and the output layer's on every
 * target (linear in it, times the catalogue or the sampled negatives). Counting by a formula
 * rather than by a clock keeps the search deterministic for a seed and thread count.
 */
public final class SequenceTuning {
    /** Candidates drawn besides the configured settings. */
    public static final int DRAWN = 5;
    /** Metadata keys of the outcome. */
    public static final String TUNED = "sequence.tuned";
    public static final String TUNE_COST = "sequence.tune_cost";
    public static final String TUNE_SECONDS = "sequence.tune_seconds";
    public static final String TUNE_DEFAULT_EPOCHS = "sequence.tune_default_epochs";
    public static final String TUNE_DEFAULT_SECONDS = "sequence.tune_default_seconds";
    /** The search's budget in epochs of the default run: this many times the default run's own length. */
    public static final int BUDGET_MULTIPLE = 3;

    private SequenceTuning() {
    }

    /**
     * One setting to try.
     *
     * @param label e.g. {@code attention d=64 L=50 blocks=2 dropout=0.2 lr=0.001}
     * @param overrides the {@code --set} assignments that give it
     */
    public record Candidate(String label, List<String> overrides) {
    }

    /**
     * The outcome: the chosen candidate's config, trained model (its best epoch's parameters) and
     * run, with what the search cost.
     */
    public record Outcome(RunConfig config, SequenceModel model, SequenceTrainer.Result result, Candidate chosen,
            int epochs, double cost, double budget, double seconds, int defaultEpochs, double defaultSeconds) {
        /** The checkpoint metadata of the search. */
        public Map<String, String> metadata() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put(TUNED, chosen.label());
            m.put(TUNE_COST, String.format(Locale.ROOT, "%d epochs, %.1f of %.0f default epochs (%d x the default"
                    + " run's %d)", epochs, cost, budget, BUDGET_MULTIPLE, defaultEpochs));
            m.put(TUNE_SECONDS, String.format(Locale.ROOT, "%.1f", seconds));
            m.put(TUNE_DEFAULT_EPOCHS, Integer.toString(defaultEpochs));
            m.put(TUNE_DEFAULT_SECONDS, String.format(Locale.ROOT, "%.1f", defaultSeconds));
            return m;
        }
    }

    /** The configured settings first, then {@value #DRAWN} distinct draws seeded by {@code seed}. */
    public static List<Candidate> candidates(RunConfig cfg, long seed) {
        SequenceModelConfig m = cfg.model().sequence();
        List<Candidate> out = new ArrayList<>();
        out.add(new Candidate(label(m.encoder().id(), m.embeddingDim(), m.maxSeqLen(), m.blocks(), m.dropout(),
                cfg.seq().lr()), List.of()));
        Rng rng = Rng.stream(seed, 91);
        int[] dims = {64, 128};
        int[] lengths = {50, 100, 200};
        int[] blocks = {1, 2, 3};
        double[] dropouts = {0.2, 0.5, 0.7};
        double[] lrs = {0.001, 0.002, 0.005};
        for (int attempt = 0; attempt < 500 && out.size() < DRAWN + 1; attempt++) {
            String encoder = rng.nextInt(2) == 0 ? "attention" : "gru";
            int d = dims[rng.nextInt(dims.length)];
            int len = lengths[rng.nextInt(lengths.length)];
            int b = encoder.equals("attention") ? blocks[rng.nextInt(blocks.length)] : m.blocks();
            double dropout = dropouts[rng.nextInt(dropouts.length)];
            double lr = lrs[rng.nextInt(lrs.length)];
            String label = label(encoder, d, len, b, dropout, lr);
            if (out.stream().anyMatch(c -> c.label().equals(label))) {
                continue;
            }
            out.add(new Candidate(label, List.of("model.encoder=" + encoder, "model.embedding_dim=" + d,
                    "model.max_seq_len=" + len, "model.blocks=" + b, "model.dropout=" + dropout, "seq.lr=" + lr)));
        }
        return out;
    }

    private static String label(String encoder, int d, int len, int blocks, double dropout, double lr) {
        return String.format(Locale.ROOT, "%s d=%d L=%d%s dropout=%s lr=%s", encoder, d, len,
                encoder.equals("attention") ? " blocks=" + blocks : "", plain(dropout), plain(lr));
    }

    /** A candidate being trained. */
    private static final class Run {
        final int index;
        final Candidate candidate;
        final RunConfig config;
        final SequenceModel model;
        final SequenceTrainer trainer;
        final double epochCost;

        Run(int index, Candidate candidate, RunConfig config, SequenceModel model, SequenceTrainer trainer,
                double epochCost) {
            this.index = index;
            this.candidate = candidate;
            this.config = config;
            this.model = model;
            this.trainer = trainer;
            this.epochCost = epochCost;
        }
    }

    /**
     * Runs the search on {@code data} for {@code algo}: the default run first, to its early stop,
     * then the challengers within the budget it sets, and the guard. Validates with
     * {@code validator} (the mean) and, for the guard, {@code perUser} (each validation user's
     * value, the same users in order); prints one line per default epoch, challenger and the
     * winner's epochs ({@code winnerEpochs}), and the choice with its cost.
     */
    public static Outcome run(RunConfig cfg, String algo, LogData data, boolean excludeKnown,
            SequenceTrainer.Validator validator, Function<Recommender, double[]> perUser,
            SequenceTrainer.Listener winnerEpochs, PrintStream out) {
        long start = System.nanoTime();
        long seed = cfg.train().seed();
        List<Candidate> candidates = candidates(cfg, seed);
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            runs.add(newRun(i, candidates.get(i), cfg, algo, data, excludeKnown, i == 0 ? null : runs.get(0)));
        }
        Run base = runs.get(0);
        out.printf(Locale.ROOT, "tuning: first the default run [0] %s, with early stopping, to measure its length%n",
                base.candidate.label());
        base.trainer.advance(Integer.MAX_VALUE, true, validator, e -> out.printf(Locale.ROOT,
                "tune default epoch %3d | loss %.4f | validation %.4f%s | %.1f s%n", e.epoch(), e.loss(),
                e.validation(), e.best() ? " *" : "", e.trainSeconds() + e.validationSeconds()));
        SequenceTrainer.Result baseResult = base.trainer.finish();
        int defaultEpochs = base.trainer.epochsDone();
        double defaultSeconds = (System.nanoTime() - start) / 1e9;
        double budget = (double) BUDGET_MULTIPLE * defaultEpochs;
        List<Run> challengers = runs.subList(1, runs.size());
        int rung = rungLength(challengers, budget - defaultEpochs);
        out.printf(Locale.ROOT, "tuning: the default run stopped after %d epochs (best epoch %d, validation %.4f, %.1f s);"
                + " budget %d x %d = %.0f default epochs; %d challengers train %d epochs each, the best continues with"
                + " early stopping%n", defaultEpochs, baseResult.bestEpoch(), baseResult.bestValidation(),
                defaultSeconds, BUDGET_MULTIPLE, defaultEpochs, budget, challengers.size(), rung);
        double spent = defaultEpochs;
        int epochs = defaultEpochs;
        for (Run r : challengers) {
            long t0 = System.nanoTime();
            int trained = r.trainer.advance(rung, false, validator, e -> { });
            epochs += trained;
            spent += trained * r.epochCost;
            out.printf(Locale.ROOT, "tune rung [%d] %s: validation %.4f after %d epochs (the default: %.4f; an epoch"
                    + " costs %.2f default epochs; %.1f s)%n", r.index, r.candidate.label(), r.trainer.bestValue(),
                    r.trainer.epochsDone(), bestUntil(baseResult, r.trainer.epochsDone()), r.epochCost,
                    (System.nanoTime() - t0) / 1e9);
        }
        Run winner = challengers.stream().min(Comparator.comparingDouble((Run r) -> -r.trainer.bestValue())
                .thenComparingInt(r -> r.index)).orElseThrow();
        int extra = (int) Math.floor(Math.max(0, budget - spent) / winner.epochCost);
        out.printf(Locale.ROOT, "tune: [%d] %s continues with early stopping for at most %d more epochs%n",
                winner.index, winner.candidate.label(), extra);
        int trained = winner.trainer.advance(winner.trainer.epochsDone() + extra, true, validator, winnerEpochs);
        epochs += trained;
        spent += trained * winner.epochCost;
        SequenceTrainer.Result winnerResult = winner.trainer.finish();
        boolean sure = guard(winner, winnerResult, base, baseResult, perUser, out);
        Run chosen = sure ? winner : base;
        SequenceTrainer.Result result = sure ? winnerResult : baseResult;
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "tuned: chose [%d] %s (validation %.4f, best epoch %d); search cost %d epochs = %.1f of"
                + " %.0f default epochs, %.1f s = %.2f x the default run's %.1f s%n", chosen.index,
                chosen.candidate.label(), result.bestValidation(), result.bestEpoch(), epochs, spent, budget, seconds,
                seconds / defaultSeconds, defaultSeconds);
        return new Outcome(chosen.config, chosen.model, result, chosen.candidate, epochs, spent, budget, seconds,
                defaultEpochs, defaultSeconds);
    }

    /**
     * The guard: true if the winner's paired validation gain over the default is sure (one-sided
     * 95 %, {@link Blend#GUARD_Z}); prints one line either way.
     */
    private static boolean guard(Run winner, SequenceTrainer.Result winnerResult, Run base,
            SequenceTrainer.Result baseResult, Function<Recommender, double[]> perUser, PrintStream out) {
        Blend.Gain gain = Blend.Gain.of(perUser.apply(new SequenceRecommender(winner.model)),
                perUser.apply(new SequenceRecommender(base.model)));
        boolean sure = gain.lowerBound(Blend.GUARD_Z) > 0;
        out.printf(Locale.ROOT, "tune guard: [%d] validation %.4f against the default's %.4f: gain %+.4f, standard"
                + " error %.4f on %d users: %s%n", winner.index, winnerResult.bestValidation(),
                baseResult.bestValidation(), gain.mean(), gain.standardError(), gain.users(),
                sure ? "sure (one-sided 95%), the challenger is chosen" : "not sure, the default is kept");
        return sure;
    }

    /** Candidate {@code index}; its epoch cost is relative to {@code base} (null: it is the base, cost 1). */
    private static Run newRun(int index, Candidate c, RunConfig cfg, String algo, LogData data, boolean excludeKnown,
            Run base) {
        RunConfig ci = ConfigJson.withOverrides(cfg, c.overrides());
        int items = data.log().itemCount();
        SequenceModel model = new SequenceModel(LogTraining.spec(ci.model().sequence(), items, algo));
        model.initialize(Rng.stream(cfg.train().seed(), 81));
        SequenceTrainer trainer = new SequenceTrainer(model, data.split().trainPart(),
                LogTraining.settings(ci.seq(), items, cfg.train().seed(), algo, excludeKnown));
        double cost = base == null ? 1 : epochCost(ci, trainer, base.config, base.trainer, items);
        return new Run(index, c, ci, model, trainer, cost);
    }

    /** The best validation value of {@code r}'s first {@code epochs} epochs (−∞ before any). */
    static double bestUntil(SequenceTrainer.Result r, int epochs) {
        double best = Double.NEGATIVE_INFINITY;
        for (SequenceTrainer.EpochStats e : r.history()) {
            if (e.epoch() <= epochs) {
                best = Math.max(best, e.validation());
            }
        }
        return best;
    }

    /**
     * Epochs of the one rung: every challenger trains that long, and the rung takes at most half of
     * {@code left}, the budget the default run left (so that the winner's continuation has the
     * other half); at least 1.
     */
    private static int rungLength(List<Run> challengers, double left) {
        double rungCost = 0;
        for (Run r : challengers) {
            rungCost += r.epochCost;
        }
        return (int) Math.max(1, Math.floor(left / 2 / rungCost));
    }

    /**
     * The multiply-adds of one forward pass over an epoch (the backward pass is about twice that for
     * every layer alike, so ratios are unchanged). A batch holds windows of about one length (they
     * are bucketed by length), so a window of n items costs n rows: per row {@code blocks · 6d²}
     * for attention (the four d × d projections and the feed-forward d → d → d) plus
     * {@code blocks · 2nd} for the scores and the mixing over the window's n positions, {@code 6d²}
     * for a GRU (three gates on the input and on the state), nothing for last-item and mean; per
     * target, {@code d · N} for the full softmax over N items, {@code d · (S + 1)} for the sampled
     * one with S negatives.
     *
     * @param rows Σ n over the windows (input positions of an epoch)
     * @param squaredRows Σ n² over the windows
     * @param targets target positions of an epoch
     * @param items the catalogue's size
     */
    static double epochMultiplyAdds(SequenceModelConfig model, SeqConfig seq, long rows, long squaredRows,
            long targets, int items) {
        double d = model.embeddingDim();
        double encoder = switch (model.encoder()) {
            case ATTENTION -> model.blocks() * (6 * d * d * rows + 2 * d * squaredRows);
            case GRU -> 6 * d * d * rows;
            default -> 0;
        };
        double perTarget = d * (seq.loss().sampledFor(items) ? seq.negatives() + 1 : items);
        return encoder + targets * perTarget;
    }

    /** An epoch of a run in epochs of the default run: the ratio of their {@link #epochMultiplyAdds}. */
    private static double epochCost(RunConfig candidate, SequenceTrainer trainer, RunConfig base,
            SequenceTrainer baseTrainer, int items) {
        return multiplyAdds(candidate, trainer, items) / multiplyAdds(base, baseTrainer, items);
    }

    private static double multiplyAdds(RunConfig cfg, SequenceTrainer trainer, int items) {
        TrainingWindows w = trainer.windows();
        long rows = 0;
        long squared = 0;
        for (int i = 0; i < w.size(); i++) {
            long n = w.length(i);
            rows += n;
            squared += n * n;
        }
        return epochMultiplyAdds(cfg.model().sequence(), cfg.seq(), rows, squared, w.targetCount(), items);
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
