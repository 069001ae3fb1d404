package org.recsysrl.model;

import java.io.PrintStream;
import java.util.Locale;
import org.recsysrl.baselines.MarkovChain;
import org.recsysrl.config.SequenceModelConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.data.Interactions;
import org.recsysrl.eval.EvalTask;
import org.recsysrl.eval.FullRankingEvaluator;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.eval.RankingSetup;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.seq.MarkovMixture;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.seq.SequenceRecommender;
import org.recsysrl.seq.SequenceSpec;
import org.recsysrl.seq.TransitionTable;
import org.recsysrl.util.Parallel;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.LogData;

/**
 * Sequence models as checkpoints hold them: the architecture of a config, the model rebuilt from
 * a checkpoint, the metadata keys training on logs writes, and what a checkpoint recommends with
 * (the network mixed with first-order transitions, weight α chosen on validation;
 * {@link MarkovMixture}).
 */
public final class SequenceModels {
    /** Metadata keys of checkpoints trained on logs. */
    public static final String BEST_EPOCH = "sequence.best_epoch";
    public static final String VALIDATION = "sequence.validation";
    public static final String VALIDATION_METRIC = "sequence.validation_metric";
    /** Metadata key of the chosen transition weight α (absent in checkpoints of earlier versions). */
    public static final String MARKOV_MIX = "sequence.markov_mix";
    /** Popularity back-off β of the transition model mixed in (the {@code markov} baseline's smallest grid point). */
    public static final double TRANSITION_BACKOFF = 0.01;

    private SequenceModels() {
    }

    /** The architecture for a log of {@code items} items, trained by {@code algo} (sa2c adds the Q head). */
    public static SequenceSpec spec(SequenceModelConfig m, int items, String algo) {
        Algorithm a = Algorithm.find(algo);
        return new SequenceSpec(m.encoder(), items, m.maxSeqLen(), m.embeddingDim(), m.blocks(),
                m.heads(), m.dropout(), m.tieEmbeddings(), a != null && a.offlineActorCritic());
    }

    /**
     * Chooses α from {@link MarkovMixture#ALPHAS} by the validation metric of the mixture of the
     * model (its current parameters) with the transitions of the training part; ties go to the
     * smaller α. Prints one line with every value.
     */
    public static double chooseMix(SequenceModel model, String algo, LogData data, EvalTask validation,
            RankingSetup setup, int threads, String metric, PrintStream out) {
        Recommender network = recommender(model, algo);
        Recommender transitions = transitions(data.split().trainPart());
        StringBuilder line = new StringBuilder("markov mix on validation " + metric + ":");
        double best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (double alpha : MarkovMixture.ALPHAS) {
            Recommender r = alpha == 0 ? network : new MarkovMixture(network, transitions, alpha, "mix");
            double value = FullRankingEvaluator.evaluate(r, validation, setup, threads, null).mean(metric);
            line.append(String.format(Locale.ROOT, " %s: %.4f", mixText(alpha), value));
            if (value > bestValue) {
                bestValue = value;
                best = alpha;
            }
        }
        out.println(line.append("; chose ").append(mixText(best)));
        return best;
    }


    /** First-order transition counts of {@code data}, backed off to popularity ({@link #TRANSITION_BACKOFF}). */
    public static Recommender transitions(Interactions data) {
        FitContext context = new FitContext(1, 0, false, false);
        return new MarkovChain().prepare(data, context).fit(Hyperparameters.of("beta", TRANSITION_BACKOFF));
    }


    /**
     * What a checkpoint recommends with: the network alone when α = 0, else its mixture with the
     * transitions of {@code transitionData}, named e.g. {@code supervised-attention+markov}.
     */
    public static Recommender served(SequenceModel model, String algo, double alpha, Interactions transitionData) {
        SequenceRecommender network = recommender(model, algo);
        return alpha == 0 ? network
                : new MarkovMixture(network, transitions(transitionData), alpha, network.name() + "+markov");
    }


