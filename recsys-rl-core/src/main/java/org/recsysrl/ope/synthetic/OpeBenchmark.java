package org.recsysrl.ope.synthetic;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.ope.Bootstrap;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.estimator.Estimator;
import org.recsysrl.ope.estimator.Estimators;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.estimator.UnitTerms;
import org.recsysrl.ope.model.RewardModel;
import org.recsysrl.ope.model.RidgeRewardModel;
import org.recsysrl.ope.policy.Policies;
import org.recsysrl.ope.policy.TargetPolicy;

/**
 * Times the one-step estimators on a large synthetic log (100 contexts of dimension 5, a softmax
 * logger with 10 % uniform exploration, Bernoulli rewards): log generation, the cross-fitted ridge
 * reward model, the per-target input (weights and model values), and each estimator's point
 * estimate and bootstrap. Single-threaded; wall-clock times from {@link System#nanoTime()}.
 */
public final class OpeBenchmark {
    /**
     * One measured step.
     *
     * @param step    what was timed
     * @param seconds wall-clock seconds
     * @param value   the estimate, or NaN for steps that produce none
     */
    public record Timing(String step, double seconds, double value) {
    }

    private OpeBenchmark() {
    }

    /** Runs the benchmark with the uniform target (context-free) and returns the timings in order. */
    public static List<Timing> run(int rows, int items, int bootstrap, long seed) {
        List<Timing> out = new ArrayList<>();
        long t = System.nanoTime();
        SyntheticBandit bandit = new SyntheticBandit(100, 5, items, 1.0, 0.1, seed);
        LoggedFeedback log = bandit.log(rows, seed, false);
        out.add(new Timing("generate " + rows + " rows x " + items + " items", secs(t), Double.NaN));
        t = System.nanoTime();
        RewardModel model = RidgeRewardModel.crossFitted(log, 1.0, 1.0, 2);
        out.add(new Timing("fit reward model (ridge, 2-fold cross-fit)", secs(t), Double.NaN));
        TargetPolicy target = Policies.uniform(log, "uniform");
        t = System.nanoTime();
        OpeInput in = OpeInput.prepare(log, target, model);
        out.add(new Timing("prepare input (weights, q̂, v̂; uniform target)", secs(t), Double.NaN));
        for (String name : Estimators.oneStepNames()) {
            Estimator<OpeInput> e = Estimators.byName(name);
            t = System.nanoTime();
            UnitTerms terms = e.terms(in);
            double v = terms.estimate();
            out.add(new Timing(name + " point estimate", secs(t), v));
            t = System.nanoTime();
            Bootstrap.replicates(List.of(terms), bootstrap, seed);
            out.add(new Timing(name + " bootstrap x" + bootstrap, secs(t), Double.NaN));
        }
        out.add(new Timing("true value of the uniform target", 0, bandit.trueValue(target)));
        return out;
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
