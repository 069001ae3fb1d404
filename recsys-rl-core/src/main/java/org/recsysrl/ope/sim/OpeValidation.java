package org.recsysrl.ope.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.estimator.ItemGroups;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.model.LogisticRewardModel;
import org.recsysrl.ope.model.RewardModel;
import org.recsysrl.ope.model.RidgeRewardModel;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.ope.sequential.ActionDistribution;
import org.recsysrl.ope.sequential.AdaptiveClippedDoublyRobust;
import org.recsysrl.ope.sequential.FittedQEvaluation;
import org.recsysrl.ope.sequential.LoggedTrajectory;
import org.recsysrl.ope.sequential.SequentialEstimate;
import org.recsysrl.ope.sequential.SequentialEstimator;
import org.recsysrl.ope.sequential.SequentialEstimators;
import org.recsysrl.ope.sequential.WeightedTrajectory;
import org.recsysrl.setup.Setup;
import org.recsysrl.setup.Platform;
import org.recsysrl.workload.Platforms;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * Off-policy estimates checked against simulator ground truth. For each log size, {@code datasets}
 * logs are played independently under the logging policy; on each, every target's value is
 * estimated by every estimator in two forms, and compared with the truth from fresh rollouts
 * ({@link GroundTruth}):
 *
 * <ul>
 *   <li>one-step: each logged step is a bandit round with its immediate reward (ips, snips, dr, dm,
 *       and sndr, switch-dr, dros of {@code ope.estimator}; the reward model is
 *       {@link FittedQEvaluation} with γ = 0), judged against the target's
 *       expected immediate reward on the logger's states;
 *   <li>multi-step: each episode is a trajectory with its discounted return (pdis, wpdis, dr, fqe),
 *       judged against the target's on-policy discounted return.
 * </ul>
 *
 * The relative error is |estimate − truth| / |truth|; reported per target, form, estimator and size
 * as its median and 90th percentile over the logs, with how often the 95 % bootstrap interval
 * covered the truth (the one-step form's bootstrap draws whole episodes, whose rounds are not
 * independent; the value model is not refitted per resample).
 */
public final class OpeValidation {
    private OpeValidation() {
    }

    /**
     * What to run.
     *
     * @param platform the platform environment's name
     * @param envSeed its catalogue and users
     * @param logger the logging policy's name and {@code loggerExploration} its exploration
     * @param targets target policies, each {@code NAME} or {@code NAME@EXPLORATION} (e.g.
     *     {@code myopic@epsilon=0.1}, {@code checkpoint:ppo.safetensors@softmax:temperature=1})
     * @param sizes logged rounds per log (whole episodes: at least this many)
     * @param datasets independent logs per size
     * @param gamma the discount of the multi-step value
     * @param ridge λ of the value model's per-action part
     * @param folds cross-fitting folds of the value model (1: fit and value on the whole log)
     * @param truthEpisodes episodes per target for the multi-step truth
     * @param truthRounds states per target for the one-step truth
     * @param resamples bootstrap resamples per estimate (0: no intervals)
     * @param seed the master seed (every log, truth and bootstrap derives from it)
     * @param weightClip c of the clipped multi-step estimators {@code cpdis} and {@code cdr}, which run
     *     only when it is finite ({@link org.recsysrl.ope.sequential.ClippedDoublyRobust})
     * @param adaptiveClip whether the multi-step estimators include {@code cdr-auto}, the clipped DR
     *     whose clip is chosen from the data ({@link AdaptiveClippedDoublyRobust})
     */
    public record Settings(String platform, long envSeed, String logger, Exploration loggerExploration,
            List<String> targets, int[] sizes, int datasets, double gamma, double ridge, int folds, int truthEpisodes,
            int truthRounds, int resamples, long seed, double weightClip, boolean adaptiveClip) {
        /** Without the adaptive clip. */
        public Settings(String platform, long envSeed, String logger, Exploration loggerExploration,
                List<String> targets, int[] sizes, int datasets, double gamma, double ridge, int folds,
                int truthEpisodes, int truthRounds, int resamples, long seed, double weightClip) {
            this(platform, envSeed, logger, loggerExploration, targets, sizes, datasets, gamma, ridge, folds,
                    truthEpisodes, truthRounds, resamples, seed, weightClip, false);
        }

        /** Without the clipped estimators. */
        public Settings(String platform, long envSeed, String logger, Exploration loggerExploration,
                List<String> targets, int[] sizes, int datasets, double gamma, double ridge, int folds,
                int truthEpisodes, int truthRounds, int resamples, long seed) {
            this(platform, envSeed, logger, loggerExploration, targets, sizes, datasets, gamma, ridge, folds,
                    truthEpisodes, truthRounds, resamples, seed, Double.POSITIVE_INFINITY);
        }

        /** The multi-step estimators this run reports: every one of {@link SequentialEstimators#all()}, then the clipped ones. */
        public List<SequentialEstimator> multiStepEstimators() {
            List<SequentialEstimator> out = new ArrayList<>(SequentialEstimators.all());
            if (Double.isFinite(weightClip)) {
                out.addAll(SequentialEstimators.clipped(weightClip));
            }
            if (adaptiveClip) {
                out.add(new AdaptiveClippedDoublyRobust());
            }
            return out;
        }
    }

