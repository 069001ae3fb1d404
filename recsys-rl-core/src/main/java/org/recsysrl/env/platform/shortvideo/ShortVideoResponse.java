package org.recsysrl.env.platform.shortvideo;

import org.recsysrl.env.platform.SessionEnvironment;

/**
 * How a {@code short-video} user responds to one item, given their interest θ in its topic and
 * their satiation s with it (σ is the logistic function, a the item's appeal):
 *
 * <pre>
 *     P(watch)        = σ(2θ + 3(a − 0.5) − 1.5 s)
 *     watch fraction  f = clip(0.35 + 0.25θ + 0.4a − 0.2 s, 0.05, 1)
 *     E[minutes]      = P(watch) · f · length
 * </pre>
 *
 * Appeal raises both the chance of a view and how much of it is watched, which is what makes
 * clickbait the myopic choice; quality enters only the budget and the return (see
 * {@link ShortVideoEnv}).
 */
public final class ShortVideoResponse {
    private ShortVideoResponse() {
    }

    /** Probability that the user watches rather than skips. */
    public static double watchProbability(double interest, double appeal, double satiation) {
        return 1 / (1 + Math.exp(-(2 * interest + 3 * (appeal - 0.5) - 1.5 * satiation)));
    }

    /** Fraction of the item watched when the user watches. */
    public static double watchFraction(double interest, double appeal, double satiation) {
        return Math.max(0.05, Math.min(1, 0.35 + 0.25 * interest + 0.4 * appeal - 0.2 * satiation));
    }

    /** Expected minutes watched (the immediate reward's expectation). */
    public static double expectedMinutes(double interest, double appeal, double satiation, double length) {
        return watchProbability(interest, appeal, satiation) * watchFraction(interest, appeal, satiation) * length;
    }

    /** Probability of returning for another session after one of mean watched quality {@code satisfaction}. */
    public static double returnProbability(double satisfaction, double slope, double bias) {
        return SessionEnvironment.logisticReturn(satisfaction, slope, bias);
    }
}
