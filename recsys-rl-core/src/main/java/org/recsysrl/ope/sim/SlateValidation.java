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
import org.recsysrl.ope.sequential.ActionDistribution;
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
 * intervals come from a bootstrap over whole episodes. The multi-step truth (the target's
 * discounted return) is reported, but no multi-step slate estimator is run.
 */
final class SlateValidation {
    /** The slate estimators the validation runs. */
    static final List<String> ESTIMATORS = List.of("iips", "rips", "pi", "sips", "sdr", "cascade-dr");

    private SlateValidation() {
    }

    static OpeValidation.Result run(OpeValidation.Settings s, Platform platform, Setup setup,
            Consumer<String> progress) {
        SimPolicies policies = new SimPolicies(platform, setup, s.envSeed(), s.seed());
        ExploringPolicy logger = policies.resolve(s.logger(), s.loggerExploration(), "--policy");
        List<ExploringPolicy> targets = OpeValidation.targets(s, policies);
        List<String> warnings = OpeValidation.supportWarnings(logger);
        warnings.add("slates: one-step estimators only (iips, rips, pi, sips, sdr, cascade-dr); the multi-step truth"
                + " is shown without multi-step estimates");
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
                }
                progress.accept(String.format(Locale.ROOT, "size %d: log %d/%d (%d rounds, %d episodes)", size, d + 1,
                        s.datasets(), log.rounds(), log.episodes().size()));
            }
        }
        return new OpeValidation.Result(s, logger.name(), truths, OpeValidation.cells(errors, covered, ess, units),
                warnings);
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
                ActionDistribution[] marginals = steps.get(row).targets();
                int n = marginals[j * slateSize].actionCount();
                double eps = marginals[j * slateSize].uniformMass();
                double uniform = 1;
                boolean same = true;
                for (int k = 0; k < slateSize; k++) {
                    uniform /= n - k;
                    int[] point = marginals[j * slateSize + k].pointActions();
                    same &= point.length == 1 && point[0] == log.item(row, k);
                }
                return (same ? 1 - eps : 0) + eps * uniform;
            }
        };
    }
}
