package org.recsysrl.ope.sequential;

import java.util.List;
import org.recsysrl.ope.estimator.Tuning;

/**
 * Clipped per-decision DR ({@link ClippedDoublyRobust}) with the clip chosen from the data by the
 * rule of the tuned one-step estimators ({@link Tuning}): the candidates are the 50, 70, 80, 90, 95
 * and 99 % quantiles of the trajectories' largest cumulative weights max_t w_{i,0:t}, their maximum
 * and ∞; each candidate c gives per-trajectory terms t_i(c) (a trajectory's clipped DR sum), and the
 * one with the smallest estimated mean squared error
 *
 * <pre>  Var(t(c)) / n + max(0, (mean t(c) − mean t(∞))² − Var(t(c) − t(∞)) / n)</pre>
 *
 * wins, the unclipped DR terms t(∞) being the unbiased anchor. The choice is made again on every
 * bootstrap resample, so the interval includes the choice's own noise (but, as for Switch-DR, not
 * the bias it accepts).
 */
public final class AdaptiveClippedDoublyRobust implements SequentialEstimator {
    @Override
    public String name() {
        return "cdr-auto";
    }

    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public double estimate(List<WeightedTrajectory> data, int[] index, double gamma) {
        double clip = chooseClip(data, index, gamma);
        return ClippedDoublyRobust.perDecision(data, index, gamma, clip, true);
    }

    /** The clip the rule chooses on the trajectories {@code data[index[·]]}. */
    public static double chooseClip(List<WeightedTrajectory> data, int[] index, double gamma) {
        int n = index.length;
        double[] largest = new double[n];
        for (int j = 0; j < n; j++) {
            WeightedTrajectory tr = data.get(index[j]);
            double w = 1;
            double max = 0;
            for (double r : tr.ratios()) {
                w *= r;
                max = Math.max(max, w);
            }
            largest[j] = max;
        }
        double[] candidates = Tuning.weightQuantiles(largest);
        double[] anchor = terms(data, index, gamma, Double.POSITIVE_INFINITY);
        return candidates[Tuning.choose(anchor, candidates, c -> terms(data, index, gamma, c))];
    }

    private static double[] terms(List<WeightedTrajectory> data, int[] index, double gamma, double clip) {
        double[] out = new double[index.length];
        for (int j = 0; j < index.length; j++) {
            out[j] = ClippedDoublyRobust.trajectoryTerm(data.get(index[j]), gamma, clip, true);
        }
        return out;
    }
}
