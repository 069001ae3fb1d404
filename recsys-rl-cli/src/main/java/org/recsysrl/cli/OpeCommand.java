package org.recsysrl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.recsysrl.ope.evaluation.Bootstrap;
import org.recsysrl.ope.evaluation.Estimate;
import org.recsysrl.ope.FeedbackFiles;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.evaluation.OffPolicyEvaluation;
import org.recsysrl.ope.estimator.Estimator;
import org.recsysrl.ope.estimator.Estimators;
import org.recsysrl.ope.estimator.ItemGroups;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.estimator.UnitTerms;
import org.recsysrl.ope.model.LogisticRewardModel;
import org.recsysrl.ope.model.RewardModel;
import org.recsysrl.ope.model.RidgeRewardModel;
import org.recsysrl.ope.policy.Policies;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.ope.sequential.AdaptiveClippedDoublyRobust;
import org.recsysrl.ope.sequential.FeedbackSlateTrajectories;
import org.recsysrl.ope.sequential.FeedbackTrajectories;
import org.recsysrl.ope.sequential.SlateTargetStep;
import org.recsysrl.ope.sequential.SequentialEstimate;
import org.recsysrl.ope.sequential.SequentialEstimator;
import org.recsysrl.ope.sequential.SequentialEstimators;
import org.recsysrl.ope.sequential.WeightedTrajectory;
import org.recsysrl.ope.synthetic.CoverageCheck;
import org.recsysrl.ope.synthetic.OpeBenchmark;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recsys-rl ope}: off-policy evaluation of target policies on a logged-feedback file (see
 * docs/ope.md), plus the synthetic coverage check and the speed benchmark.
 */
@Command(name = "ope", mixinStandardHelpOptions = true,
        description = "Estimate target policies' values from logged feedback (IPS, SNIPS, DR, ...), with 95%%"
                + " bootstrap intervals, the logging policy's on-policy value and a paired comparison of targets.")
final class OpeCommand implements Callable<Integer> {
    @Option(names = "--log", paramLabel = "FILE", description = "the logged feedback (JSON Lines or CSV)")
    Path log;

    @Option(names = "--format", paramLabel = "jsonl|csv", description = "log format (default: by extension)")
    String format;

    @Option(names = "--set", paramLabel = "ope.key=value", description = "a setting (repeatable): ope.csv.* column"
            + " settings for CSV logs; ope.model.lambda (ridge strength, default 1), ope.model.folds (cross-fitting"
            + " folds, default 2); ope.model.candidates=OFFSET,WIDTH (multi-step slates: the context holds one block of"
            + " WIDTH features per item from OFFSET on, the slate value model's item features), ope.model.state=linear"
            + " or quadratic (multi-step slates: the state's pairwise products too)")
    List<String> settings = new ArrayList<>();

    @Option(names = "--catalog", paramLabel = "FILE", description = "item catalog (item_id column or one id per"
            + " line): items outside it are refused")
    Path catalog;

    @Option(names = "--target", paramLabel = "SPEC", description = "a target policy (repeatable): uniform (or"
            + " random), checkpoint:FILE[@T] (a trained model: greedy as served, or a softmax at temperature T,"
            + " over the log's items for each row's user), popular:LOG (at each position the item with the most reward in LOG, e.g. an earlier"
            + " period; plain popular picks it on the evaluated log itself, which flatters it), table:FILE.csv"
            + " (item_id,position,probability), empirical:LOG (per-position frequencies of what LOG showed; read"
            + " like --log), logged:NAME (the distribution the log itself carries on every line for NAME, e.g. a"
            + " platform reference policy written by recsys-rl log --target NAME)")
    List<String> targets = new ArrayList<>();

    @Option(names = "--reference", paramLabel = "LOG", description = "per target in order (repeatable): a log of"
            + " that target's own traffic; its mean reward is shown as the target's on-policy value with the"
            + " relative error of each estimate (empirical:LOG targets use LOG by default)")
    List<Path> references = new ArrayList<>();

    @Option(names = "--estimators", split = ",", paramLabel = "LIST", description = "estimators (default: all"
            + " one-step estimators for one-step logs, with mips,mdr when --item-features is given; iips,rips,pi for"
            + " slates): dm,ips,snips,dr,sndr,switch-dr,dros,mips,mdr (marginalized over --item-features),"
            + "iips,rips,pi,sips (slate-level IPS on slate_propensity),sdr (slate DR, additive),cascade-dr")
    List<String> estimators;

    @Option(names = "--item-features", paramLabel = "FILE", description = "a CSV of the items' features (header"
            + " item_id,FEATURE...; one row per item of the log) for the marginalized estimators mips and mdr, which"
            + " weigh a row by its item's feature value instead of the item; the log must carry action_probabilities"
            + " (the logger's whole distribution) on every row. With it, the default estimators include mips,mdr")
    Path itemFeatures;

    @Option(names = "--item-feature-columns", split = ",", paramLabel = "LIST", description = "the columns of"
            + " --item-features that form the embedding (default: every column but item_id)")
    List<String> itemFeatureColumns = new ArrayList<>();

