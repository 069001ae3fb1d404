package org.recsysrl.ope.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.model.RewardModel;
import org.recsysrl.ope.model.RidgeRewardModel;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.agent.CandidateBlocks;
import org.recsysrl.ope.sequential.ActionDistribution;
import org.recsysrl.ope.sequential.PerDecisionIndependentIps;
import org.recsysrl.ope.sequential.SequentialEstimate;
import org.recsysrl.ope.sequential.SequentialEstimator;
import org.recsysrl.ope.sequential.SequentialEstimators;
import org.recsysrl.ope.sequential.SlateFittedQEvaluation;
import org.recsysrl.ope.sequential.SlateTargetStep;
import org.recsysrl.ope.sequential.SlateTrajectory;
import org.recsysrl.ope.sequential.WeightedTrajectory;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;

/**
 * {@link OpeValidation} on a platform that shows slates ({@code interest-evolution}): every logged
 * step is a slate round whose per-position rewards are the reward at the position the user took (0
 * elsewhere, and everywhere when the user took none). On each log every target is estimated by the
 * slate estimators — {@code iips}, {@code rips}, {@code pi}, {@code sips} (on the logged slate
 * propensity) and the doubly robust {@code sdr} and {@code cascade-dr} with the cross-fitted ridge
 * reward model on the observation and the position — and compared with the target's one-step truth
 * ({@link GroundTruth#oneStepSlate}: its expected immediate reward on the logger's states). The
 * intervals come from a bootstrap over whole episodes.
 *
 * <p>Multi-step: each episode is a trajectory of slates, estimated by the multi-step estimators on
 * whole-slate ratios ({@code pdis}, {@code wpdis}, {@code dr}, {@code wdr}, {@code fqe}, and the
 * clipped ones when asked) with the slate value model {@link SlateFittedQEvaluation} (the user part
 * of the observation and its pairwise products as the state, each shown candidate's block of the
 * observation as its features, a coefficient vector per position), plus the position-factored {@code pdiips}
 * ({@link PerDecisionIndependentIps}); compared with the target's on-policy discounted return.
 */
final class SlateValidation {
    /** The slate estimators the validation runs. */
    static final List<String> ESTIMATORS = List.of("iips", "rips", "pi", "sips", "sdr", "cascade-dr");
    /** The most state features that get the quadratic basis. */
    static final int QUADRATIC_LIMIT = 32;

    private SlateValidation() {
    }

    static OpeValidation.Result run(OpeValidation.Settings s, Platform platform, Setup setup,
            Consumer<String> progress) {
        SimPolicies policies = new SimPolicies(platform, setup, s.envSeed(), s.seed());
        ExploringPolicy logger = policies.resolve(s.logger(), s.loggerExploration(), "--policy");
        List<ExploringPolicy> targets = OpeValidation.targets(s, policies);
        List<String> warnings = OpeValidation.supportWarnings(logger);
        List<OpeValidation.Truth> truths = OpeValidation.truths(s, setup, logger, targets, progress);
        Map<String, double[]> errors = new LinkedHashMap<>();
        Map<String, int[]> covered = new LinkedHashMap<>();
        Map<String, double[]> ess = new LinkedHashMap<>();
        Map<String, double[]> units = new LinkedHashMap<>();
        for (int si = 0; si < s.sizes().length; si++) {
            int size = s.sizes()[si];
            for (int d = 0; d < s.datasets(); d++) {
                long ds = Rng.stream(s.seed(), 10_000L * (si + 1) + d).nextLong();
                SimLog log = SimLogger.log(setup, logger, targets, 0, size, ds, false);
                LoggedFeedback feedback = log.toFeedback("simulator", 0, false, true);
                RewardModel model = RidgeRewardModel.crossFitted(feedback, s.ridge(), s.ridge(), s.folds());
                List<SimLog.Step> steps = steps(log);
                int[] episodes = log.roundEpisodes();
                List<SlateTrajectory> trajectories = trajectories(log, setup);
                SlateFittedQEvaluation.Design design = SlateFittedQEvaluation.design(trajectories, setup.actionCount(),
                        itemDim(setup), Math.min(s.folds(), trajectories.size()), s.ridge(), true);
                for (int j = 0; j < targets.size(); j++) {
                    OpeValidation.Truth truth = truths.get(j);
                    TargetPolicy policy = recorded(truth.target(), steps, j, setup.slateSize());
                    OpeInput input = OpeInput.prepare(feedback, policy, model);
                    for (BanditEstimates.Value v : BanditEstimates.estimate(input, ESTIMATORS, episodes,
                            s.resamples(), ds + 2 * j + 7)) {
                        OpeValidation.record(errors, covered, ess, units, truth.target() + "\tone-step\t"
                                + v.estimator() + "\t" + size, d, s, v.value(), v.low(), v.high(), v.ess(),
                                feedback.rows(), truth.oneStep().mean());
                    }
                    multiStep(errors, covered, ess, units, s, d, size, trajectories, design,
                            targetSteps(log, j, setup.slateSize()), truth, ds + 2 * j + 1);
                }
                progress.accept(String.format(Locale.ROOT, "size %d: log %d/%d (%d rounds, %d episodes)", size, d + 1,
                        s.datasets(), log.rounds(), log.episodes().size()));
            }
        }
        return new OpeValidation.Result(s, logger.name(), truths, OpeValidation.cells(errors, covered, ess, units),
                warnings);
    }

