package org.recsysrl.env.platform.socialfeed;

/**
 * The parameters of the {@code social-feed} environment (docs/environments.md gives the equations).
 * The content types are fixed: {@link #FRIENDS}, {@link #CREATORS}, {@link #NEWS}, {@link #ADS}.
 *
 * @param perType posts per content type
 * @param users number of users
 * @param sessionBudget minutes a session may spend, B
 * @param scrollCost minutes every post costs, engaged with or not
 * @param adLength minutes an ad takes, watched or not
 * @param adRevenue the reward of showing an ad (its revenue, in the units of a minute of attention)
 * @param annoyanceGain annoyance an ad adds
 * @param annoyanceDecay factor annoyance keeps per post
 * @param fatigueGain fatigue a content type gains when shown
 * @param fatigueDecay factor every type's fatigue keeps per post
 * @param connectionGain how much engaging with a friend's post (of watch fraction f) adds to the connection: gain·f
 * @param connectionDecay factor the connection keeps from one session to the next
 * @param skipsToLeave consecutive skipped posts after which the user leaves the session
 * @param maxSessions sessions per episode at most
 * @param returnConnection weight of the connection in the return probability
 * @param returnAnnoyance weight of the annoyance at the session's end in the return probability
 * @param returnBias bias of the return probability
 * @param maxSteps time limit of an episode (a truncation)
 * @param seed the environment seed (posts and users)
 */
public record SocialFeedSpec(int perType, int users, double sessionBudget, double scrollCost, double adLength,
        double adRevenue, double annoyanceGain, double annoyanceDecay, double fatigueGain, double fatigueDecay,
        double connectionGain, double connectionDecay, int skipsToLeave, int maxSessions, double returnConnection,
        double returnAnnoyance, double returnBias, int maxSteps, long seed) {

    /** Content type of friends' posts. */
    public static final int FRIENDS = 0;
    /** Content type of creators' videos. */
    public static final int CREATORS = 1;
    /** Content type of news. */
    public static final int NEWS = 2;
    /** Content type of ads. */
    public static final int ADS = 3;
    /** The content types, in order. */
    public static final java.util.List<String> TYPES = java.util.List.of("friends", "creators", "news", "ads");

    /** 4 types × 25 posts, 1,000 users, sessions of 15 minutes, at most 5 sessions. */
    public static SocialFeedSpec withSeed(long seed) {
        return new SocialFeedSpec(25, 1000, 15, 0.1, 0.3, 0.25, 0.3, 0.9, 0.5, 0.8, 0.1, 0.85, 3, 5, 4, 2, -1, 1000,
                seed);
    }

    public SocialFeedSpec {
        if (perType < 1 || users < 1 || skipsToLeave < 1 || maxSessions < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("social-feed: posts per type, users, skips to leave, sessions and steps"
                    + " must be positive");
        }
        if (!(sessionBudget > 0) || !(scrollCost >= 0) || !(adLength >= 0) || !(annoyanceDecay >= 0
                && annoyanceDecay <= 1) || !(fatigueDecay >= 0 && fatigueDecay <= 1) || !(connectionDecay >= 0
                && connectionDecay <= 1)) {
            throw new IllegalArgumentException("social-feed: the budget positive, costs non-negative, decays in [0, 1]");
        }
    }

    /** Number of content types. */
    public int types() {
        return TYPES.size();
    }

    /** Number of posts (the actions). */
    public int items() {
        return types() * perType;
    }

    /** Content type of post {@code i}. */
    public int type(int i) {
        return i / perType;
    }

    /**
     * Observation width: interests (4), fatigue (4), annoyance, connection, budget left, skip streak,
     * session index, and a constant.
     */
    public int observationSize() {
        return 2 * types() + 6;
    }
}
