package org.recsysrl.env.platform.interestevolution;

/**
 * How an {@code interest-evolution} user responds to a slate: a multinomial logit over the slate's
 * documents and the option of taking none (Ie et al. 2019, RecSim), then a watch fraction. With θ
 * the user's interest in a document's topic, a its appeal, q its quality and k its position (0 =
 * first):
 *
 * <pre>
 *     score_k   = β·(θ + a) − decay·k,      score of no click = v₀
 *     P(k)      = e^{score_k} / (e^{v₀} + Σ_j e^{score_j})
 *     fraction  f = clip(0.6 + 0.15·q + 0.2·θ, 0.05, 1),    minutes watched w = f · length
 *     E[w]      = Σ_k P(k) · f_k · length
 * </pre>
 *
 * Appeal wins the click and quality barely changes how much is watched, which makes clickbait the
 * myopic choice; quality acts through the budget and the return (see {@link InterestEvolutionEnv}).
 */
public final class InterestEvolutionResponse {
    private InterestEvolutionResponse() {
    }

    /** e^{score} of a document at slate position {@code position}. */
    public static double choiceWeight(InterestEvolutionSpec spec, double interest, double appeal, int position) {
        return Math.exp(spec.choiceScale() * (interest + appeal) - spec.positionDecay() * position);
    }

    /** e^{v₀}, the weight of taking nothing. */
    public static double noClickWeight(InterestEvolutionSpec spec) {
        return Math.exp(spec.noClickScore());
    }

    /** Fraction of a document watched once chosen. */
    public static double watchFraction(double interest, double quality) {
        return Math.max(0.05, Math.min(1, 0.6 + 0.15 * quality + 0.2 * interest));
    }
}