    /** The multi-step estimators of {@code s} and {@code pdiips} on the slate trajectories, recorded as cells. */
    private static void multiStep(Map<String, double[]> errors, Map<String, int[]> covered, Map<String, double[]> ess,
            Map<String, double[]> units, OpeValidation.Settings s, int d, int size, List<SlateTrajectory> trajectories,
            SlateFittedQEvaluation.Design design, List<SlateTargetStep[]> target, OpeValidation.Truth truth,
            long seed) {
        List<SequentialEstimator> estimators = new ArrayList<>(s.multiStepEstimators());
        estimators.add(PerDecisionIndependentIps.of(trajectories, target));
        List<WeightedTrajectory> weighed = design.weigh(target, s.gamma());
        for (SequentialEstimate e : SequentialEstimators.estimateAll(estimators, weighed, s.gamma(), s.resamples(),
                seed)) {
            OpeValidation.record(errors, covered, ess, units, truth.target() + "\tmulti-step\t" + e.estimator() + "\t"
                    + size, d, s, e.value(), e.low(), e.high(), e.effectiveSampleSize(), e.trajectories(),
                    truth.multiStep().mean());
        }
    }

    /** Candidate features per action: the observation's candidate blocks, else the item features (0: one-hot). */
    static int itemDim(Setup setup) {
        if (setup.candidates() != null) {
            return setup.candidates().width();
        }
        return setup.itemEmbeddings() == null ? 0 : setup.itemDim();
    }

    /**
     * The log's episodes as slate trajectories: with candidate blocks, the state is the observation
     * before the first block and each action's features are its block; otherwise the whole
     * observation, and the platform's item features (or none: one-hot items). The state enters as
     * its {@link #quadratic} basis.
     */
    static List<SlateTrajectory> trajectories(SimLog log, Setup setup) {
        CandidateBlocks blocks = setup.candidates();
        int q = itemDim(setup);
        int n = setup.actionCount();
        List<SlateTrajectory> out = new ArrayList<>(log.episodes().size());
        for (SimLog.Episode ep : log.episodes()) {
            int len = ep.steps().size();
            double[][] x = new double[len][];
            double[][] cand = q == 0 ? null : new double[len][];
            int[][] slates = new int[len][];
            double[] r = new double[len];
            double[][] pr = new double[len][];
            double[] p = new double[len];
            double[][] pp = new double[len][];
            for (int t = 0; t < len; t++) {
                SimLog.Step st = ep.steps().get(t);
                float[] o = st.observation();
                x[t] = quadratic(o, blocks == null ? o.length : blocks.offset());
                if (q > 0) {
                    cand[t] = new double[n * q];
                    for (int j = 0; j < n * q; j++) {
                        cand[t][j] = blocks != null ? o[blocks.offset() + j] : setup.itemEmbeddings()[j];
                    }
                }
                slates[t] = st.actions().clone();
                r[t] = st.reward();
                pr[t] = new double[slates[t].length];
                if (st.choice() >= 0) {
                    pr[t][st.choice()] = st.reward();
                }
                p[t] = st.slatePropensity();
                pp[t] = st.propensities().clone();
            }
            out.add(new SlateTrajectory(x, cand, slates, r, pr, p, pp));
        }
        return out;
    }

