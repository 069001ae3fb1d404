package org.recsysrl.ope.sequential;

import java.util.List;

/**
 * Per-decision independent IPS for slates whose reward is a sum over positions: the whole-slate
 * ratios carry the trajectory up to the step before, and at the step itself each position's reward
 * is weighted by its own position's ratio only,
 *
 * <pre>  V̂_PDIIPS = (1/n) Σ_i Σ_t γ^t w_{i,0:t−1} Σ_k ρ_{i,t,k} r_{i,t,k},
 *  w_{i,0:t−1} = Π_{j&lt;t} π(A_{i,j}|s_{i,j}) / μ(A_{i,j}|s_{i,j}),   ρ_{i,t,k} = π_k(a_{i,t,k}|s_{i,t}) / μ_k(a_{i,t,k}|s_{i,t})</pre>
 *
 * with π_k, μ_k the per-position marginals (w_{i,0:−1} = 1). Unbiased when the reward at position k
 * depends, given the state, only on the item at k (IIPS's assumption, Li et al. 2018) — the next state
 * may depend on the whole slate, which is why the earlier steps keep whole-slate ratios. Its
 * weights at the last step are far smaller than PDIS's; with one step it is IIPS.
 *
 * <p>The position terms ρ_{t,k} r_{t,k} are not in a {@link WeightedTrajectory}, so an instance is
 * bound to one log and one target ({@link #of}) and reads trajectory i's terms where the estimators'
 * data hold trajectory i (the bootstrap's indices refer to both alike).
 */
public final class PerDecisionIndependentIps implements SequentialEstimator {
    /** The estimator's name. */
    public static final String NAME = "pdiips";
    private final double[][] immediate;

    private PerDecisionIndependentIps(double[][] immediate) {
        this.immediate = immediate;
    }

    /**
     * The estimator for {@code target} on {@code log} (trajectories in the order of the data it will
     * be given).
     *
     * @throws IllegalArgumentException when a trajectory lacks per-position rewards and propensities
     */
    public static PerDecisionIndependentIps of(List<SlateTrajectory> log, List<SlateTargetStep[]> target) {
        if (target.size() != log.size()) {
            throw new IllegalArgumentException("need a target for every trajectory");
        }
        double[][] immediate = new double[log.size()][];
        for (int i = 0; i < log.size(); i++) {
            SlateTrajectory tr = log.get(i);
            if (!tr.hasPositions()) {
                throw new IllegalArgumentException("trajectory " + i + " has no per-position rewards: " + NAME
                        + " needs them");
            }
            SlateTargetStep[] pi = target.get(i);
            immediate[i] = new double[tr.length()];
            for (int t = 0; t < tr.length(); t++) {
                for (int k = 0; k < tr.slateSize(); k++) {
                    double r = tr.positionRewards()[t][k];
                    if (r != 0) {
                        int a = tr.slates()[t][k];
                        immediate[i][t] += pi[t].marginals()[k].probability(a) / tr.positionPropensities()[t][k] * r;
                    }
                }
            }
        }
        return new PerDecisionIndependentIps(immediate);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsModel() {
        return false;
    }

    @Override
    public double estimate(List<WeightedTrajectory> data, int[] index, double gamma) {
        if (data.size() != immediate.length) {
            throw new IllegalArgumentException(NAME + " is bound to " + immediate.length + " trajectories, given "
                    + data.size());
        }
        double sum = 0;
        for (int i : index) {
            double[] ratios = data.get(i).ratios();
            double before = 1;
            double discount = 1;
            for (int t = 0; t < ratios.length; t++) {
                sum += discount * before * immediate[i][t];
                before *= ratios[t];
                discount *= gamma;
            }
        }
        return sum / index.length;
    }
}
