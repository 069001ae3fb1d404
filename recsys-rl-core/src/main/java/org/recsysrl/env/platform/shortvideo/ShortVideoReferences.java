package org.recsysrl.env.platform.shortvideo;

import org.recsysrl.agent.Policy;
import org.recsysrl.env.platform.shortvideo.ShortVideoCatalog;
import org.recsysrl.env.platform.shortvideo.ShortVideoEnv;
import org.recsysrl.env.platform.shortvideo.ShortVideoResponse;
import org.recsysrl.env.platform.shortvideo.ShortVideoSpec;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.eval.EpisodeStats;
import org.recsysrl.eval.RowPolicy;
import org.recsysrl.util.Rng;

/**
 * The reference policies of {@code short-video}. The observation carries the true user state
 * (interests and satiation), so the oracles read it from there:
 *
 * <ul>
 *   <li>{@code random}: a uniformly random item;
 *   <li>{@code popular}: the item with the most expected minutes averaged over every user's
 *       initial interests (the same item for everyone, every step);
 *   <li>{@code myopic-oracle}: the item with the most expected minutes now,
 *       {@link ShortVideoResponse#expectedMinutes} at the true state: the best a policy can do for
 *       the next step alone;
 *   <li>{@code budget-aware}: the item with the most expected minutes per minute of session budget
 *       it spends, E[w] / (E[w]·(1 − ρ·quality) + scrollCost): a policy that knows the model and
 *       plans for the session's length, not just the next view.
 * </ul>
 */
public final class ShortVideoReferences {
    private ShortVideoReferences() {
    }

    /** The figures of {@code short-video}: sessions, likes, skips and the share of clickbait shown. */
    public static final EngagementFigures FIGURES = new EngagementFigures() {
        @Override
        public java.util.List<String> names() {
            return java.util.List.of("sessions", "likes", "skips", "clickbait share");
        }

        @Override
        public void read(org.recsysrl.env.Environment env, EpisodeStats episode, double[] out) {
            ShortVideoEnv.Engagement e = ((ShortVideoEnv) env).engagement();
            out[0] = e.sessions;
            out[1] = e.liked;
            out[2] = e.skipped;
            out[3] = (double) e.clickbaitShown / episode.length();
        }
    };

    /** A uniformly random item per step. */
    public static Policy random(ShortVideoCatalog catalog, Rng rng) {
        return RowPolicy.uniformRandom(catalog.spec().items(), rng);
    }

    /** The single item with the most expected minutes over the users' initial interests. */
    public static Policy popular(ShortVideoCatalog catalog) {
        ShortVideoSpec spec = catalog.spec();
        int item = RowPolicy.best(0, spec.items(), i -> {
            double sum = 0;
            for (int u = 0; u < spec.users(); u++) {
                sum += ShortVideoResponse.expectedMinutes(catalog.interest(u, catalog.topic(i)), catalog.appeal(i), 0,
                        catalog.length(i));
            }
            return sum;
        });
        return RowPolicy.of("popular", (obs, b) -> item);
    }

    /** The item with the most expected minutes at the observed (true) state. */
    public static Policy myopicOracle(ShortVideoCatalog catalog) {
        return RowPolicy.of("myopic-oracle", (obs, b) -> argmax(catalog, obs, b, false));
    }

    /** The item with the most expected minutes per minute of budget spent, at the observed state. */
    public static Policy budgetAware(ShortVideoCatalog catalog) {
        return RowPolicy.of("budget-aware", (obs, b) -> argmax(catalog, obs, b, true));
    }

    private static int argmax(ShortVideoCatalog catalog, float[] obs, int b, boolean perBudget) {
        ShortVideoSpec spec = catalog.spec();
        int topics = spec.topics();
        int off = b * spec.observationSize();
        return RowPolicy.best(0, spec.items(), i -> {
            int t = catalog.topic(i);
            double w = ShortVideoResponse.expectedMinutes(obs[off + t], catalog.appeal(i), obs[off + topics + t],
                    catalog.length(i));
            return perBudget ? w / (w * (1 - spec.qualityRefund() * catalog.quality(i)) + spec.scrollCost()) : w;
        });
    }
}
