package org.recsysrl.env.platform.longvideo;

/**
 * How a {@code long-video} user responds to a video of genre g, given their interest θ_g and their
 * fatigue F (minutes watched this session / fatigueScale; σ is the logistic function, a the
 * video's appeal, ℓ its length in minutes):
 *
 * <pre>
 *     P(start)      = σ(2θ_g + 2(a − 0.5))
 *     completion    f = clip(0.7 + 0.25θ_g + 0.3a − fatiguePenalty·F·ℓ/60, 0.05, 1)
 *     minutes       w = f·ℓ
 *     E[minutes]    = P(start)·f·ℓ
 * </pre>
 *
 * A long video gives the most minutes now even when it is not finished, which makes it the myopic
 * choice; a tired user abandons it, and sessions of abandoned videos bring fewer returns (see
 * {@link LongVideoEnv}).
 */
public final class LongVideoResponse {
    private LongVideoResponse() {
    }

    /** Probability that the user starts the video. */
    public static double startProbability(double interest, double appeal) {
        return 1 / (1 + Math.exp(-(2 * interest + 2 * (appeal - 0.5))));
    }

    /** Fraction of the video watched once started. */
    public static double completion(LongVideoSpec spec, double interest, double appeal, double fatigue, double length) {
        return Math.max(0.05, Math.min(1, 0.7 + 0.25 * interest + 0.3 * appeal
                - spec.fatiguePenalty() * fatigue * length / 60));
    }

    /** Expected minutes watched (the immediate reward's expectation). */
    public static double expectedMinutes(LongVideoSpec spec, double interest, double appeal, double fatigue,
            double length) {
        return startProbability(interest, appeal) * completion(spec, interest, appeal, fatigue, length) * length;
    }

    /** Probability of returning after a session whose started videos were completed {@code completion} on average. */
    public static double returnProbability(LongVideoSpec spec, double completion) {
        return 1 / (1 + Math.exp(-(spec.returnSlope() * (completion - spec.returnCenter()) + spec.returnBias())));
    }
}
