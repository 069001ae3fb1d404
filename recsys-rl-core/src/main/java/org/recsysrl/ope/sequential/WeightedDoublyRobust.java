package org.recsysrl.ope.sequential;

import java.util.Arrays;
import java.util.List;

/**
 * Weighted doubly robust for trajectories (Thomas &amp; Brunskill 2016): the per-decision doubly
 * robust estimator with the cumulative weights self-normalised over the trajectories at every step,
 *
 * <pre>  V̂_WDR = Σ_t γ^t Σ_i [ w̄_{i,t} (r_{i,t} − Q̂(s_{i,t}, a_{i,t})) + w̄_{i,t−1} V̂(s_{i,t}) ],
 *  w̄_{i,t} = w_{i,0:t} / Σ_j w_{j,0:t},   w̄_{i,−1} = 1/n,</pre>
 *
 * with w_{i,0:t} the product of trajectory i's ratios up to step t. As in {@link WeightedPerDecisionIs}
 * a trajectory that ended before t stays in an absorbing state (reward, Q̂ and V̂ 0) with its last
 * weight, so it still counts in the normaliser; a step whose weights are all 0 adds nothing of its
 * weighted part. Biased but consistent; the normalised weights bound every correction term by the
 * range of the model's errors, which trades the unbounded variance of {@link TrajectoryDoublyRobust}
 * for a bias that vanishes with the log's size. With every ratio 1 it equals {@link TrajectoryDoublyRobust}.
 */
public final class WeightedDoublyRobust implements SequentialEstimator {
    @Override
    public String name() {
        return "wdr";
    }

    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public double estimate(List<WeightedTrajectory> data, int[] index, double gamma) {
        int m = index.length;
        int horizon = WeightedTrajectory.horizon(data, index);
        double[] w = new double[m];
        Arrays.fill(w, 1);
        double before = m;
        double value = 0;
        double discount = 1;
        for (int t = 0; t < horizon; t++) {
            double baseline = 0;
            double corrected = 0;
            double norm = 0;
            for (int k = 0; k < m; k++) {
                WeightedTrajectory tr = data.get(index[k]);
                if (t < tr.length()) {
                    baseline += w[k] * tr.vTarget()[t];
                    w[k] *= tr.ratios()[t];
                    corrected += w[k] * (tr.rewards()[t] - tr.qLogged()[t]);
                }
                norm += w[k];
            }
            double step = 0;
            if (before > 0) {
                step += baseline / before;
            }
            if (norm > 0) {
                step += corrected / norm;
            }
            value += discount * step;
            before = norm;
            discount *= gamma;
        }
        return value;
    }
}
