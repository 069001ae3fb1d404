package org.recsysrl.ope.sequential;

import java.util.List;

/**
 * The direct method for trajectories: the value model's estimate of the start states,
 *
 * <pre>  V̂_DM = (1/n) Σ_i V̂(s_{i,0}),   V̂(s) = Σ_a π(a|s) Q̂(s, a)</pre>
 *
 * With Q̂ from {@link FittedQEvaluation} this is fitted-Q evaluation ({@code fqe}); with a one-step
 * log and γ = 0 it is the bandit direct method (a reward model averaged under the target).
 */
public final class DirectValue implements SequentialEstimator {
    private final String name;

    /** @param name {@code fqe} for trajectories, {@code dm} for one-step logs */
    public DirectValue(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public double estimate(List<WeightedTrajectory> data, int[] index, double gamma) {
        double sum = 0;
        for (int i : index) {
            sum += data.get(i).vTarget()[0];
        }
        return sum / index.length;
    }
}
