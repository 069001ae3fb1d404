package org.recsysrl.env.platform.shortvideo;

/**
 * The parameters of the {@code short-video} environment (docs/environments.md gives the equations
 * they enter). Every random quantity (catalogue, users, responses) derives from {@link #seed()}.
 *
 * @param topics number of topics T
 * @param itemsPerTopic items per topic (the catalogue has T × itemsPerTopic items)
 * @param clickbaitShare share of each topic's items that are clickbait (high appeal, low quality)
 * @param users number of users
 * @param sessionBudget minutes a session may spend, B
 * @param scrollCost minutes every recommendation costs, watched or not
 * @param qualityRefund ρ: watching w minutes of quality q spends w·(1 − ρ·q) of the budget
 * @param satiationGain satiation a topic gains when shown
 * @param satiationDecay factor every topic's satiation keeps per step
 * @param skipsToLeave consecutive skips after which the user leaves the session
 * @param maxSessions sessions per episode at most
 * @param returnSlope how strongly a session's satisfaction (mean quality watched) moves the return probability
 * @param returnBias return probability of a neutral session is σ(returnBias)
 * @param interestDrift how much watching moves the interest in the topic watched
 * @param maxSteps time limit of an episode (a truncation)
 * @param seed the environment seed
 */
public record ShortVideoSpec(int topics, int itemsPerTopic, double clickbaitShare, int users, double sessionBudget,
        double scrollCost, double qualityRefund, double satiationGain, double satiationDecay, int skipsToLeave,
        int maxSessions, double returnSlope, double returnBias, double interestDrift, int maxSteps, long seed) {

    /** 8 topics × 25 items, 30 % clickbait, 1,000 users, sessions of 20 minutes, at most 5 sessions. */
    public static ShortVideoSpec defaults() {
        return new ShortVideoSpec(8, 25, 0.3, 1000, 20, 0.05, 0.5, 0.5, 0.8, 3, 5, 4, 0.5, 0.02, 1000, 11);
    }

    public ShortVideoSpec {
        if (topics < 1 || itemsPerTopic < 1 || users < 1 || maxSessions < 1 || skipsToLeave < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("short-video: topics, items per topic, users, sessions, skips to leave"
                    + " and max steps must be positive");
        }
        if (!(clickbaitShare >= 0 && clickbaitShare <= 1) || !(satiationDecay >= 0 && satiationDecay <= 1)
                || !(qualityRefund >= 0 && qualityRefund < 1) || !(sessionBudget > 0) || !(scrollCost >= 0)) {
            throw new IllegalArgumentException("short-video: clickbait share and satiation decay must be in [0, 1],"
                    + " quality refund in [0, 1), the budget positive and the scroll cost non-negative");
        }
    }

    /** Number of items. */
    public int items() {
        return topics * itemsPerTopic;
    }

    /** Observation width: interests (T), satiation (T), budget left, skip streak, session index, bias. */
    public int observationSize() {
        return 2 * topics + 4;
    }
}
