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
 * estimate and bootstrap. Single-threaded; wall-clock times and the thread's CPU time.
 */
public final class OpeBenchmark {
    /**
     * One measured step.
     *
     * @param step    what was timed
     * @param seconds    wall-clock seconds
     * @param cpuSeconds CPU seconds of the measuring thread (what the step costs on an idle core when the
     *                   machine is shared), or NaN when the JVM cannot measure it
     * @param value      the estimate, or NaN for steps that produce none
     */
    public record Timing(String step, double seconds, double cpuSeconds, double value) {
    }

    private OpeBenchmark() {
    }

    /** Runs the benchmark with the uniform target (context-free) and returns the timings in order. */
    public static List<Timing> run(int rows, int items, int bootstrap, long seed) {
        List<Timing> out = new ArrayList<>();
        Clock t = new Clock();
        SyntheticBandit bandit = new SyntheticBandit(100, 5, items, 1.0, 0.1, seed);
        LoggedFeedback log = bandit.log(rows, seed, false);
        out.add(new Timing("generate " + rows + " rows x " + items + " items", t.wall(), t.cpu(), Double.NaN));
        t = new Clock();
        RewardModel model = RidgeRewardModel.crossFitted(log, 1.0, 1.0, 2);
        out.add(new Timing("fit reward model (ridge, 2-fold cross-fit)", t.wall(), t.cpu(), Double.NaN));
        TargetPolicy target = Policies.uniform(log, "uniform");
        t = new Clock();
        OpeInput in = OpeInput.prepare(log, target, model);
        out.add(new Timing("prepare input (weights, q̂, v̂; uniform target)", t.wall(), t.cpu(), Double.NaN));
        List<UnitTerms> all = new ArrayList<>();
        for (String name : Estimators.oneStepNames()) {
            Estimator<OpeInput> e = Estimators.byName(name);
            t = new Clock();
            UnitTerms terms = e.terms(in);
            double v = terms.estimate();
            out.add(new Timing(name + " point estimate", t.wall(), t.cpu(), v));
            t = new Clock();
            Bootstrap.replicates(List.of(terms), bootstrap, seed);
            out.add(new Timing(name + " bootstrap x" + bootstrap, t.wall(), t.cpu(), Double.NaN));
            all.add(terms);
        }
        t = new Clock();
        Bootstrap.replicates(all, bootstrap, seed);
        out.add(new Timing("all " + all.size() + " estimators' bootstrap x" + bootstrap + " on shared resamples",
                t.wall(), t.cpu(), Double.NaN));
        out.add(new Timing("true value of the uniform target", 0, 0, bandit.trueValue(target)));
        return out;
    }

    /** Wall and thread CPU time since construction. */
    private static final class Clock {
        private static final java.lang.management.ThreadMXBean THREADS =
                java.lang.management.ManagementFactory.getThreadMXBean();
        private final long wall = System.nanoTime();
        private final long cpu = cpuNow();

        double wall() {
            return (System.nanoTime() - wall) / 1e9;
        }

        double cpu() {
            return cpu < 0 ? Double.NaN : (cpuNow() - cpu) / 1e9;
        }

        private static long cpuNow() {
            return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        }
    }
}