    /**
     * What a checkpoint recommends with, from the transitions it stores ({@link LogServing}): the
     * network alone when α = 0, else its mixture with {@code transitions}.
     *
     * @throws UserInputException if α > 0 and the checkpoint stores no transitions (a damaged file)
     */
    public static Recommender served(SequenceModel model, String algo, double alpha, TransitionTable transitions,
            String source) {
        SequenceRecommender network = recommender(model, algo);
        if (alpha == 0) {
            return network;
        }
        if (transitions == null) {
            throw new UserInputException(source + " mixes in transitions (" + MARKOV_MIX + "=" + alpha
                    + ") but stores none: the file is damaged; retrain or pick another checkpoint");
        }
        return new MarkovMixture(network, transitions, alpha, network.name() + "+markov");
    }

    /**
     * What a checkpoint that records a blend ({@link Blends}) serves: its weights over the network,
     * its stored item tables and {@code transitions} (the whole log's, as stored).
     *
     * @throws UserInputException if the blend weights the counts but the checkpoint stores none
     */
    public static Recommender servedBlend(SequenceModel model, Checkpoint.Loaded checkpoint,
            TransitionTable transitions) {
        Blends.Stored blend = Blends.read(checkpoint);
        if (transitions == null && (blend.weights()[1] > 0 || blend.weights()[4] > 0)) {
            throw new UserInputException("checkpoint " + checkpoint.path() + " blends in transition counts ("
                    + blend.describe() + ") but stores none: the file is damaged; retrain or pick another checkpoint");
        }
        SequenceRecommender network = recommender(model, checkpoint.info().algorithm());
        return blend.recommender(network, transitions, network.name() + "+blend");
    }

    /**
     * The α a checkpoint recommends with: the stored one; for a checkpoint without one (written
     * before the mixture existed, or interrupted before the choice), a fixed {@code seq.markov_mix}
     * or, with {@code auto}, the choice on validation made now (reported on {@code out}).
     */
    public static double mixOf(Checkpoint.Loaded loaded, SequenceModel model, RunConfig cfg, LogData data,
            PrintStream out) {
        double fixed = fixedMix(loaded, cfg);
        if (!Double.isNaN(fixed)) {
            return fixed;
        }
        OfflineBenchmark.Settings s = LogData.settings(cfg.eval());
        EvalTask validation = data.split().validationTask(s.excludeKnown());
        if (validation.size() == 0) {
            return 0;
        }
        out.println("checkpoint " + loaded.path() + " stores no markov mix; choosing it on validation");
        return chooseMix(model, loaded.info().algorithm(), data, validation, OfflineBenchmark.setup(data.split(), s),
                Parallel.threads(cfg.seq().threads()), s.tuneKey(), out);
    }

    /**
     * The α a checkpoint recommends with when no data is needed to know it: the stored one, or a
     * fixed {@code seq.markov_mix}; NaN when it must be chosen on validation ({@link #mixOf}).
     *
     * @throws UserInputException if the stored value is not a number in [0, 1]
     */
    public static double fixedMix(Checkpoint.Loaded loaded, RunConfig cfg) {
        String stored = loaded.info().extra().get(MARKOV_MIX);
        if (stored != null) {
            try {
                double alpha = Double.parseDouble(stored);
                if (alpha >= 0 && alpha <= 1) {
                    return alpha;
                }
            } catch (NumberFormatException e) {
                // fall through to the refusal below
            }
            throw new UserInputException("checkpoint " + loaded.path() + ": " + MARKOV_MIX + "=" + stored
                    + " is not a number in [0, 1]; the file is damaged: train again");
        }
        return cfg.seq().markovMixAuto() ? Double.NaN : cfg.seq().markovMixValue();
    }


    /** {@code alpha=0.25}: how lines name a mixture weight. */
    public static String mixText(double alpha) {
        return String.format(Locale.ROOT, "alpha=%.2f", alpha);
    }


    /** Rebuilds the model a checkpoint trained on logs holds, for a log of {@code items} items. */
    public static SequenceModel load(Checkpoint.Loaded loaded, RunConfig cfg, int items) {
        SequenceModel model = new SequenceModel(spec(cfg.model().sequence(), items, loaded.info().algorithm()));
        loaded.loadInto(model.store());
        return model;
    }


    /** The model as a recommender named after its algorithm and encoder, e.g. {@code sa2c-attention}. */
    public static SequenceRecommender recommender(SequenceModel model, String algo) {
        return new SequenceRecommender(model, algo + "-" + model.spec().encoder().id());
    }
}
