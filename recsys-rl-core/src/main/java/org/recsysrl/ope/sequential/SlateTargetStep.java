package org.recsysrl.ope.sequential;

/**
 * A target policy at one logged step of a slate trajectory: its probability of the slate that was
 * logged, and its per-position marginals (the distribution of the action it puts at each position).
 * The marginals are all a model additive over positions needs for V̂(s) = Σ_A π(A|s) Q̂(s, A).
 *
 * @param slateProbability π(A_t | s_t), the target's probability of the logged slate
 * @param marginals [K] π(a at position k | s_t)
 */
public record SlateTargetStep(double slateProbability, ActionDistribution[] marginals) {
    public SlateTargetStep {
        if (!(slateProbability >= 0 && slateProbability <= 1 + 1e-12)) {
            throw new IllegalArgumentException("slate probability " + slateProbability + " not in [0, 1]");
        }
        if (marginals.length == 0) {
            throw new IllegalArgumentException("a slate needs at least one position's marginal");
        }
    }
}