    /** One target's true values. */
    public record Truth(String target, GroundTruth.Value oneStep, GroundTruth.Value multiStep) {
    }

    /**
     * The errors of one estimator for one target, form and size, over the logs.
     *
     * @param form {@code one-step} or {@code multi-step}
     * @param relativeErrors |estimate − truth| / |truth| of every log
     * @param covered logs whose 95 % interval held the truth
     * @param meanEss the mean effective sample size (trajectories, or rounds in the one-step form)
     * @param meanUnits the mean number of units (trajectories, or rounds)
     * @param signedErrors (estimate − truth) / |truth| of every log (NaN where not known, e.g. read
     *     from an older result)
     */
    public record Cell(String target, String form, String estimator, int size, double[] relativeErrors, int covered,
            double meanEss, double meanUnits, double[] signedErrors) {
        /** Without the signed errors (NaN). */
        public Cell(String target, String form, String estimator, int size, double[] relativeErrors, int covered,
                double meanEss, double meanUnits) {
            this(target, form, estimator, size, relativeErrors, covered, meanEss, meanUnits,
                    nans(relativeErrors.length));
        }

        private static double[] nans(int n) {
            double[] v = new double[n];
            Arrays.fill(v, Double.NaN);
            return v;
        }

        /** The median signed relative error: its sign says whether the estimator over- or underestimates. */
        public double medianSigned() {
            return quantile(signedErrors, 0.5);
        }

        /** The median relative error. */
        public double median() {
            return quantile(relativeErrors, 0.5);
        }

        /** The 90th percentile of the relative error. */
        public double p90() {
            return quantile(relativeErrors, 0.9);
        }
    }

    /** The whole run. */
    public record Result(Settings settings, String loggerName, List<Truth> truths, List<Cell> cells,
            List<String> warnings) {
    }

    /** Runs the validation; {@code progress} gets one line per finished log. */
    public static Result run(Settings s, Consumer<String> progress) {
        return run(s, false, progress);
    }

    /**
     * Runs the validation; with {@code otherRewardModels} the one-step form also reports DR with the
     * {@code ope} command's reward models on the logged context (no item features): {@code dr-ridge}
     * ({@link RidgeRewardModel}) and {@code dr-logistic} ({@link LogisticRewardModel} on the rewards
     * scaled to [0, 1] by the log's range).
     */
    public static Result run(Settings s, boolean otherRewardModels, Consumer<String> progress) {
        return run(s, otherRewardModels, List.of(), progress);
    }

