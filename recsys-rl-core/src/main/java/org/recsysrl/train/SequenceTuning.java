package org.recsysrl.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.SequenceModelConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.seq.SequenceTrainer;
import org.recsysrl.util.Rng;
import org.recsysrl.workload.LogData;

/**
 * {@code train --env logs --tune}: the sequence model's settings chosen on the validation metric by
 * successive halving, with a budget of about three default runs.
 *
 * <p>Candidates: the configured settings and {@value #DRAWN} more drawn (seeded by
 * {@code train.seed}, distinct) from encoder {attention, GRU} × dropout {0.2, 0.5, 0.7} ×
 * {@code max_seq_len} {50, 100, 200} × blocks {1, 2, 3} (attention) × embedding size {64, 128} ×
 * learning rate {0.001, 0.002, 0.005}. Rung 1 trains every candidate for R epochs; the better half
 * by their best validation value so far train on to 2R; the best of those then continues as a
 * normal run (early stopping) until the budget is spent. R = (min_epochs + patience) / 5 (8 by
 * default), shortened so that the two rungs take at most half the budget. The budget, B = 3 × (min_epochs + patience) epochs, is what one default
 * run costs at the least, three times; each epoch of a candidate is counted in default epochs by
 * its embedding size relative to the configured one (the full softmax over the catalogue, linear
 * in the embedding size, dominates an epoch). Deterministic for a seed and thread count.
 */
public final class SequenceTuning {
    /** Candidates drawn besides the configured settings. */
    public static final int DRAWN = 5;
    /** Metadata keys of the outcome. */
    public static final String TUNED = "sequence.tuned";
    public static final String TUNE_COST = "sequence.tune_cost";
    public static final String TUNE_SECONDS = "sequence.tune_seconds";

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
            int epochs, double cost, double budget, double seconds) {
        /** The checkpoint metadata of the search. */
        public Map<String, String> metadata() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put(TUNED, chosen.label());
            m.put(TUNE_COST, String.format(Locale.ROOT, "%d epochs, %.1f of %.0f default epochs", epochs, cost,
                    budget));
            m.put(TUNE_SECONDS, String.format(Locale.ROOT, "%.1f", seconds));
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
     * Runs the search on {@code data} for {@code algo}, validating with {@code validator}; prints
     * one line per candidate and rung, the winner's epochs, and the choice with its cost.
     */
    public static Outcome run(RunConfig cfg, String algo, LogData data, boolean excludeKnown,
            SequenceTrainer.Validator validator, SequenceTrainer.Listener winnerEpochs, PrintStream out) {
        long start = System.nanoTime();
        long seed = cfg.train().seed();
        double budget = 3.0 * (cfg.seq().minEpochs() + cfg.seq().patience());
        List<Candidate> candidates = candidates(cfg, seed);
        int rung = rungLength(cfg, candidates, budget);
        out.printf(Locale.ROOT, "tuning: %d candidates, successive halving with rungs of %d epochs, budget %.0f default"
                + " epochs (3 x (min_epochs %d + patience %d))%n", candidates.size(), rung, budget,
                cfg.seq().minEpochs(), cfg.seq().patience());
        List<Run> alive = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            RunConfig ci = ConfigJson.withOverrides(cfg, c.overrides());
            SequenceModel model = new SequenceModel(LogTraining.spec(ci.model().sequence(), data.log().itemCount(), algo));
            model.initialize(Rng.stream(seed, 81));
            SequenceTrainer trainer = new SequenceTrainer(model, data.split().trainPart(),
                    LogTraining.settings(ci.seq(), seed, algo, excludeKnown));
            alive.add(new Run(i, c, ci, model, trainer, epochCost(ci, cfg)));
        }
        double spent = 0;
        int epochs = 0;
        SequenceTrainer.Listener quiet = e -> { };
        for (int level = 1; alive.size() > 1; level++) {
            int until = level * rung;
            for (Run r : alive) {
                long t0 = System.nanoTime();
                int trained = r.trainer.advance(until, false, validator, quiet);
                epochs += trained;
                spent += trained * r.epochCost;
                out.printf(Locale.ROOT, "tune rung %d [%d] %s: validation %.4f after %d epochs (%.1f s)%n", level,
                        r.index, r.candidate.label(), r.trainer.bestValue(), r.trainer.epochsDone(),
                        (System.nanoTime() - t0) / 1e9);
            }
            List<Run> ranked = new ArrayList<>(alive);
            ranked.sort(Comparator.comparingDouble((Run r) -> -r.trainer.bestValue()).thenComparingInt(r -> r.index));
            alive = new ArrayList<>(ranked.subList(0, alive.size() <= 3 ? 1 : (alive.size() + 1) / 2));
        }
        Run winner = alive.get(0);
        int extra = (int) Math.floor(Math.max(0, budget - spent) / winner.epochCost);
        out.printf(Locale.ROOT, "tune: [%d] %s continues with early stopping for at most %d more epochs%n",
                winner.index, winner.candidate.label(), extra);
        int trained = winner.trainer.advance(winner.trainer.epochsDone() + extra, true, validator, winnerEpochs);
        epochs += trained;
        spent += trained * winner.epochCost;
        SequenceTrainer.Result result = winner.trainer.finish();
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "tuned: chose [%d] %s (validation %.4f, best epoch %d); search cost %d epochs = %.1f of"
                + " %.0f default epochs, %.1f s%n", winner.index, winner.candidate.label(), result.bestValidation(),
                result.bestEpoch(), epochs, spent, budget, seconds);
        return new Outcome(winner.config, winner.model, result, winner.candidate, epochs, spent, budget, seconds);
    }

    /**
     * Epochs per rung: rungs take at most half the budget (every candidate for R epochs, then the
     * best half for R more), and at most a fifth of min_epochs + patience.
     */
    private static int rungLength(RunConfig cfg, List<Candidate> candidates, double budget) {
        double rungCost = 0;
        double maxCost = 0;
        for (Candidate c : candidates) {
            double cost = epochCost(ConfigJson.withOverrides(cfg, c.overrides()), cfg);
            rungCost += cost;
            maxCost = Math.max(maxCost, cost);
        }
        rungCost += (candidates.size() + 1) / 2 * maxCost;
        return (int) Math.max(1, Math.min((cfg.seq().minEpochs() + cfg.seq().patience()) / 5,
                Math.floor(budget / 2 / rungCost)));
    }

    /** An epoch of {@code candidate} in epochs of {@code base}: the ratio of their embedding sizes. */
    private static double epochCost(RunConfig candidate, RunConfig base) {
        return (double) candidate.model().sequence().embeddingDim() / base.model().sequence().embeddingDim();
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