    @Option(names = "--reward-model", paramLabel = "ridge|logistic|logistic-scaled", defaultValue = "ridge",
            description = "the reward model of dm and the DR family: ridge (a linear model per item, any reward),"
            + " logistic (a logistic model per item, for clicks and other rewards in [0, 1]) or logistic-scaled (the"
            + " logistic model on the rewards mapped to [0, 1] by the log's range); all on [1, context, position"
            + " indicators], shrunk towards a pooled fit, cross-fitted (default: ${DEFAULT-VALUE})")
    String rewardModel;

    @Option(names = "--multi-step", description = "treat the log as trajectories (the rows of one session in step"
            + " order) and estimate each target's expected discounted return: pdis, wpdis, dr, wdr, fqe (slate logs:"
            + " on whole-slate ratios with the slate value model, and pdiips with per-position rewards)")
    boolean multiStep;

    @Option(names = "--gamma", defaultValue = "0.9", description = "discount of the multi-step return (default:"
            + " ${DEFAULT-VALUE})")
    double gamma;

    @Option(names = "--clip", paramLabel = "C", description = "with --multi-step: also the clipped estimators cpdis"
            + " and cdr, every cumulative weight clipped at C")
    Double clip;

    @Option(names = "--clip-auto", description = "with --multi-step: also cdr-auto, the clipped DR whose clip is"
            + " chosen from the data (the candidate with the smallest estimated MSE against DR)")
    boolean clipAuto;

    @Option(names = "--bootstrap", defaultValue = "500", description = "bootstrap replicates (default: ${DEFAULT-VALUE})")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "0", description = "bootstrap seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(names = "--bench", description = "time every one-step estimator on a synthetic log (--bench-rows,"
            + " --bench-items) instead of evaluating --log")
    boolean bench;

    @Option(names = "--bench-rows", defaultValue = "1000000", description = "rows of the benchmark log (default:"
            + " ${DEFAULT-VALUE})")
    int benchRows;

    @Option(names = "--bench-items", defaultValue = "1000", description = "items of the benchmark log (default:"
            + " ${DEFAULT-VALUE})")
    int benchItems;

    @Option(names = "--coverage", paramLabel = "REPEATS", description = "run the synthetic coverage check with this"
            + " many independent logs instead of evaluating --log")
    Integer coverage;

    @Option(names = "--coverage-rows", defaultValue = "500", description = "rows per coverage log (default:"
            + " ${DEFAULT-VALUE})")
    int coverageRows;

    @Option(names = "--coverage-epsilon", defaultValue = "0.1", description = "the coverage logger's uniform"
            + " exploration share (default: ${DEFAULT-VALUE}; 0 = pure softmax, heavier-tailed weights)")
    double coverageEpsilon;

