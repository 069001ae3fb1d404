package org.recsysrl.ope.sequential;

import java.util.List;

/**
 * Per-decision doubly robust (and, without a model, per-decision importance sampling) with every
 * cumulative weight clipped at c:
 *
 * <pre>  V̂_CDR   = (1/n) Σ_i Σ_t γ^t [ min(w_{i,0:t}, c) (r_{i,t} − Q̂(s_{i,t}, a_{i,t})) + min(w_{i,0:t−1}, c) V̂(s_{i,t}) ]
 *  V̂_CPDIS = (1/n) Σ_i Σ_t γ^t min(w_{i,0:t}, c) r_{i,t}</pre>
 *
 * with w_{i,0:t} = Π_{k≤t} ρ_{i,k} and w_{i,0:−1} = 1. Clipping bounds every term, so one long
 * trajectory whose product of ratios exploded cannot carry the estimate; the price is a bias
 * towards the value model (DR) or towards zero (PDIS) wherever the true weights exceed c. With c at
 * least the largest cumulative weight they equal {@link TrajectoryDoublyRobust} and {@link PerDecisionIs}.
 */
public final class ClippedDoublyRobust implements SequentialEstimator {
    private final double clip;
    private final boolean withModel;

    /**
     * @param clip c &gt; 0, the largest cumulative weight any term may carry
     * @param withModel true for the doubly robust form ({@code cdr}), false for importance sampling
     *     alone ({@code cpdis})
     */
    public ClippedDoublyRobust(double clip, boolean withModel) {
        if (!(clip > 0)) {
            throw new IllegalArgumentException("weight clip " + clip + " must be > 0");
        }
        this.clip = clip;
        this.withModel = withModel;
    }

    @Override
    public String name() {
        return withModel ? "cdr" : "cpdis";
    }

    @Override
    public boolean needsModel() {
        return withModel;
    }

    /** c. */
    public double clip() {
        return clip;
    }

    @Override
    public double estimate(List<WeightedTrajectory> data, int[] index, double gamma) {
        return perDecision(data, index, gamma, clip, withModel);
    }

    /**
     * The per-decision sum shared with {@link PerDecisionIs} and {@link TrajectoryDoublyRobust} (which
     * call it with c = ∞: min(w, ∞) = w exactly, so their values do not change).
     */
    static double perDecision(List<WeightedTrajectory> data, int[] index, double gamma, double clip,
            boolean withModel) {
        double sum = 0;
        for (int i : index) {
            sum += trajectoryTerm(data.get(i), gamma, clip, withModel);
        }
        return sum / index.length;
    }

    /** One trajectory's term of the per-decision sum: Σ_t γ^t [min(w_{0:t}, c)(r_t − Q̂_t) + min(w_{0:t−1}, c) V̂_t]. */
    static double trajectoryTerm(WeightedTrajectory tr, double gamma, double clip, boolean withModel) {
        double before = 1;
        double discount = 1;
        double ret = 0;
        for (int t = 0; t < tr.length(); t++) {
            double upTo = before * tr.ratios()[t];
            double clippedUpTo = Math.min(upTo, clip);
            if (withModel) {
                ret += discount * (clippedUpTo * (tr.rewards()[t] - tr.qLogged()[t])
                        + Math.min(before, clip) * tr.vTarget()[t]);
            } else {
                ret += discount * clippedUpTo * tr.rewards()[t];
            }
            before = upTo;
            discount *= gamma;
        }
        return ret;
    }
}
