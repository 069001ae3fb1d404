package org.recsysrl.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.ope.sequential.ActionDistribution;
import org.recsysrl.ope.sequential.FittedQEvaluation;
import org.recsysrl.ope.sequential.SequentialEstimators;
import org.recsysrl.ope.sequential.TrajectoryDoublyRobust;
import org.recsysrl.ope.sequential.WeightedDoublyRobust;
import org.recsysrl.ope.sequential.WeightedTrajectory;
import org.recsysrl.util.NonFiniteException;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * A multi-step learner from logged trajectories: approximate policy iteration whose evaluation step
 * is fitted-Q evaluation on the log and whose improvement step fits the policy network to a softmax
 * over the fitted Q (soft policy iteration).
 *
 * <p>Iteration k (policy π_k, the network's softmax; π_0 the network as given):
 * <ol>
 *   <li><b>Evaluate</b>: Q̂_k = fitted-Q evaluation of π_k on the training trajectories
 *       ({@link FittedQEvaluation}, the linear model of {@code ope --multi-step}, bounded, one fold,
 *       discount γ).</li>
 *   <li><b>Improve</b>: at every training step's state, the target distribution
 *       π_{k+1}(a|s) ∝ exp(η Q̂_k(s, a) / σ_k), σ_k the mean spread (standard
 *       deviation over the actions) of Q̂_k on the training states; the network's actor is trained
 *       by minibatch Adam on the cross-entropy to these targets (gradient π − target with respect
 *       to the logits), early-stopped after {@link Settings#patience} epochs without a lower
 *       held-out cross-entropy or after {@link Settings#epochs}, keeping its best epoch. Matching a
 *       target rather than following the policy gradient of Σ_a π(a|s) Q̂(s, a) keeps the step from
 *       stalling once the softmax saturates on a myopic action.</li>
 *   <li><b>Judge</b>: the multi-step doubly robust estimate (per-decision, {@link TrajectoryDoublyRobust})
 *       of π_{k+1}'s discounted return on the held-out trajectories, with its own cross-fitted
 *       fitted-Q model (two folds), as {@code ope --multi-step} computes it.</li>
 * </ol>
 * After {@link Settings#iterations} iterations the model ends with the policy of the best held-out
 * multi-step DR estimate (the initial policy included). Deterministic given the seed.
 */
public final class FittedQPolicyIteration {
    /** The algorithm name of the checkpoints it writes. */
    public static final String ID = "offpolicy-fqi";

    /**
     * The learner's settings.
     *
     * @param gamma the discount γ of the return it maximises, in [0, 1)
     * @param iterations policy iterations (evaluate, improve, judge)
     * @param step η, the inverse temperature of the improvement: π_{k+1} ∝ exp(η Q̂_k / σ_k), σ_k the mean
     *     spread of Q̂_k over the actions (larger: greedier)
     * @param epochs the most passes over the training rows per improvement step
     * @param patience epochs without a better held-out objective before an improvement step stops
     * @param batchSize minibatch rows
     * @param learningRate Adam's step size
     * @param heldOutShare the share of the log's rows (whole trajectories) held out
     * @param ridge the value model's per-action ridge λ
     * @param seed the split's, the shuffles' and (outside) the initialisation's seed
     * @param loggerMixes the trust region's grid: for each share α, one run of the policy iteration whose
     *     improvement targets are (1 − α) × the softmax over Q̂ + α × the logged action, so that the network
     *     fits the mixture (1 − α) π_soft + α μ with the logging policy μ; {0} is the plain learner
     * @param selection what picks the kept policy among every run's iterations
     * @param minEss the effective sample size an iteration's held-out trajectory weights need, as a share
     *     of the held-out trajectories, to be kept (0: any); the initial policy is kept when none has it
     */
    public record Settings(double gamma, int iterations, double step, int epochs, int patience, int batchSize, double learningRate,
            double heldOutShare, double ridge, long seed, double[] loggerMixes, Selection selection,
            double minEss) {
        public Settings {
            if (loggerMixes == null || loggerMixes.length == 0) {
                throw new UserInputException("learn.logger_mix needs at least one share in [0, 1), e.g. learn.logger_mix=0");
            }
            for (double mix : loggerMixes) {
                if (!(mix >= 0 && mix < 1)) {
                    throw new UserInputException("learn.logger_mix shares must be in [0, 1) (got " + mix + ")");
                }
            }
            loggerMixes = loggerMixes.clone();
            if (selection == null) {
                throw new IllegalArgumentException("no selection rule");
            }
            if (!(minEss >= 0 && minEss <= 1)) {
                throw new UserInputException("learn.min_ess must be a share of the held-out trajectories in [0, 1] (got "
                        + minEss + ")");
            }
            if (!(gamma >= 0 && gamma < 1)) {
                throw new UserInputException("learn.gamma must be in [0, 1) (got " + gamma + ")");
            }
            if (iterations < 1 || epochs < 1 || patience < 1 || batchSize < 1) {
                throw new UserInputException("learn.iterations, learn.epochs, learn.patience and learn.batch_size must"
                        + " be at least 1");
            }
            if (!(step > 0) || Double.isInfinite(step)) {
                throw new UserInputException("learn.step must be a positive number (got " + step + ")");
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new UserInputException("learn.lr must be a positive number (got " + learningRate + ")");
            }
            if (!(ridge > 0) || Double.isInfinite(ridge)) {
                throw new UserInputException("learn.ridge must be a positive number (got " + ridge + ")");
            }
        }

        /**
         * The defaults: γ 0.9, 3 iterations of step 5 (with tens of actions a softmax at η = 1 of
         * Q̂ / σ is nearly uniform) and at most 10 epochs, patience 3, batches of 256, lr 1e-3, 20 %
         * held out, ridge 1.
         */
        public static Settings defaults(long seed) {
            return new Settings(0.9, 3, 5.0, 10, 3, 256, 1e-3, 0.2, 1.0, seed, new double[] {0}, Selection.DR, 0);
        }

        /** These settings with the trust region's grid {@code mixes}, the rule {@code rule} and the ESS floor {@code share}. */
        public Settings withTrustRegion(double[] mixes, Selection rule, double share) {
            return new Settings(gamma, iterations, step, epochs, patience, batchSize, learningRate, heldOutShare, ridge,
                    seed, mixes, rule, share);
        }
    }

    /** What picks the kept policy among the iterations (the initial policy included), on the held-out trajectories. */
    public enum Selection {
        /** The largest multi-step DR estimate. */
        DR("dr"),
        /**
         * The largest one-sided 95 % lower bound of the multi-step DR estimate, mean − 1.645 × its
         * standard error over the trajectories ({@link #lowerBound}): pessimistic about a policy whose
         * estimate rests on a few heavily weighted trajectories.
         */
        DR_LOWER("dr-lower");

        private final String id;

        Selection(String id) {
            this.id = id;
        }

        /** The name {@code learn.select} takes. */
        public String id() {
            return id;
        }

        /** The rule named {@code id}, or null. */
        public static Selection find(String id) {
            for (Selection s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            return null;
        }
    }

    /**
     * One iteration's outcome.
     *
     * @param index 0 for the initial policy, k for the policy after the k-th improvement
     * @param loggerMix the trust region's share α of its run (0 for the initial policy)
     * @param epochs the improvement step's epochs run (0 for the initial policy)
     * @param heldOutDr the multi-step DR estimate of the policy's discounted return on the held-out trajectories
     * @param heldOutDrLower its one-sided 95 % lower bound ({@link #lowerBound})
     * @param heldOutWdr the weighted DR estimate there
     * @param ess the effective sample size of the held-out whole-trajectory weights
     */
    public record Iteration(int index, double loggerMix, int epochs, double heldOutDr, double heldOutDrLower,
            double heldOutWdr, double ess) {
        /** The figure {@code rule} ranks by. */
        public double score(Selection rule) {
            return rule == Selection.DR_LOWER ? heldOutDrLower : heldOutDr;
        }
    }

    /**
     * What training gave.
     *
     * @param chosen the iteration whose parameters the model now holds
     * @param iterations every iteration, the initial policy first
     * @param loggerHeldOut the held-out trajectories' mean discounted return: the logger's value there
     * @param steps training rows processed
     */
    public record Result(Iteration chosen, List<Iteration> iterations, double loggerHeldOut, long steps, int trainRows,
            int heldOutRows) {
    }

    private final Settings settings;
    private final Consumer<String> progress;

    public FittedQPolicyIteration(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Trains {@code model}'s actor on {@code data}'s trajectories; the model ends with the chosen
     * iteration's parameters.
     *
     * @throws UserInputException if the log's rows lack a session or step, or the model is not a single-item policy
     * @throws NonFiniteException if a loss becomes NaN or infinite
     */
    public Result train(ActorCritic model, LoggedBandit data) {
        OffPolicyLearner.requireFits(model, data);
        LoggedBandit.Split split = data.split(settings.heldOutShare(), settings.seed());
        LoggedSteps train = LoggedSteps.of(data, split.train());
        LoggedSteps held = LoggedSteps.of(data, split.heldOut());
        FittedQEvaluation.Design trainDesign = FittedQEvaluation.design(train.trajectories(), data.actionCount(), null, 0,
                1, settings.ridge(), FittedQEvaluation.POOLED_RIDGE);
        FittedQEvaluation.Design heldDesign = FittedQEvaluation.design(held.trajectories(), data.actionCount(), null, 0,
                Math.min(2, held.trajectories().size()), settings.ridge(), FittedQEvaluation.POOLED_RIDGE);
        double loggerValue = held.meanReturn(settings.gamma());
        List<Iteration> iterations = new ArrayList<>();
        Iteration initial = judge(model, held, heldDesign, 0, 0, 0);
        iterations.add(initial);
        progress.accept(String.format(Locale.ROOT, "%s: %d training rows in %d trajectories, %d held out in %d (%d"
                + " actions, γ = %s); logger's held-out discounted return %.5f; initial policy: held-out DR %.5f"
                + " (lower bound %.5f)", ID, train.rows().length, train.trajectories().size(), held.rows().length,
                held.trajectories().size(), data.actionCount(), settings.gamma(), loggerValue, initial.heldOutDr(),
                initial.heldOutDrLower()));
        float[] start = model.parameters().data().clone();
        Kept kept = new Kept(initial, start.clone());
        long steps = 0;
        for (double mix : settings.loggerMixes()) {
            System.arraycopy(start, 0, model.parameters().data(), 0, start.length);
            if (settings.loggerMixes().length > 1 || mix > 0) {
                progress.accept(String.format(Locale.ROOT, "trust region: targets mixed with the logged action, α = %s",
                        mix));
            }
            steps += policyIteration(model, data, new Sets(train, held, trainDesign, heldDesign), mix, iterations, kept);
        }
        System.arraycopy(kept.params, 0, model.parameters().data(), 0, kept.params.length);
        if (settings.loggerMixes().length > 1 || settings.selection() != Selection.DR || settings.minEss() > 0) {
            progress.accept(String.format(Locale.ROOT, "kept α = %s, iteration %d by %s: held-out DR %.5f (lower bound"
                    + " %.5f, ESS %.1f; floor %.1f)", kept.iteration.loggerMix(), kept.iteration.index(),
                    settings.selection().id(), kept.iteration.heldOutDr(), kept.iteration.heldOutDrLower(),
                    kept.iteration.ess(), settings.minEss() * held.trajectories().size()));
        }
        return new Result(kept.iteration, iterations, loggerValue, steps, train.rows().length, held.rows().length);
    }

    /** The training and held-out steps and their value-model designs. */
    private record Sets(LoggedSteps train, LoggedSteps held, FittedQEvaluation.Design trainDesign,
            FittedQEvaluation.Design heldDesign) {
    }

    /** The best iteration so far by the selection rule, and its parameters. */
    private static final class Kept {
        Iteration iteration;
        final float[] params;

        Kept(Iteration iteration, float[] params) {
            this.iteration = iteration;
            this.params = params;
        }
    }

    /**
     * One run of {@link Settings#iterations} iterations from the model's current parameters with the
     * trust region's share {@code mix}; each iteration is added to {@code iterations} and replaces
     * {@code kept} when the selection rule ranks it higher. Returns the training rows processed.
     */
    private long policyIteration(ActorCritic model, LoggedBandit data, Sets sets, double mix, List<Iteration> iterations,
            Kept kept) {
        long steps = 0;
        for (int k = 1; k <= settings.iterations(); k++) {
            List<ActionDistribution[]> current = sets.train().distributions(model);
            FittedQEvaluation q = sets.trainDesign().fit(current, settings.gamma(), 0);
            ImprovementTargets trainRows = ImprovementTargets.of(q, sets.train(), current, settings.step(), Double.NaN,
                    mix);
            ImprovementTargets heldRows = ImprovementTargets.of(q, sets.held(), sets.held().distributions(model),
                    settings.step(), trainRows.spread(), mix);
            Improvement improvement = improve(model, data, trainRows, heldRows, k);
            steps += improvement.steps();
            Iteration it = judge(model, sets.held(), sets.heldDesign(), k, mix, improvement.epochs());
            iterations.add(it);
            boolean better = replaces(it, kept.iteration, settings.selection(),
                    settings.minEss() * sets.held().trajectories().size());
            progress.accept(String.format(Locale.ROOT, "iteration %d: Q̂ spread %.5g, %d epochs, held-out cross-entropy"
                    + " %.5f; held-out multi-step DR %.5f (lower bound %.5f), WDR %.5f (ESS %.1f)%s", k,
                    trainRows.spread(), improvement.epochs(), improvement.heldOut(), it.heldOutDr(),
                    it.heldOutDrLower(), it.heldOutWdr(), it.ess(), better ? " *" : ""));
            if (better) {
                kept.iteration = it;
                System.arraycopy(model.parameters().data(), 0, kept.params, 0, kept.params.length);
            }
        }
        return steps;
    }

    /** The multi-step DR (with its lower bound) and WDR of the model's softmax policy on the held-out trajectories. */
    private Iteration judge(ActorCritic model, LoggedSteps held, FittedQEvaluation.Design heldDesign, int index,
            double mix, int epochs) {
        List<WeightedTrajectory> weighed = heldDesign.weigh(held.distributions(model), settings.gamma());
        TrajectoryDoublyRobust dr = new TrajectoryDoublyRobust();
        double[] terms = new double[weighed.size()];
        int[] one = new int[1];
        for (int i = 0; i < terms.length; i++) {
            one[0] = i;
            terms[i] = dr.estimate(weighed, one, settings.gamma());
        }
        double value = SequentialEstimators.estimate(dr, weighed, settings.gamma(), 0, 0).value();
        double wdr = SequentialEstimators.estimate(new WeightedDoublyRobust(), weighed, settings.gamma(), 0, 0).value();
        return new Iteration(index, mix, epochs, value, lowerBound(terms), wdr,
                SequentialEstimators.effectiveSampleSize(weighed));
    }

    /**
     * Whether {@code candidate} replaces the {@code kept} iteration: its held-out ESS is at least
     * {@code essFloor} (trajectories), and either the kept one's is not (the initial network is kept
     * first whatever its ESS, so an estimate the weights do not carry must not outrank one they do)
     * or {@code rule} ranks the candidate strictly higher.
     */
    static boolean replaces(Iteration candidate, Iteration kept, Selection rule, double essFloor) {
        if (candidate.ess() < essFloor) {
            return false;
        }
        return kept.ess() < essFloor || candidate.score(rule) > kept.score(rule);
    }

    /** The one-sided 95 % normal quantile of {@link #lowerBound}. */
    static final double LOWER_BOUND_Z = 1.645;

    /**
     * The one-sided 95 % lower confidence bound of the mean of {@code terms} (each trajectory's term
     * of the DR sum, independent units): mean − 1.645 × s / √n, s the sample standard deviation
     * (n − 1); the mean itself for fewer than two terms.
     */
    static double lowerBound(double[] terms) {
        int n = terms.length;
        double mean = 0;
        for (double t : terms) {
            mean += t / n;
        }
        if (n < 2) {
            return n == 0 ? Double.NaN : mean;
        }
        double ss = 0;
        for (double t : terms) {
            ss += (t - mean) * (t - mean);
        }
        return mean - LOWER_BOUND_Z * Math.sqrt(ss / (n - 1) / n);
    }

    private record Improvement(int epochs, double heldOut, long steps) {
    }

    /** One improvement step: Adam on the cross-entropy to the targets, early-stopped on the held-out cross-entropy. */
    private Improvement improve(ActorCritic model, LoggedBandit data, ImprovementTargets train,
            ImprovementTargets held, int k) {
        float[] params = model.parameters().data();
        ActorEpochs epochs = new ActorEpochs(model, data, settings.batchSize(), settings.learningRate());
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Rng shuffle = Rng.stream(settings.seed(), 30 + k);
        float[] best = params.clone();
        double bestScore = -held.meanLoss(model, data);
        int bestEpoch = 0;
        int epoch = 0;
        while (epoch < settings.epochs() && epoch - bestEpoch < settings.patience()) {
            epoch++;
            double lossSum = epochs.epoch(order, shuffle, train::row, train::loss);
            NonFiniteException.requireFinite("the " + ID + " loss", lossSum);
            double score = -held.meanLoss(model, data);
            if (score > bestScore) {
                bestScore = score;
                bestEpoch = epoch;
                System.arraycopy(params, 0, best, 0, params.length);
            }
        }
        System.arraycopy(best, 0, params, 0, params.length);
        return new Improvement(epoch, -bestScore, epochs.steps());
    }

    /**
     * The improvement step's targets: per logged step (in trajectory order) the distribution
     * π_{k+1}(a|s) ∝ exp(η Q̂_k(s, a) / σ_k), σ_k the mean over the steps of the
     * spread (standard deviation over the actions) of Q̂_k(s, ·), so that η is free of the reward's
     * scale.
     */
    static final class ImprovementTargets {
        private final LoggedSteps steps;
        private final double[] targets;
        private final int n;
        private final double spread;

        private ImprovementTargets(LoggedSteps steps, double[] targets, int n, double spread) {
            this.steps = steps;
            this.targets = targets;
            this.n = n;
            this.spread = spread;
        }

        /**
         * The targets on {@code steps} from the model {@code q} of the current policy {@code policy};
         * {@code spread} σ_k (NaN: measured on these steps).
         */
        static ImprovementTargets of(FittedQEvaluation q, LoggedSteps steps, List<ActionDistribution[]> policy,
                double step, double spread, double mix) {
            int n = policy.isEmpty() ? 0 : policy.get(0)[0].actionCount();
            int count = steps.rows().length;
            double[] values = new double[count * n];
            double spreadSum = 0;
            int s = 0;
            for (double[][] x : steps.features()) {
                for (int t = 0; t < x.length; t++, s++) {
                    double mean = 0;
                    for (int a = 0; a < n; a++) {
                        values[s * n + a] = q.q(x[t], a);
                        mean += values[s * n + a] / n;
                    }
                    double var = 0;
                    for (int a = 0; a < n; a++) {
                        double dev = values[s * n + a] - mean;
                        var += dev * dev / n;
                    }
                    spreadSum += Math.sqrt(var);
                }
            }
            double sigma = !Double.isNaN(spread) ? spread : count == 0 || !(spreadSum > 0) ? 1 : spreadSum / count;
            s = 0;
            double[] logits = new double[n];
            for (int i = 0; i < policy.size(); i++) {
                int[] logged = steps.trajectories().get(i).actions();
                for (int t = 0; t < logged.length; t++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int a = 0; a < n; a++) {
                        logits[a] = step * values[s * n + a] / sigma;
                        max = Math.max(max, logits[a]);
                    }
                    double sum = 0;
                    for (int a = 0; a < n; a++) {
                        values[s * n + a] = Math.exp(logits[a] - max);
                        sum += values[s * n + a];
                    }
                    for (int a = 0; a < n; a++) {
                        values[s * n + a] = (1 - mix) * values[s * n + a] / sum;
                    }
                    values[s * n + logged[t]] += mix;
                    s++;
                }
            }
            return new ImprovementTargets(steps, values, n, sigma);
        }

        int size() {
            return steps.rows().length;
        }

        /** σ_k. */
        double spread() {
            return spread;
        }

        /** The log's row of step {@code s}. */
        int row(int s) {
            return steps.rows()[s];
        }

        /** The target probability of action {@code a} at step {@code s}. */
        double target(int s, int a) {
            return targets[s * n + a];
        }

        /** The cross-entropy loss of step {@code s} (its gradient, × {@code scale}, into {@code grad}). */
        double loss(int s, double[] probs, int offset, float[] grad, int gradOffset, double scale) {
            return crossEntropy(probs, offset, n, targets, s * n, grad, gradOffset, scale);
        }

        /** The mean cross-entropy of the model's policy against the targets on these steps. */
        double meanLoss(ActorCritic model, LoggedBandit data) {
            int d = data.contextDim();
            int batch = 256;
            ActorCritic.Workspace ws = model.newWorkspace(batch);
            float[] obs = new float[batch * d];
            double[] probs = new double[batch * n];
            float[] scratch = new float[batch * n];
            double sum = 0;
            for (int from = 0; from < size(); from += batch) {
                int b = Math.min(batch, size() - from);
                for (int j = 0; j < b; j++) {
                    data.context(row(from + j), obs, j * d);
                }
                model.policy(ws, obs, b);
                float[] p = ws.probs();
                for (int j = 0; j < b * n; j++) {
                    probs[j] = p[j];
                }
                for (int j = 0; j < b; j++) {
                    sum += loss(from + j, probs, j * n, scratch, j * n, 0);
                }
            }
            return size() == 0 ? 0 : sum / size();
        }
    }

    /**
     * The cross-entropy −Σ_a t_a log π(a) of the softmax policy {@code probs} against the target
     * {@code target}, with {@code scale} × its gradient with respect to the logits, π − t, written to
     * {@code grad[gradOffset .. gradOffset + n)}.
     */
    static double crossEntropy(double[] probs, int offset, int n, double[] target, int targetOffset, float[] grad,
            int gradOffset, double scale) {
        double loss = 0;
        for (int a = 0; a < n; a++) {
            double t = target[targetOffset + a];
            if (t > 0) {
                loss -= t * Math.log(Math.max(probs[offset + a], 1e-300));
            }
            grad[gradOffset + a] = (float) (scale * (probs[offset + a] - t));
        }
        return loss;
    }
}
