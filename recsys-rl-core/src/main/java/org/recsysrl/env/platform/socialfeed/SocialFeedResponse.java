package org.recsysrl.env.platform.socialfeed;

/**
 * How a {@code social-feed} user responds to a post of content type c, given their interest θ_c,
 * their fatigue φ_c with the type and their annoyance ν (σ is the logistic function, a the post's
 * appeal, ℓ its length):
 *
 * <pre>
 *     P(engage)   = σ(2θ_c + 3(a − 0.5) − 1.5φ_c − ν)
 *     fraction    f = clip(0.4 + 0.25θ_c + 0.4a − 0.2φ_c, 0.05, 1),   minutes w = f·ℓ
 *     E[reward]   = P(engage)·f·ℓ  (+ the ad revenue for an ad, earned by showing it)
 * </pre>
 *
 * An ad pays for certain and at once, which is what makes ads the myopic choice; what it costs
 * (annoyance, fewer returns) and what friends' posts build (connection, more returns) come later
 * (see {@link SocialFeedEnv}).
 */
public final class SocialFeedResponse {
    private SocialFeedResponse() {
    }

    /** Probability that the user engages with the post rather than scrolls past it. */
    public static double engageProbability(double interest, double appeal, double fatigue, double annoyance) {
        return 1 / (1 + Math.exp(-(2 * interest + 3 * (appeal - 0.5) - 1.5 * fatigue - annoyance)));
    }

    /** Fraction of the post consumed when the user engages. */
    public static double fraction(double interest, double appeal, double fatigue) {
        return Math.max(0.05, Math.min(1, 0.4 + 0.25 * interest + 0.4 * appeal - 0.2 * fatigue));
    }

    /** The expected reward of showing post {@code i} at the given state. */
    public static double expectedReward(SocialFeedCatalog catalog, int i, double interest, double fatigue,
            double annoyance) {
        double w = engageProbability(interest, catalog.appeal(i), fatigue, annoyance)
                * fraction(interest, catalog.appeal(i), fatigue) * catalog.length(i);
        return catalog.spec().type(i) == SocialFeedSpec.ADS ? w + catalog.spec().adRevenue() : w;
    }

    /** Probability of returning after a session that ended with connection κ and annoyance ν. */
    public static double returnProbability(SocialFeedSpec spec, double connection, double annoyance) {
        return 1 / (1 + Math.exp(-(spec.returnConnection() * connection - spec.returnAnnoyance() * annoyance
                + spec.returnBias())));
    }
}
