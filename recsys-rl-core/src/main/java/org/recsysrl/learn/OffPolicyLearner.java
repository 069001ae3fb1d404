package org.recsysrl.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.ope.model.RidgeRewardModel;
import org.recsysrl.util.NonFiniteException;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * Learns a softmax policy from logged bandit feedback: the actor of an {@link ActorCritic} (the
 * environment's own encoder and head; the critic is left as initialised) trained by minibatch Adam
 * on a {@link BanditObjectives} loss over the training part of a {@link LoggedBandit}, with early
 * stopping on an off-policy estimate of the policy's value on the held-out part.
 *
 * <ul>
 *   <li>{@link Objective#BANDITNET}: one run per λ of the grid (by default the training rows' mean
 *       reward × 0, 0.5, 1 and 1.5); each run keeps the epoch with the best held-out SNIPS
 *       estimate, and the λ whose kept policy has the best held-out SNIPS wins.</li>
 *   <li>{@link Objective#DOUBLY_ROBUST}: one run on the doubly robust loss with a ridge reward
 *       model (per action on [1, context], shrunk to a pooled fit; {@link RidgeRewardModel}) fitted
 *       on the training rows; it keeps the epoch with the best held-out DR estimate.</li>
 * </ul>
 *
 * A run stops after {@link Settings#patience} epochs without a better held-out estimate, or after
 * {@link Settings#epochs}. Deterministic given the seed.
 */
public final class OffPolicyLearner {
    /** The loss a learner minimises. */
    public enum Objective {
        /** λ-translated IPS, λ chosen by held-out SNIPS (Joachims et al. 2018). */
        BANDITNET("banditnet"),
        /** The doubly robust value with a ridge reward model. */
        DOUBLY_ROBUST("offpolicy-dr");

        private final String id;

        Objective(String id) {
            this.id = id;
        }

        /** The algorithm name of the checkpoints it writes. */
        public String id() {
            return id;
        }
    }

    /**
     * The learner's settings.
     *
     * @param lambdas BanditNet's λ grid, or null for the training mean reward × 0, 0.5, 1, 1.5
     * @param epochs the most passes over the training rows per run
     * @param patience epochs without a better held-out estimate before a run stops
     * @param batchSize rows per Adam step
     * @param learningRate Adam's step size
     * @param heldOutShare the share of the log's rows (whole sessions) held out for early stopping and λ
     * @param ridge the reward model's ridge λ (pooled and per action)
     * @param seed the split's, the shuffles' and (outside) the initialisation's seed
     */
    public record Settings(Objective objective, double[] lambdas, int epochs, int patience, int batchSize,
            double learningRate, double heldOutShare, double ridge, long seed) {
        public Settings {
            if (epochs < 1 || patience < 1 || batchSize < 1) {
                throw new UserInputException("learn.epochs, learn.patience and learn.batch_size must be at least 1");
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new UserInputException("learn.lr must be a positive number (got " + learningRate + ")");
            }
            if (!(ridge > 0) || Double.isInfinite(ridge)) {
                throw new UserInputException("learn.ridge must be a positive number (got " + ridge + ")");
            }
            lambdas = lambdas == null ? null : lambdas.clone();
        }

        /** The defaults for {@code objective}: 30 epochs, patience 4, batches of 256, lr 1e-3, 20 % held out, ridge 1. */
        public static Settings defaults(Objective objective, long seed) {
            return new Settings(objective, null, 30, 4, 256, 1e-3, 0.2, 1.0, seed);
        }
    }

    /**
     * Off-policy estimates of the policy's value on rows of a log.
     *
     * @param ess the effective sample size (Σw)² / Σw²
     * @param meanWeight Σw / n, near 1 for a policy the log supports
     */
    public record Estimates(double ips, double snips, double dr, double ess, double meanWeight, int rows) {
        /** The estimate the objective stops on: SNIPS for BanditNet, DR for the doubly robust loss. */
        double criterion(Objective objective) {
            return objective == Objective.BANDITNET ? snips : dr;
        }
    }

    /** One run: its λ (NaN for DR), the best epoch and the held-out estimates there. */
    public record Run(double lambda, int bestEpoch, int epochs, Estimates heldOut) {
    }

    /**
     * What training gave.
     *
     * @param chosen the run whose parameters the model now holds
     * @param runs every run, in grid order
     * @param loggerHeldOut the held-out rows' mean reward: the logging policy's value there
     * @param steps training rows processed (over every run)
     */
    public record Result(Run chosen, List<Run> runs, double loggerHeldOut, Estimates initial, long steps,
            int trainRows, int heldOutRows) {
    }

    private final Settings settings;
    private final Consumer<String> progress;

    public OffPolicyLearner(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Trains {@code model}'s actor on {@code data}; the model ends with the chosen run's best
     * parameters.
     *
     * @throws NonFiniteException if a loss or a parameter becomes NaN or infinite
     */
    public Result train(ActorCritic model, LoggedBandit data) {
        requireFits(model, data);
        return trainOn(model, new BanditFeedback(data));
    }

    /**
     * Trains {@code model}'s Plackett–Luce slate actor on the slates of {@code data} with the
     * per-position losses of {@link SlateObjectives} (the independence assumption); the model ends
     * with the chosen run's best parameters.
     *
     * @throws UserInputException if the model reads item histories or the slates are too many to enumerate
     * @throws NonFiniteException if a loss or a parameter becomes NaN or infinite
     */
    public Result train(ActorCritic model, LoggedSlates data) {
        SlateFeedback.requireFits(model, data);
        return trainOn(model, new SlateFeedback(data));
    }

    /**
     * What the training loop needs of a log: its rows ({@link LoggedContexts}: contexts, the split,
     * the logger's mean reward) and, once the reward model is fitted on the training rows, the rows'
     * losses and the estimates.
     */
    interface Feedback {
        /** The log's rows. */
        LoggedContexts log();

        /** Fits the reward model on the rows {@code include} marks. */
        Objectives fit(boolean[] include, double ridge);
    }

    /** A log's losses and estimates with its reward model fitted. */
    interface Objectives {
        /**
         * Row {@code r}'s loss under π = {@code probs[offset .. offset + n)}, with {@code scale} × its
         * gradient with respect to the logits written to {@code grad[gradOffset ..)}.
         */
        double loss(Objective objective, int r, double[] probs, int offset, double lambda, float[] grad, int gradOffset,
                double scale);

        /** IPS, SNIPS and DR estimates of {@code model}'s policy on {@code rows}. */
        Estimates estimate(ActorCritic model, int[] rows);
    }

    private Result trainOn(ActorCritic model, Feedback feedback) {
        LoggedContexts data = feedback.log();
        LoggedBandit.Split split = data.split(settings.heldOutShare(), settings.seed());
        boolean[] inTrain = new boolean[data.rows()];
        for (int r : split.train()) {
            inTrain[r] = true;
        }
        Objectives q = feedback.fit(inTrain, settings.ridge());
        double trainMean = data.meanReward(split.train());
        double[] lambdas = settings.objective() == Objective.BANDITNET
                ? (settings.lambdas() != null ? settings.lambdas()
                        : new double[] {0, 0.5 * trainMean, trainMean, 1.5 * trainMean})
                : new double[] {Double.NaN};
        float[] initial = model.parameters().data().clone();
        Estimates before = q.estimate(model, split.heldOut());
        progress.accept(String.format(Locale.ROOT, "%s: %d training rows, %d held out (%d actions); logger's held-out"
                + " mean reward %.5f; initial policy: held-out SNIPS %.5f, DR %.5f", settings.objective().id(),
                split.train().length, split.heldOut().length, data.actionCount(), data.meanReward(split.heldOut()),
                before.snips(), before.dr()));
        List<Run> runs = new ArrayList<>();
        float[] bestOverall = null;
        Run chosen = null;
        long steps = 0;
        for (double lambda : lambdas) {
            System.arraycopy(initial, 0, model.parameters().data(), 0, initial.length);
            RunOutcome outcome = run(model, data, split, q, lambda);
            steps += outcome.steps;
            runs.add(outcome.run);
            if (chosen == null || outcome.run.heldOut().criterion(settings.objective())
                    > chosen.heldOut().criterion(settings.objective())) {
                chosen = outcome.run;
                bestOverall = outcome.best;
            }
        }
        System.arraycopy(bestOverall, 0, model.parameters().data(), 0, bestOverall.length);
        if (lambdas.length > 1) {
            progress.accept(String.format(Locale.ROOT, "chosen λ = %.5g (held-out SNIPS %.5f)", chosen.lambda(),
                    chosen.heldOut().snips()));
        }
        return new Result(chosen, runs, data.meanReward(split.heldOut()), before, steps, split.train().length,
                split.heldOut().length);
    }

    /**
     * Refuses a model that does not read {@code data}'s contexts and actions, or that reads item
     * histories or shows slates.
     */
    static void requireFits(ActorCritic model, LoggedBandit data) {
        if (model.actionCount() != data.actionCount() || model.observationSize() != data.contextDim()) {
            throw new IllegalArgumentException("model of " + model.observationSize() + " inputs and "
                    + model.actionCount() + " actions for a log of " + data.contextDim() + " features and "
                    + data.actionCount() + " actions");
        }
        if (model.historyLength() > 0 || model.slateSize() != 1) {
            throw new UserInputException("the off-policy learner trains a policy of single items over the observation:"
                    + " set model.history_length=0 (no item history)");
        }
    }

    private record RunOutcome(Run run, float[] best, long steps) {
    }

    private RunOutcome run(ActorCritic model, LoggedContexts data, LoggedBandit.Split split, Objectives q,
            double lambda) {
        float[] params = model.parameters().data();
        ActorEpochs epochs = new ActorEpochs(model, data, settings.batchSize(), settings.learningRate());
        int[] order = split.train().clone();
        Rng shuffle = Rng.stream(settings.seed(), 22);
        float[] best = params.clone();
        Estimates bestEstimates = q.estimate(model, split.heldOut());
        double bestScore = bestEstimates.criterion(settings.objective());
        int bestEpoch = 0;
        int epoch = 0;
        String label = Double.isNaN(lambda) ? settings.objective().id()
                : String.format(Locale.ROOT, "λ = %.5g", lambda);
        while (epoch < settings.epochs() && epoch - bestEpoch < settings.patience()) {
            epoch++;
            double lossSum = epochs.epoch(order, shuffle, r -> r,
                    (r, probs, offset, grad, gradOffset, scale) -> q.loss(settings.objective(), r, probs, offset,
                            lambda, grad, gradOffset, scale));
            NonFiniteException.requireFinite("the " + settings.objective().id() + " loss", lossSum);
            Estimates e = q.estimate(model, split.heldOut());
            double score = e.criterion(settings.objective());
            boolean better = score > bestScore;
            progress.accept(String.format(Locale.ROOT, "%s epoch %d: training loss %.5f; held-out IPS %.5f, SNIPS %.5f,"
                    + " DR %.5f (ESS %.0f, mean weight %.3f)%s", label, epoch, lossSum / order.length, e.ips(), e.snips(),
                    e.dr(), e.ess(), e.meanWeight(), better ? " *" : ""));
            if (better) {
                bestScore = score;
                bestEstimates = e;
                bestEpoch = epoch;
                System.arraycopy(params, 0, best, 0, params.length);
            }
        }
        System.arraycopy(best, 0, params, 0, params.length);
        return new RunOutcome(new Run(lambda, bestEpoch, epoch, bestEstimates), best, epochs.steps());
    }

    /**
     * IPS, SNIPS and DR estimates of {@code model}'s softmax policy on {@code rows} of {@code data},
     * DR with the reward model {@code q}.
     */
    static Estimates estimate(ActorCritic model, LoggedBandit data, int[] rows, RewardQ q) {
        int n = data.actionCount();
        int d = data.contextDim();
        int batch = 256;
        ActorCritic.Workspace ws = model.newWorkspace(batch);
        float[] obs = new float[batch * d];
        double[] qRow = new double[n];
        double sumW = 0;
        double sumW2 = 0;
        double sumWr = 0;
        double sumDr = 0;
        for (int from = 0; from < rows.length; from += batch) {
            int b = Math.min(batch, rows.length - from);
            for (int k = 0; k < b; k++) {
                data.context(rows[from + k], obs, k * d);
            }
            model.policy(ws, obs, b);
            float[] p = ws.probs();
            for (int k = 0; k < b; k++) {
                int r = rows[from + k];
                int a = data.action(r);
                double w = p[k * n + a] / data.propensity(r);
                q.row(r, qRow);
                double v = 0;
                for (int j = 0; j < n; j++) {
                    v += p[k * n + j] * qRow[j];
                }
                sumW += w;
                sumW2 += w * w;
                sumWr += w * data.reward(r);
                sumDr += v + w * (data.reward(r) - qRow[a]);
            }
        }
        int m = rows.length;
        return new Estimates(sumWr / m, sumW > 0 ? sumWr / sumW : 0, sumDr / m, sumW2 > 0 ? sumW * sumW / sumW2 : 0,
                sumW / m, m);
    }

    /** A single-item log for the training loop: {@link BanditObjectives} and {@link #estimate}. */
    private record BanditFeedback(LoggedBandit log) implements Feedback {
        @Override
        public Objectives fit(boolean[] include, double ridge) {
            RewardQ q = RewardQ.fit(log, include, ridge);
            double[] qRow = new double[log.actionCount()];
            int n = log.actionCount();
            return new Objectives() {
                @Override
                public double loss(Objective objective, int r, double[] probs, int offset, double lambda, float[] grad,
                        int gradOffset, double scale) {
                    if (objective == Objective.BANDITNET) {
                        return BanditObjectives.banditNet(probs, offset, n, log.action(r), log.reward(r),
                                log.propensity(r), lambda, grad, gradOffset, scale);
                    }
                    q.row(r, qRow);
                    return BanditObjectives.doublyRobust(probs, offset, n, log.action(r), log.reward(r),
                            log.propensity(r), qRow, 0, grad, gradOffset, scale);
                }

                @Override
                public Estimates estimate(ActorCritic model, int[] rows) {
                    return OffPolicyLearner.estimate(model, log, rows, q);
                }
            };
        }
    }

    /** The reward model q̂(x, a) of every action for a row: the ridge fit, or the training mean for actions never logged. */
    static final class RewardQ {
        private final LoggedBandit data;
        private final RidgeRewardModel model;
        private final double fallback;

        private RewardQ(LoggedBandit data, RidgeRewardModel model, double fallback) {
            this.data = data;
            this.model = model;
            this.fallback = fallback;
        }

        static RewardQ fit(LoggedBandit data, boolean[] include, double ridge) {
            double sum = 0;
            int count = 0;
            for (int r = 0; r < data.rows(); r++) {
                if (include[r]) {
                    sum += data.reward(r);
                    count++;
                }
            }
            RidgeRewardModel m = RidgeRewardModel.fit(data.log(), ridge, ridge, r -> include[r]);
            return new RewardQ(data, m, count == 0 ? 0 : sum / count);
        }

        void row(int r, double[] out) {
            for (int a = 0; a < out.length; a++) {
                int item = data.logItem(a);
                out[a] = item < 0 ? fallback : model.predict(data.log(), r, 0, item);
            }
        }
    }
}