    /**
     * The first {@code d} features of {@code o} and all their pairwise products o_i·o_j (i ≤ j): a
     * quadratic state basis, d + d(d + 1)/2 features. On interest-evolution (d = 14: the interests,
     * the budget left, the no-click streak, the session, a constant) it lets the value model see
     * how the budget and the streak scale what the interests are worth, which a linear state does
     * not: FQE's error fell from 4–7 % to 0.5–1.7 % on 6 logs of 10,000 rounds. States of more than
     * {@value #QUADRATIC_LIMIT} features stay linear (the products would outnumber the data).
     */
    static double[] quadratic(float[] o, int d) {
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = o[i];
        }
        return d > QUADRATIC_LIMIT ? x : SlateFittedQEvaluation.quadraticState(x);
    }

    /** Target {@code j} at every step of every episode: its probability of the logged slate and its marginals. */
    static List<SlateTargetStep[]> targetSteps(SimLog log, int j, int slateSize) {
        List<SlateTargetStep[]> out = new ArrayList<>(log.episodes().size());
        for (SimLog.Episode ep : log.episodes()) {
            SlateTargetStep[] at = new SlateTargetStep[ep.steps().size()];
            for (int t = 0; t < at.length; t++) {
                SimLog.Step st = ep.steps().get(t);
                ActionDistribution[] marginals = java.util.Arrays.copyOfRange(st.targets(), j * slateSize,
                        (j + 1) * slateSize);
                at[t] = new SlateTargetStep(epsilonGreedySlate(marginals, st.actions()), marginals);
            }
            out.add(at);
        }
        return out;
    }

    /**
     * The ε-greedy slate probability (1 − ε)·1[slate = the policy's] + ε·(n − K)!/n! of {@code slate},
     * the policy's slate read from its marginals' point masses and ε from their uniform mass.
     */
    static double epsilonGreedySlate(ActionDistribution[] marginals, int[] slate) {
        int n = marginals[0].actionCount();
        double eps = marginals[0].uniformMass();
        double uniform = 1;
        boolean same = true;
        for (int k = 0; k < marginals.length; k++) {
            uniform /= n - k;
            int[] point = marginals[k].pointActions();
            same &= point.length == 1 && point[0] == slate[k];
        }
        return (same ? 1 - eps : 0) + eps * uniform;
    }

    private static List<SimLog.Step> steps(SimLog log) {
        List<SimLog.Step> out = new ArrayList<>(log.rounds());
        for (SimLog.Episode e : log.episodes()) {
            out.addAll(e.steps());
        }
        return out;
    }

    /**
     * Target {@code j} as recorded at every step (rows in the log's order): its per-position
     * marginals, and for the whole slate the ε-greedy slate probability (1 − ε)·1[slate = its slate]
     * + ε·(n − K)!/n!, its slate read from the marginals' point masses.
     */
    static TargetPolicy recorded(String name, List<SimLog.Step> steps, int j, int slateSize) {
        return new TargetPolicy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double probability(LoggedFeedback log, int row, int position, int item) {
                return steps.get(row).targets()[j * slateSize + position].probability(item);
            }

            @Override
            public double slateProbability(LoggedFeedback log, int row) {
                ActionDistribution[] marginals = java.util.Arrays.copyOfRange(steps.get(row).targets(), j * slateSize,
                        (j + 1) * slateSize);
                int[] slate = new int[slateSize];
                for (int k = 0; k < slateSize; k++) {
                    slate[k] = log.item(row, k);
                }
                return epsilonGreedySlate(marginals, slate);
            }
        };
    }
}
