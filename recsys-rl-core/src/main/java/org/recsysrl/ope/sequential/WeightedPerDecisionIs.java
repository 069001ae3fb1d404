package org.recsysrl.ope.sequential;

import java.util.List;

/**
 * Weighted (self-normalised) per-decision importance sampling: at every step t the cumulative
 * weights are normalised over the trajectories,
 *
 * <pre>  V̂_WPDIS = Σ_t γ^t Σ_i (w_{i,0:t} / Σ_j w_{j,0:t}) r_{i,t}</pre>
 *
 * where a trajectory that ended before t stays in an absorbing state with reward 0 and its last
 * weight w_{j,0:T_j−1} (so it still counts in the normaliser). Biased but consistent, and bounded
 * by the rewards' range at every step; a step whose weights are all 0 contributes 0.
 */
public final class WeightedPerDecisionIs implements SequentialEstimator {
    @Override
    public String name() {
        return "wpdis";
    }

    @Override
    public boolean needsModel() {
        return false;
    }

    @Override
    public double estimate(List<WeightedTrajectory> data, int[] index, double gamma) {
        int m = index.length;
        int horizon = WeightedTrajectory.horizon(data, index);
        double[] w = new double[m];
        java.util.Arrays.fill(w, 1);
        double value = 0;
        double discount = 1;
        for (int t = 0; t < horizon; t++) {
            double weighted = 0;
            double norm = 0;
            for (int k = 0; k < m; k++) {
                WeightedTrajectory tr = data.get(index[k]);
                if (t < tr.length()) {
                    w[k] *= tr.ratios()[t];
                    weighted += w[k] * tr.rewards()[t];
                }
                norm += w[k];
            }
            if (norm > 0) {
                value += discount * weighted / norm;
            }
            discount *= gamma;
        }
        return value;
    }
}
