package org.recsysrl.env.platform.socialfeed;

import org.recsysrl.agent.Policy;
import org.recsysrl.env.Environment;
import org.recsysrl.env.platform.socialfeed.SocialFeedCatalog;
import org.recsysrl.env.platform.socialfeed.SocialFeedEnv;
import org.recsysrl.env.platform.socialfeed.SocialFeedResponse;
import org.recsysrl.env.platform.socialfeed.SocialFeedSpec;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.eval.EpisodeStats;
import org.recsysrl.eval.RowPolicy;
import org.recsysrl.util.Rng;

/**
 * The reference policies of {@code social-feed}; the observation carries the true user state:
 *
 * <ul>
 *   <li>{@code random}: a uniformly random post;
 *   <li>{@code popular}: the post with the most expected minutes of engagement averaged over every
 *       user's initial interests (the same post for everyone);
 *   <li>{@code myopic-oracle}: the post with the most expected reward now (minutes, plus revenue
 *       for an ad) at the true state;
 *   <li>{@code retention-aware}: the post with the most expected reward plus {@link #RETENTION_WEIGHT}
 *       times what it is expected to add to the logit of the user's return (connection from
 *       friends' posts, minus annoyance from ads): a one-step heuristic that knows the model.
 * </ul>
 */
public final class SocialFeedReferences {
    /** Minutes a unit of the return logit is worth to {@code retention-aware}. */
    public static final double RETENTION_WEIGHT = 5;

    private SocialFeedReferences() {
    }

    /** The figures of {@code social-feed}: sessions, minutes, ad revenue, engaged share, connection at the end. */
    public static final EngagementFigures FIGURES = new EngagementFigures() {
        @Override
        public java.util.List<String> names() {
            return java.util.List.of("sessions", "minutes", "ad revenue", "engaged share", "connection");
        }

        @Override
        public void read(Environment env, EpisodeStats episode, double[] out) {
            SocialFeedEnv feed = (SocialFeedEnv) env;
            SocialFeedEnv.Engagement e = feed.engagement();
            out[0] = e.sessions;
            out[1] = e.minutes;
            out[2] = e.revenue;
            out[3] = e.shown == 0 ? 0 : (double) e.engaged / e.shown;
            out[4] = feed.connection();
        }
    };

    /** A uniformly random post per step. */
    public static Policy random(SocialFeedSpec spec, Rng rng) {
        return RowPolicy.uniformRandom(spec.items(), rng);
    }

    /** The single post with the most expected minutes over the users' initial interests. */
    public static Policy popular(SocialFeedCatalog catalog) {
        SocialFeedSpec spec = catalog.spec();
        int post = RowPolicy.best(0, spec.items(), i -> {
            double sum = 0;
            int c = spec.type(i);
            for (int u = 0; u < spec.users(); u++) {
                double theta = catalog.interest(u, c);
                sum += SocialFeedResponse.engageProbability(theta, catalog.appeal(i), 0, 0)
                        * SocialFeedResponse.fraction(theta, catalog.appeal(i), 0) * catalog.length(i);
            }
            return sum;
        });
        return RowPolicy.of("popular", (obs, b) -> post);
    }

    /** The post with the most expected reward now. */
    public static Policy myopicOracle(SocialFeedCatalog catalog) {
        return RowPolicy.of("myopic-oracle", (obs, b) -> argmax(catalog, obs, b, 0));
    }

    /** The post with the most expected reward plus the weighted change of the return logit it brings. */
    public static Policy retentionAware(SocialFeedCatalog catalog) {
        return RowPolicy.of("retention-aware", (obs, b) -> argmax(catalog, obs, b, RETENTION_WEIGHT));
    }

    private static int argmax(SocialFeedCatalog catalog, float[] obs, int b, double retention) {
        SocialFeedSpec spec = catalog.spec();
        int types = spec.types();
        int off = b * spec.observationSize();
        double annoyance = obs[off + 2 * types];
        return RowPolicy.best(0, spec.items(), i -> {
            int c = spec.type(i);
            double theta = obs[off + c];
            double fatigue = obs[off + types + c];
            double value = SocialFeedResponse.expectedReward(catalog, i, theta, fatigue, annoyance);
            if (retention > 0) {
                double logit = 0;
                if (c == SocialFeedSpec.FRIENDS) {
                    logit += spec.returnConnection() * spec.connectionGain()
                            * SocialFeedResponse.engageProbability(theta, catalog.appeal(i), fatigue, annoyance)
                            * SocialFeedResponse.fraction(theta, catalog.appeal(i), fatigue);
                } else if (c == SocialFeedSpec.ADS) {
                    logit -= spec.returnAnnoyance() * spec.annoyanceGain();
                }
                value += retention * logit;
            }
            return value;
        });
    }
}