    /**
     * As {@link #run(Settings, boolean, Consumer)}; for every spec of {@code itemFeatures} (see
     * {@link SimItemFeatures}) the one-step form also reports the marginalized estimators over that
     * item embedding, {@code mips:SPEC} and {@code mdr:SPEC} (the logs then keep the logger's whole
     * distribution at every step; single-item platforms only).
     */
    public static Result run(Settings s, boolean otherRewardModels, List<String> itemFeatures,
            Consumer<String> progress) {
        Platform platform = Platforms.get(s.platform());
        Setup setup = platform.setup(s.envSeed());
        if (s.targets().isEmpty()) {
            throw new UserInputException("--target: give at least one target policy");
        }
        if (setup.slateSize() != 1) {
            if (!itemFeatures.isEmpty()) {
                throw new UserInputException("--item-features: " + s.platform() + " shows slates; mips and mdr are"
                        + " validated on the single-item platforms");
            }
            return SlateValidation.run(s, platform, setup, progress);
        }
        List<ItemGroups> embeddings = itemFeatures.stream()
                .map(spec -> SimItemFeatures.of(s.platform(), setup, spec)).toList();
        SimPolicies policies = new SimPolicies(platform, setup, s.envSeed(), s.seed());
        ExploringPolicy logger = policies.resolve(s.logger(), s.loggerExploration(), "--policy");
        List<ExploringPolicy> targets = targets(s, policies);
        List<String> warnings = supportWarnings(logger);
        List<Truth> truths = truths(s, setup, logger, targets, progress);
        Map<String, double[]> errors = new LinkedHashMap<>(); // signed relative errors
        Map<String, int[]> covered = new LinkedHashMap<>();
        Map<String, double[]> ess = new LinkedHashMap<>();
        Map<String, double[]> units = new LinkedHashMap<>();
        for (int si = 0; si < s.sizes().length; si++) {
            int size = s.sizes()[si];
            for (int d = 0; d < s.datasets(); d++) {
                long ds = Rng.stream(s.seed(), 10_000L * (si + 1) + d).nextLong();
                boolean keepLogger = !embeddings.isEmpty();
                SimLog log = SimLogger.log(setup, logger, targets, 0, size, ds, keepLogger);
                List<LoggedTrajectory> roundList = log.roundTrajectories();
                FittedQEvaluation.Design rounds = design(roundList, setup, s);
                LoggedFeedback feedback = log.toFeedback("simulator", 0, keepLogger);
                FittedQEvaluation.Design episodes = design(log.trajectories(), setup, s);
                int[] roundEpisodes = log.roundEpisodes();
                Map<String, RewardModel> others = otherRewardModels ? otherModels(feedback, s) : Map.of();
                for (int j = 0; j < targets.size(); j++) {
                    Truth truth = truths.get(j);
                    List<ActionDistribution[]> roundDists = log.roundDistributions(j);
                    evaluate(errors, covered, ess, units, truth.target(), "one-step", size, d, s, rounds,
                            roundDists, 0, SequentialEstimators.oneStep(), truth.oneStep().mean(),
                            ds + 2 * j, roundEpisodes);
                    FittedQEvaluation[] models = foldModels(rounds, roundDists, Math.min(s.folds(), roundList.size()));
                    for (BanditEstimates.Value v : banditValues(feedback, roundList, models, roundDists, truth, others,
                            embeddings, roundEpisodes, s, ds + 2 * j)) {
                        record(errors, covered, ess, units, truth.target() + "\tone-step\t" + v.estimator() + "\t" + size,
                                d, s, v.value(), v.low(), v.high(), v.ess(), roundList.size(), truth.oneStep().mean());
                    }
                    evaluate(errors, covered, ess, units, truth.target(), "multi-step", size, d, s, episodes,
                            log.targetDistributions(j), s.gamma(), s.multiStepEstimators(),
                            truth.multiStep().mean(), ds + 2 * j + 1, null);
                }
                progress.accept(String.format(Locale.ROOT, "size %d: log %d/%d (%d rounds, %d episodes)", size, d + 1,
                        s.datasets(), log.rounds(), log.episodes().size()));
            }
        }
        return new Result(s, logger.name(), truths, cells(errors, covered, ess, units), warnings);
    }

    /**
     * The one-step estimates through the bandit estimators on one log for one target: sndr, switch-dr
     * and dros with the fitted-Q model ({@code models}), DR with each of {@code others}, and mips and
     * mdr over each item embedding; bootstrap seeds derived from {@code seed}.
     */
    private static List<BanditEstimates.Value> banditValues(LoggedFeedback feedback, List<LoggedTrajectory> roundList,
            FittedQEvaluation[] models, List<ActionDistribution[]> roundDists, Truth truth,
            Map<String, RewardModel> others, List<ItemGroups> embeddings, int[] roundEpisodes, Settings s, long seed) {
        List<BanditEstimates.Value> values = new ArrayList<>(BanditEstimates.estimate(feedback, roundList, models,
                roundDists, truth.target(), roundEpisodes, s.resamples(), seed + 7));
        for (Map.Entry<String, RewardModel> m : others.entrySet()) {
            values.add(otherModelDr(feedback, roundDists, truth, m.getValue(), m.getKey(), roundEpisodes, s,
                    seed + 9));
        }
        for (ItemGroups g : embeddings) {
            values.addAll(BanditEstimates.marginalized(feedback, roundList, models, roundDists, truth.target(), g,
                    roundEpisodes, s.resamples(), seed + 11));
        }
        return values;
    }