    @Override
    public Integer call() throws IOException {
        if (bootstrap < 20 || bootstrap > 100_000) {
            throw new UserInputException("--bootstrap " + bootstrap + ": use 20 to 100000 replicates");
        }
        if (bench) {
            return runBench();
        }
        if (coverage != null) {
            return runCoverage();
        }
        if (log == null) {
            throw new UserInputException("--log is missing: give the logged feedback to evaluate (or --bench, --coverage)");
        }
        if (targets.isEmpty()) {
            throw new UserInputException("no --target: give at least one, e.g. --target uniform");
        }
        Map<String, String> set = parseSettings();
        List<String> ids = catalog == null ? null : FeedbackFiles.readCatalog(catalog);
        FeedbackFiles.Format fmt = FeedbackFiles.format(format, log);
        LoggedFeedback data = FeedbackFiles.read(log, fmt, set, ids);
        if (multiStep) {
            if (itemFeatures != null) {
                throw new UserInputException("--item-features is for the one-step estimators mips and mdr: drop"
                        + " --multi-step, or drop --item-features");
            }
            return runMultiStep(data, fmt, set, ids);
        }
        if (clip != null || clipAuto) {
            throw new UserInputException((clip != null ? "--clip" : "--clip-auto") + " applies to --multi-step: add"
                    + " --multi-step, or use switch-dr or dros for clipped one-step weights");
        }
        List<Estimator<OpeInput>> es = oneStepEstimators(data);
        checkReferenceCount();
        List<TargetPolicy> policies = new ArrayList<>();
        List<Path> refs = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            refs.add(referenceLog(i));
            policies.add(target(targets.get(i), data, set, ids));
        }
        RewardModel model = rewardModel(data, set, es, rewardModel);
        OffPolicyEvaluation.Report report = OffPolicyEvaluation.run(data, policies, es, model, itemGroups(data, es),
                bootstrap, seed);
        List<Estimate> referenceValues = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            referenceValues.add(refs.get(i) == null ? null : reference(refs.get(i), fmt, set, ids, policies.get(i)));
        }
        if (hasTrajectories(data)) {
            System.err.println("note: " + data.source() + " has sessions of several steps; --multi-step estimates"
                    + " their discounted return");
        }
        if (json) {
            printJson(data, report, referenceValues);
        } else {
            printText(data, report, referenceValues);
        }
        return 0;
    }

    /**
     * The item embedding of --item-features, or null without it; a user error when mips or mdr is asked
     * for without it, or it is given for a slate log.
     */
    private ItemGroups itemGroups(LoggedFeedback data, List<Estimator<OpeInput>> es) throws IOException {
        boolean marginalized = es.stream().anyMatch(e -> Estimators.marginalizedNames().contains(e.name()));
        if (itemFeatures == null) {
            if (marginalized) {
                throw new UserInputException("--estimators mips and mdr need the items' features: add"
                        + " --item-features FILE.csv (item_id,FEATURE)");
            }
            return null;
        }
        if (!data.isOneStep()) {
            throw new UserInputException("--item-features: " + log + " shows slates; mips and mdr are one-step"
                    + " estimators");
        }
        return ItemGroups.readCsv(itemFeatures, data, itemFeatureColumns);
    }

    /**
     * The estimators of --estimators (default: all that fit the log: one-step, plus mips and mdr with
     * --item-features, or the slate ones).
     */
    private List<Estimator<OpeInput>> oneStepEstimators(LoggedFeedback data) {
        List<String> names = estimators != null ? estimators
                : !data.isOneStep() ? Estimators.defaultSlateNames() : itemFeatures == null ? Estimators.oneStepNames()
                : concat(Estimators.oneStepNames(), Estimators.marginalizedNames());
        List<Estimator<OpeInput>> es = new ArrayList<>();
        for (String n : names) {
            Estimator<OpeInput> e = Estimators.byName(n);
            if (!data.isOneStep() && !Estimators.slateNames().contains(e.name())) {
                throw new UserInputException("--estimators " + n + ": " + log + " shows slates; one-step estimators"
                        + " need one item per row: use iips, rips, pi, sips, sdr or cascade-dr");
            }
            es.add(e);
        }
        return es;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The cross-fitted reward model ({@code kind}: ridge or logistic) when one of {@code es} needs a model, else null. */
    private static RewardModel rewardModel(LoggedFeedback data, Map<String, String> set, List<Estimator<OpeInput>> es,
            String kind) {
        if (!List.of("ridge", "logistic", "logistic-scaled").contains(kind)) {
            throw new UserInputException("--reward-model " + kind + ": use ridge, logistic or logistic-scaled");
        }
        boolean needModel = false;
        for (Estimator<OpeInput> e : es) {
            needModel |= Estimators.needsModel(e.name());
        }
        if (!needModel) {
            return null;
        }
        RidgeSettings ridge = ridgeSettings(set);
        if (kind.equals("logistic")) {
            return LogisticRewardModel.crossFitted(data, ridge.lambda(), ridge.lambda(), ridge.folds());
        }
        if (kind.equals("logistic-scaled")) {
            return LogisticRewardModel.crossFittedScaled(data, ridge.lambda(), ridge.lambda(), ridge.folds());
        }
        return RidgeRewardModel.crossFitted(data, ridge.lambda(), ridge.lambda(), ridge.folds());
    }

    /** Whether every row has a session and a step and some session has more than one row. */
    private static boolean hasTrajectories(LoggedFeedback data) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        boolean repeated = false;
        for (int r = 0; r < data.rows(); r++) {
            if (data.session(r) == null || data.step(r) < 0) {
                return false;
            }
            repeated |= !seen.add(data.session(r));
        }
        return repeated;
    }

    /** Fails when there are more --reference logs than targets. */
    private void checkReferenceCount() {
        if (references.size() > targets.size()) {
            throw new UserInputException(references.size() + " --reference logs for " + targets.size()
                    + " targets: give at most one per target, in the order of the targets");
        }
    }

    /** Target i's reference log: its --reference, else the LOG of an empirical:LOG target, else null. */
    private Path referenceLog(int i) {
        String spec = targets.get(i);
        Path ref = i < references.size() ? references.get(i) : null;
        if (ref == null && spec.startsWith("empirical:")) {
            ref = Path.of(spec.substring("empirical:".length()));
        }
        return ref;
    }

    /** The reward model's ridge strength and cross-fitting folds (ope.model.lambda, ope.model.folds). */
    private record RidgeSettings(double lambda, int folds) {
    }

    private static RidgeSettings ridgeSettings(Map<String, String> set) {
        double lambda = number(set, "ope.model.lambda", 1.0);
        int folds = (int) number(set, "ope.model.folds", 2);
        if (!(lambda > 0) || folds < 1 || folds > 20) {
            throw new UserInputException("ope.model.lambda must be > 0 and ope.model.folds 1..20");
        }
        return new RidgeSettings(lambda, folds);
    }

    /** The multi-step estimators of --estimators (default: all), plus the clipped ones with --clip. */
    private List<SequentialEstimator> multiStepEstimators() {
        List<SequentialEstimator> clipped = clippedEstimators();
        List<SequentialEstimator> es = new ArrayList<>(estimators == null ? SequentialEstimators.all()
                : SequentialEstimators.byNames(estimators));
        es.addAll(clipped);
        return es;
    }

    /** cpdis and cdr with --clip, cdr-auto with --clip-auto. */
    private List<SequentialEstimator> clippedEstimators() {
        if (clip != null && !(clip > 0 && Double.isFinite(clip))) {
            throw new UserInputException("--clip " + clip + ": give a positive weight, e.g. --clip 100");
        }
        List<SequentialEstimator> es = new ArrayList<>();
        if (clip != null) {
            es.addAll(SequentialEstimators.clipped(clip));
        }
        if (clipAuto) {
            es.add(new AdaptiveClippedDoublyRobust());
        }
        return es;
    }

    /** Target i's on-policy discounted return from its reference log (single items or slates), or null. */
    private SequentialEstimate referenceReturn(int i, Map<String, String> set, List<String> ids) throws IOException {
        Path ref = referenceLog(i);
        return ref == null ? null : FeedbackTrajectories.meanReturn(FeedbackFiles.read(ref,
                FeedbackFiles.format(format, ref), set, ids), gamma, bootstrap, seed);
    }

    /** The setting that names the context's per-item blocks for the slate value model. */
    static final String CANDIDATES_KEY = "ope.model.candidates";

    /** The setting that chooses the slate value model's state basis. */
    static final String STATE_KEY = "ope.model.state";

    /** Whether ope.model.state asks for the quadratic state basis (linear by default). */
    private static boolean quadraticState(Map<String, String> set) {
        String v = set.getOrDefault(STATE_KEY, "linear");
        if (!v.equals("linear") && !v.equals("quadratic")) {
            throw new UserInputException("--set " + STATE_KEY + "=" + v + ": use linear or quadratic");
        }
        return v.equals("quadratic");
    }

    /** {offset, width} of ope.model.candidates, or {−1, 0} when not set. */
    private static int[] candidateBlocks(Map<String, String> set) {
        String v = set.get(CANDIDATES_KEY);
        if (v == null) {
            return new int[] {-1, 0};
        }
        String[] parts = v.split(",");
        try {
            if (parts.length == 2) {
                int offset = Integer.parseInt(parts[0].trim());
                int width = Integer.parseInt(parts[1].trim());
                if (offset >= 0 && width >= 1) {
                    return new int[] {offset, width};
                }
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new UserInputException("--set " + CANDIDATES_KEY + "=" + v + ": give OFFSET,WIDTH (whole numbers,"
                + " OFFSET >= 0, WIDTH >= 1), e.g. 14,11 for interest-evolution logs");
    }

    /**
     * --multi-step on a slate log: every target's estimates on whole-slate ratios with the slate value
     * model ({@link FeedbackSlateTrajectories}), then the paired comparisons, printed like the
     * single-item report.
     */
    private int runMultiStepSlates(LoggedFeedback data, Map<String, String> set, List<String> ids)
            throws IOException {
        int[] blocks = candidateBlocks(set);
        FeedbackSlateTrajectories slates = FeedbackSlateTrajectories.of(data, blocks[0], blocks[1],
                quadraticState(set));
        List<String> names = estimators == null ? slates.defaultNames() : estimators;
        RidgeSettings ridge = ridgeSettings(set);
        SequentialEstimate onPolicy = slates.onPolicy(gamma, bootstrap, seed);
        List<String> targetNames = new ArrayList<>();
        List<List<SequentialEstimate>> estimates = new ArrayList<>();
        List<SequentialEstimate> refs = new ArrayList<>();
        List<List<SequentialEstimator>> esByTarget = new ArrayList<>();
        List<List<WeightedTrajectory>> weighedByTarget = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            TargetPolicy policy = target(targets.get(i), data, set, ids);
            targetNames.add(policy.name());
            List<SlateTargetStep[]> steps = slates.targetSteps(policy);
            List<SequentialEstimator> es = new ArrayList<>(slates.estimators(names, steps));
            es.addAll(clippedEstimators());
            List<WeightedTrajectory> weighed = slates.weigh(steps, es, gamma, ridge.lambda(), ridge.folds());
            esByTarget.add(es);
            weighedByTarget.add(weighed);
            estimates.add(SequentialEstimators.estimateAll(es, weighed, gamma, bootstrap, seed + 1 + i));
            refs.add(referenceReturn(i, set, ids));
        }
        List<OffPolicyEvaluation.Comparison> comparisons = new ArrayList<>();
        for (int i = 1; i < weighedByTarget.size(); i++) {
            for (int k = 0; k < esByTarget.get(0).size(); k++) {
                SequentialEstimate d = SequentialEstimators.difference(esByTarget.get(0).get(k), weighedByTarget.get(0),
                        esByTarget.get(i).get(k), weighedByTarget.get(i), gamma, bootstrap, seed + 1000L * i + k);
                comparisons.add(new OffPolicyEvaluation.Comparison(d.estimator(), targetNames.get(0),
                        targetNames.get(i), d.value(), d.low(), d.high()));
            }
        }
        int n = slates.rows().size();
        if (json) {
            printMultiStepJson(data, n, onPolicy, targetNames, estimates, refs, comparisons);
        } else {
            printMultiStepText(data, n, onPolicy, targetNames, estimates, refs, comparisons);
        }
        return 0;
    }

    private int runMultiStep(LoggedFeedback data, FeedbackFiles.Format fmt, Map<String, String> set, List<String> ids)
            throws IOException {
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new UserInputException("--gamma " + gamma + ": use a discount in [0, 1]");
        }
        checkReferenceCount();
        if (!data.isOneStep()) {
            return runMultiStepSlates(data, set, ids);
        }
        FeedbackTrajectories trajectories = FeedbackTrajectories.of(data);
        List<SequentialEstimator> es = multiStepEstimators();
        RidgeSettings ridge = ridgeSettings(set);
        double lambda = ridge.lambda();
        int folds = ridge.folds();
        SequentialEstimate onPolicy = trajectories.onPolicy(gamma, bootstrap, seed);
        List<String> targetNames = new ArrayList<>();
        List<List<SequentialEstimate>> estimates = new ArrayList<>();
        List<SequentialEstimate> refs = new ArrayList<>();
        List<List<WeightedTrajectory>> weighedByTarget = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            String spec = targets.get(i);
            TargetPolicy policy = target(spec, data, set, ids);
            targetNames.add(policy.name());
            List<WeightedTrajectory> weighed = trajectories.weigh(policy, es, gamma, lambda, folds);
            weighedByTarget.add(weighed);
            estimates.add(SequentialEstimators.estimateAll(es, weighed, gamma, bootstrap, seed + 1 + i));
            refs.add(referenceReturn(i, set, ids));
        }
        int n = trajectories.rows().size();
        List<OffPolicyEvaluation.Comparison> comparisons = multiStepComparisons(es, targetNames, weighedByTarget);
        if (json) {
            printMultiStepJson(data, n, onPolicy, targetNames, estimates, refs, comparisons);
        } else {
            printMultiStepText(data, n, onPolicy, targetNames, estimates, refs, comparisons);
        }
        return 0;
    }

    /** Every later target minus the first, per estimator, on paired bootstrap resamples of the trajectories. */
    private List<OffPolicyEvaluation.Comparison> multiStepComparisons(List<SequentialEstimator> es,
            List<String> targetNames, List<List<WeightedTrajectory>> weighed) {
        List<OffPolicyEvaluation.Comparison> out = new ArrayList<>();
        for (int i = 1; i < weighed.size(); i++) {
            for (int k = 0; k < es.size(); k++) {
                SequentialEstimate d = SequentialEstimators.difference(es.get(k), weighed.get(0), weighed.get(i), gamma,
                        bootstrap, seed + 1000L * i + k);
                out.add(new OffPolicyEvaluation.Comparison(d.estimator(), targetNames.get(0), targetNames.get(i),
                        d.value(), d.low(), d.high()));
            }
        }
        return out;
    }

    /** The multi-step report as JSON: the log, the logger's on-policy value, each target's estimates. */
    private void printMultiStepJson(LoggedFeedback data, int n, SequentialEstimate onPolicy, List<String> targetNames,
            List<List<SequentialEstimate>> estimates, List<SequentialEstimate> refs,
            List<OffPolicyEvaluation.Comparison> comparisons) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("log", data.source());
        root.put("rows", data.rows());
        root.put("trajectories", n);
        root.put("items", data.numItems());
        root.put("gamma", gamma);
        root.put("bootstrap", bootstrap);
        root.put("seed", seed);
        root.set("on_policy", sequentialJson(m, onPolicy, null));
        ArrayNode ts = root.putArray("targets");
        for (int t = 0; t < estimates.size(); t++) {
            ObjectNode tn = ts.addObject();
            tn.put("target", targetNames.get(t));
            if (refs.get(t) != null) {
                tn.set("reference", sequentialJson(m, refs.get(t), null));
            }
            ArrayNode en = tn.putArray("estimates");
            for (SequentialEstimate e : estimates.get(t)) {
                en.add(sequentialJson(m, e, refs.get(t)));
            }
            ArrayNode w = tn.putArray("warnings");
            overlapWarning(estimates.get(t)).ifPresent(w::add);
        }
        comparisonsJson(root, comparisons);
        System.out.println(m.writeValueAsString(root));
    }

    /** The multi-step report as a table per target. */
    private void printMultiStepText(LoggedFeedback data, int n, SequentialEstimate onPolicy, List<String> targetNames,
            List<List<SequentialEstimate>> estimates, List<SequentialEstimate> refs,
            List<OffPolicyEvaluation.Comparison> comparisons) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "log %s: %d rows in %d trajectories, %d items; gamma %s; %d bootstrap"
                + " replicates over trajectories, seed %d%n", data.source(), data.rows(), n, data.numItems(), gamma,
                bootstrap, seed));
        sb.append(String.format(Locale.ROOT, "logging policy (on-policy mean discounted return): %.6f  [%.6f, %.6f]%n",
                onPolicy.value(), onPolicy.low(), onPolicy.high()));
        for (int t = 0; t < estimates.size(); t++) {
            SequentialEstimate ref = refs.get(t);
            sb.append(String.format(Locale.ROOT, "%ntarget %s%n", targetNames.get(t)));
            if (ref != null) {
                sb.append(String.format(Locale.ROOT, "  on-policy value in its own log: %.6f  [%.6f, %.6f]%n",
                        ref.value(), ref.low(), ref.high()));
            }
            sb.append(String.format(Locale.ROOT, "  %-10s %10s  %-24s %10s %9s%s%n", "estimator", "estimate",
                    "95% interval", "ESS", "max w", ref != null ? "  rel.err  covers" : ""));
            for (SequentialEstimate e : estimates.get(t)) {
                String interval = String.format(Locale.ROOT, "[%.6f, %.6f]", e.low(), e.high());
                sb.append(String.format(Locale.ROOT, "  %-10s %10.6f  %-24s %10.1f %9.2f", e.estimator(), e.value(),
                        interval, e.effectiveSampleSize(), e.largestWeight()));
                if (ref != null) {
                    sb.append(String.format(Locale.ROOT, "  %+6.1f%%  %s", 100 * (e.value() - ref.value()) / ref.value(),
                            ref.value() >= e.low() && ref.value() <= e.high() ? "yes" : "no"));
                }
                sb.append('\n');
            }
            overlapWarning(estimates.get(t)).ifPresent(w -> sb.append("  warning: ").append(w).append('\n'));
        }
        appendComparisons(sb, comparisons);
        System.out.print(sb);
    }

    /** A warning when the whole-trajectory weights leave fewer than a tenth of the trajectories' worth. */
    private static java.util.Optional<String> overlapWarning(List<SequentialEstimate> es) {
        SequentialEstimate e = es.get(0);
        if (e.effectiveSampleSize() >= 0.1 * e.trajectories()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format(Locale.ROOT, "effective sample size %.1f of %d trajectories: the"
                + " importance-weighted estimates rest on a few trajectories (poor overlap with the logging policy)",
                e.effectiveSampleSize(), e.trajectories()));
    }

    private static ObjectNode sequentialJson(ObjectMapper m, SequentialEstimate e, SequentialEstimate ref) {
        ObjectNode n = m.createObjectNode();
        n.put("estimator", e.estimator());
        n.put("value", e.value());
        n.put("low", e.low());
        n.put("high", e.high());
        n.put("ess", e.effectiveSampleSize());
        n.put("max_weight", e.largestWeight());
        if (ref != null) {
            n.put("relative_error", (e.value() - ref.value()) / ref.value());
            n.put("covers_reference", ref.value() >= e.low() && ref.value() <= e.high());
        }
        return n;
    }

    private TargetPolicy target(String spec, LoggedFeedback data, Map<String, String> set, List<String> ids)
            throws IOException {
        String s = spec.trim();
        if (s.equals("uniform") || s.equals("random")) {
            return Policies.uniform(data, s);
        }
        if (s.startsWith("table:")) {
            return Policies.table(Path.of(s.substring(6)), s);
        }
        if (s.startsWith("checkpoint:")) {
            CheckpointTarget.Target t = CheckpointTarget.of(s, data);
            System.err.printf(Locale.ROOT, "target %s: %s%n", s, t.describe(data));
            return t.policy();
        }
        if (s.equals("popular") || s.startsWith("popular:")) {
            if (s.equals("popular")) {
                return Policies.popular(data, s);
            }
            Path p = Path.of(s.substring(8));
            return Policies.popular(FeedbackFiles.read(p, FeedbackFiles.format(format, p), set, ids), s);
        }
        if (s.startsWith("logged:")) {
            if (fmt(log) != FeedbackFiles.Format.JSONL) {
                throw new UserInputException("--target " + spec + ": logged targets are read from a JSON Lines log"
                        + " written by recsys-rl log --target");
            }
            return org.recsysrl.ope.policy.LoggedTargetPolicy.read(log, s.substring(7), data, s);
        }
        if (s.startsWith("empirical:")) {
            Path p = Path.of(s.substring(10));
            LoggedFeedback source = FeedbackFiles.read(p, FeedbackFiles.format(format, p), set, ids);
            return Policies.empirical(source, s);
        }
        throw new UserInputException("--target " + spec + ": use uniform, random, popular, popular:LOG,"
                + " checkpoint:FILE[@T], table:FILE.csv, empirical:LOG or logged:NAME");
    }

    private FeedbackFiles.Format fmt(Path file) {
        return FeedbackFiles.format(format, file);
    }

    private Estimate reference(Path file, FeedbackFiles.Format fmt, Map<String, String> set, List<String> ids,
            TargetPolicy policy) throws IOException {
        LoggedFeedback own = FeedbackFiles.read(file, FeedbackFiles.format(format, file), set, ids);
        double[] r = new double[own.rows()];
        for (int i = 0; i < r.length; i++) {
            r[i] = own.reward(i);
        }
        UnitTerms t = UnitTerms.mean(r, null);
        return OffPolicyEvaluation.summarise("on-policy", policy.name(), t,
                Bootstrap.replicates(List.of(t), bootstrap, seed + 1)[0], List.of());
    }

    private Map<String, String> parseSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new UserInputException("--set " + s + ": write key=value, e.g. --set ope.csv.reward=click");
            }
            String key = s.substring(0, eq).trim();
            if (!key.startsWith("ope.csv.") && !key.equals("ope.model.lambda") && !key.equals("ope.model.folds")
                    && !key.equals(CANDIDATES_KEY) && !key.equals(STATE_KEY)) {
                throw new UserInputException("--set " + key + ": unknown setting; use ope.csv.* (see docs/ope.md),"
                        + " ope.model.lambda, ope.model.folds, " + CANDIDATES_KEY + " or " + STATE_KEY);
            }
            m.put(key, s.substring(eq + 1));
        }
        org.recsysrl.ope.CsvColumns.fromSettings(m); // refuses unknown ope.csv.* keys early
        return m;
    }

    private static double number(Map<String, String> set, String key, double dflt) {
        String v = set.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException(key + "=" + v + " is not a number");
        }
    }

    private void printText(LoggedFeedback data, OffPolicyEvaluation.Report r, List<Estimate> refs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "log %s: %d rows, %d items, %d position(s), %s; %d bootstrap replicates,"
                + " seed %d%n", data.source(), data.rows(), data.numItems(), data.numPositions(),
                data.isOneStep() ? "one item per row" : "slates up to " + data.maxSlateLength(), r.bootstrap(), r.seed()));
        Estimate on = r.onPolicy();
        sb.append(String.format(Locale.ROOT, "logging policy (on-policy mean reward): %.6f  [%.6f, %.6f]%n", on.value(),
                on.low(), on.high()));
        for (int t = 0; t < r.estimates().size(); t++) {
            List<Estimate> row = r.estimates().get(t);
            Estimate ref = refs.get(t);
            sb.append(String.format(Locale.ROOT, "%ntarget %s%n", row.get(0).target()));
            if (ref != null) {
                sb.append(String.format(Locale.ROOT, "  on-policy value in its own log: %.6f  [%.6f, %.6f]%n",
                        ref.value(), ref.low(), ref.high()));
            }
            sb.append(String.format(Locale.ROOT, "  %-10s %10s  %-24s %10s %9s%s%n", "estimator", "estimate",
                    "95% interval", "ESS", "max w", ref != null ? "  rel.err  covers" : ""));
            List<String> warnings = new ArrayList<>();
            for (Estimate e : row) {
                sb.append(String.format(Locale.ROOT, "  %-10s %10.6f  [%.6f, %.6f]%s %10s %9s", e.estimator(),
                        e.value(), e.low(), e.high(), " ".repeat(Math.max(0, 24 - interval(e).length())),
                        Double.isNaN(e.ess()) ? "-" : String.format(Locale.ROOT, "%.1f", e.ess()),
                        Double.isNaN(e.maxWeight()) ? "-" : String.format(Locale.ROOT, "%.2f", e.maxWeight())));
                if (ref != null) {
                    sb.append(String.format(Locale.ROOT, "  %+6.1f%%  %s", 100 * (e.value() - ref.value()) / ref.value(),
                            e.covers(ref.value()) ? "yes" : "no"));
                }
                if (!e.notes().isEmpty()) {
                    sb.append("  (").append(String.join(", ", e.notes())).append(')');
                }
                sb.append('\n');
                for (String w : e.warnings()) {
                    String line = w.startsWith("no support") ? w : e.estimator() + ": " + w;
                    if (!warnings.contains(line)) {
                        warnings.add(line);
                    }
                }
            }
            for (String w : warnings) {
                sb.append("  warning: ").append(w).append('\n');
            }
        }
        appendComparisons(sb, r.comparisons());
        System.out.print(sb);
    }

    /** The paired comparisons as text lines (nothing when there are none). */
    private static void appendComparisons(StringBuilder sb, List<OffPolicyEvaluation.Comparison> comparisons) {
        if (!comparisons.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%npaired comparison (difference second − first, paired bootstrap)%n"));
            for (OffPolicyEvaluation.Comparison c : comparisons) {
                sb.append(String.format(Locale.ROOT, "  %-10s %s − %s: %+.6f  [%+.6f, %+.6f]%s%n", c.estimator(),
                        c.second(), c.first(), c.difference(), c.low(), c.high(),
                        c.low() > 0 || c.high() < 0 ? "  (interval excludes 0)" : ""));
            }
        }
    }

    /** The paired comparisons as the JSON array {@code comparisons} of {@code root}. */
    private static void comparisonsJson(ObjectNode root, List<OffPolicyEvaluation.Comparison> comparisons) {
        ArrayNode cs = root.putArray("comparisons");
        for (OffPolicyEvaluation.Comparison c : comparisons) {
            ObjectNode cn = cs.addObject();
            cn.put("estimator", c.estimator());
            cn.put("first", c.first());
            cn.put("second", c.second());
            cn.put("difference", c.difference());
            cn.put("low", c.low());
            cn.put("high", c.high());
        }
    }

    private static String interval(Estimate e) {
        return String.format(Locale.ROOT, "[%.6f, %.6f]", e.low(), e.high());
    }

    private void printJson(LoggedFeedback data, OffPolicyEvaluation.Report r, List<Estimate> refs) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("log", data.source());
        root.put("rows", data.rows());
        root.put("items", data.numItems());
        root.put("positions", data.numPositions());
        root.put("bootstrap", r.bootstrap());
        root.put("seed", r.seed());
        root.set("on_policy", estimateJson(m, r.onPolicy(), null));
        ArrayNode ts = root.putArray("targets");
        for (int t = 0; t < r.estimates().size(); t++) {
            ObjectNode tn = ts.addObject();
            tn.put("target", r.estimates().get(t).get(0).target());
            Estimate ref = refs.get(t);
            if (ref != null) {
                tn.set("reference", estimateJson(m, ref, null));
            }
            ArrayNode en = tn.putArray("estimates");
            for (Estimate e : r.estimates().get(t)) {
                en.add(estimateJson(m, e, ref));
            }
        }
        comparisonsJson(root, r.comparisons());
        System.out.println(m.writeValueAsString(root));
    }

    private static ObjectNode estimateJson(ObjectMapper m, Estimate e, Estimate ref) {
        ObjectNode n = m.createObjectNode();
        n.put("estimator", e.estimator());
        n.put("value", e.value());
        n.put("low", e.low());
        n.put("high", e.high());
        n.put("standard_error", e.standardError());
        if (!Double.isNaN(e.ess())) {
            n.put("ess", e.ess());
            n.put("max_weight", e.maxWeight());
        }
        if (ref != null) {
            n.put("relative_error", (e.value() - ref.value()) / ref.value());
            n.put("covers_reference", e.covers(ref.value()));
        }
        ArrayNode w = n.putArray("warnings");
        e.warnings().forEach(w::add);
        ArrayNode notes = n.putArray("notes");
        e.notes().forEach(notes::add);
        return n;
    }

    private int runBench() {
        if (benchRows < 1000 || benchItems < 2) {
            throw new UserInputException("--bench-rows must be >= 1000 and --bench-items >= 2");
        }
        System.out.printf(Locale.ROOT, "ope benchmark: %d rows, %d items, %d bootstrap replicates, one thread, %s, %d"
                + " processors%n", benchRows, benchItems, bootstrap, System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "  %-58s %9s %9s%n", "step", "wall s", "cpu s");
        double input = 0;
        double inputCpu = 0;
        for (OpeBenchmark.Timing t : OpeBenchmark.run(benchRows, benchItems, bootstrap, seed)) {
            if (t.step().startsWith("true value")) {
                System.out.printf(Locale.ROOT, "  %-58s %.6f%n", t.step(), t.value());
                continue;
            }
            if (t.step().startsWith("fit") || t.step().startsWith("prepare")) {
                input += t.seconds();
                inputCpu += t.cpuSeconds();
            }
            System.out.printf(Locale.ROOT, "  %-58s %9.3f %9.3f%s%n", t.step(), t.seconds(), t.cpuSeconds(),
                    Double.isNaN(t.value()) ? "" : String.format(Locale.ROOT, "   estimate %.6f", t.value()));
        }
        System.out.printf(Locale.ROOT, "  shared per log and target (model + input): %.3f s wall, %.3f s cpu%n", input,
                inputCpu);
        return 0;
    }

    private int runCoverage() {
        if (coverage < 10 || coverageRows < 50 || !(coverageEpsilon >= 0 && coverageEpsilon <= 1)) {
            throw new UserInputException("--coverage needs at least 10 repeats, --coverage-rows at least 50 and"
                    + " --coverage-epsilon in [0, 1]");
        }
        List<String> names = estimators != null ? estimators : List.of("ips", "snips", "dr", "sndr", "switch-dr", "dros", "dm");
        names.forEach(Estimators::byName);
        CoverageCheck.Result r = CoverageCheck.run(coverage, coverageRows, bootstrap, names, coverageEpsilon,
                seed == 0 ? 12 : seed);
        System.out.printf(Locale.ROOT, "synthetic coverage: %d logs of %d rows, logger exploration %.2f, %d bootstrap"
                + " replicates, true value %.6f%n", coverage, coverageRows, coverageEpsilon, bootstrap, r.trueValue());
        System.out.printf(Locale.ROOT, "  %-10s %9s %12s %10s%n", "estimator", "coverage", "mean error", "RMSE");
        for (String n : r.coverage().keySet()) {
            System.out.printf(Locale.ROOT, "  %-10s %8.1f%% %+12.5f %10.5f%n", n, 100 * r.coverage().get(n),
                    r.meanError().get(n), r.rmse().get(n));
        }
        return 0;
    }
}