    /**
     * The {@code ope} command's reward models fitted on a log's rounds, by the name of their DR cell:
     * {@code dr-ridge} and {@code dr-logistic} (the logistic model on the rewards mapped to [0, 1] by
     * the log's range, {@link LogisticRewardModel#crossFittedScaled}).
     */
    private static Map<String, RewardModel> otherModels(LoggedFeedback feedback, Settings s) {
        Map<String, RewardModel> out = new LinkedHashMap<>();
        out.put("dr-ridge", RidgeRewardModel.crossFitted(feedback, s.ridge(), s.ridge(), s.folds()));
        out.put("dr-logistic", LogisticRewardModel.crossFittedScaled(feedback, s.ridge(), s.ridge(), s.folds()));
        return out;
    }

    /** The one-step value model of each cross-fitting fold. */
    private static FittedQEvaluation[] foldModels(FittedQEvaluation.Design rounds, List<ActionDistribution[]> dists,
            int folds) {
        FittedQEvaluation[] models = new FittedQEvaluation[folds];
        for (int k = 0; k < folds; k++) {
            models[k] = rounds.fit(dists, 0, k);
        }
        return models;
    }

    /** A warning when the logger is deterministic (a mutable list, for the run's later warnings). */
    static List<String> supportWarnings(ExploringPolicy logger) {
        List<String> warnings = new ArrayList<>();
        if (!logger.fullSupport()) {
            warnings.add("the logging policy " + logger.name() + " is deterministic: targets that choose other items"
                    + " have no support in the log, and every estimate of them is biased");
        }
        return warnings;
    }

    /** One-step DR with {@code model} on the log's rounds, named {@code name}. */
    private static BanditEstimates.Value otherModelDr(LoggedFeedback feedback, List<ActionDistribution[]> roundDists,
            Truth truth, RewardModel model, String name, int[] roundEpisodes, Settings s, long seed) {
        TargetPolicy policy = BanditEstimates.policy(roundDists, truth.target());
        BanditEstimates.Value v = BanditEstimates.estimate(OpeInput.prepare(feedback, policy, model), List.of("dr"),
                roundEpisodes, s.resamples(), seed).get(0);
        return new BanditEstimates.Value(name, v.value(), v.low(), v.high(), v.ess());
    }

    /** The target policies of {@code --target}, each {@code name} or {@code name@exploration}. */
    static List<ExploringPolicy> targets(Settings s, SimPolicies policies) {
        List<ExploringPolicy> targets = new ArrayList<>();
        for (String t : s.targets()) {
            int at = t.indexOf('@');
            Exploration e = at < 0 ? Exploration.NONE : Exploration.parse(t.substring(at + 1), "--target " + t + ":");
            targets.add(policies.resolve(at < 0 ? t : t.substring(0, at), e, "--target"));
        }
        return targets;
    }

    /** Each target's true one-step and multi-step values, by simulation; one progress line each. */
    static List<Truth> truths(Settings s, Setup setup, ExploringPolicy logger, List<ExploringPolicy> targets,
            Consumer<String> progress) {
        List<Truth> truths = new ArrayList<>();
        for (int j = 0; j < targets.size(); j++) {
            long ts = Rng.stream(s.seed(), 100 + j).nextLong();
            GroundTruth.Value one = setup.slateSize() == 1
                    ? GroundTruth.oneStep(setup, logger, targets.get(j), s.truthRounds(), ts)
                    : GroundTruth.oneStepSlate(setup, logger, targets.get(j), s.truthRounds(), ts);
            GroundTruth.Value multi = GroundTruth.onPolicy(setup, targets.get(j), s.gamma(), s.truthEpisodes(),
                    ts + 1);
            truths.add(new Truth(targets.get(j).name(), one, multi));
            progress.accept(String.format(Locale.ROOT, "truth %s: one-step %.5f ± %.5f (%d states), multi-step %.4f ± %.4f"
                    + " (%d episodes, gamma %s)", targets.get(j).name(), one.mean(), one.standardError(), one.samples(),
                    multi.mean(), multi.standardError(), multi.samples(), s.gamma()));
        }
        return truths;
    }

    /** One cell per key (target, form, estimator, size) of the tallies. */
    static List<Cell> cells(Map<String, double[]> errors, Map<String, int[]> covered, Map<String, double[]> ess,
            Map<String, double[]> units) {
        List<Cell> cells = new ArrayList<>();
        for (Map.Entry<String, double[]> e : errors.entrySet()) {
            String[] key = e.getKey().split("\t");
            double[] signed = e.getValue();
            cells.add(new Cell(key[0], key[1], key[2], Integer.parseInt(key[3]), Arrays.stream(signed).map(Math::abs)
                    .toArray(), covered.get(e.getKey())[0], mean(ess.get(e.getKey())), mean(units.get(e.getKey())),
                    signed));
        }
        return cells;
    }

    private static void evaluate(Map<String, double[]> errors, Map<String, int[]> covered, Map<String, double[]> ess,
            Map<String, double[]> units, String target, String form, int size, int d, Settings s,
            FittedQEvaluation.Design data, List<ActionDistribution[]> dists, double gamma,
            List<SequentialEstimator> estimators, double truth, long seed, int[] clusters) {
        List<WeightedTrajectory> weighed = data.weigh(dists, gamma);
        List<SequentialEstimate> estimates = SequentialEstimators.estimateAll(estimators, weighed, gamma,
                s.resamples(), seed, clusters);
        for (SequentialEstimate e : estimates) {
            record(errors, covered, ess, units, target + "\t" + form + "\t" + e.estimator() + "\t" + size, d, s,
                    e.value(), e.low(), e.high(), e.effectiveSampleSize(), e.trajectories(), truth);
        }
    }

    static void record(Map<String, double[]> errors, Map<String, int[]> covered, Map<String, double[]> ess,
            Map<String, double[]> units, String key, int d, Settings s, double value, double low, double high,
            double effective, int count, double truth) {
        errors.computeIfAbsent(key, k -> new double[s.datasets()])[d] = (value - truth) / Math.abs(truth);
        int[] c = covered.computeIfAbsent(key, k -> new int[1]);
        if (truth >= low && truth <= high) {
            c[0]++;
        }
        ess.computeIfAbsent(key, k -> new double[s.datasets()])[d] = effective;
        units.computeIfAbsent(key, k -> new double[s.datasets()])[d] = count;
    }

    /** The value model's design: the platform's item features, the settings' ridge and folds. */
    static FittedQEvaluation.Design design(List<LoggedTrajectory> data, Setup setup, Settings s) {
        return FittedQEvaluation.design(data, setup.actionCount(), setup.itemEmbeddings(), setup.itemDim(),
                Math.min(s.folds(), data.size()), s.ridge(), FittedQEvaluation.POOLED_RIDGE);
    }

    /** The q-quantile of {@code values} (linear interpolation between order statistics). */
    static double quantile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The result as a plain-text report: the truths, then one table row per target, form, estimator and size. */
    public static String text(Result r) {
        StringBuilder sb = new StringBuilder();
        Settings s = r.settings();
        sb.append(String.format(Locale.ROOT, "%s (env seed %d): logging policy %s; %d logs per size; gamma %s%n",
                s.platform(), s.envSeed(), r.loggerName(), s.datasets(), s.gamma()));
        for (String w : r.warnings()) {
            sb.append("warning: ").append(w).append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "%-34s %12s %10s %12s %10s%n", "target", "one-step", "± s.e.", "multi-step",
                "± s.e."));
        for (Truth t : r.truths()) {
            sb.append(String.format(Locale.ROOT, "%-34s %12.5f %10.5f %12.4f %10.4f%n", t.target(), t.oneStep().mean(),
                    t.oneStep().standardError(), t.multiStep().mean(), t.multiStep().standardError()));
        }
        sb.append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%-34s %-10s %-10s %8s %9s %9s %9s %10s%n", "target", "form", "est.",
                "rounds", "median", "p90", "covered", "mean ESS"));
        for (Cell c : r.cells()) {
            sb.append(String.format(Locale.ROOT, "%-34s %-10s %-10s %8d %8.2f%% %8.2f%% %8.0f%% %10.1f%n", c.target(),
                    c.form(), c.estimator(), c.size(), 100 * c.median(), 100 * c.p90(),
                    100.0 * c.covered() / c.relativeErrors().length, c.meanEss()));
        }
        return sb.toString();
    }
}
