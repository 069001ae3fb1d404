package org.recsysrl.env.platform.interestevolution;

/**
 * The parameters of the {@code interest-evolution} environment (docs/environments.md gives the
 * equations they enter). Every random quantity (corpus, users, candidates, responses) derives from
 * {@link #seed()}.
 *
 * @param topics number of topics T
 * @param docsPerTopic documents per topic (the corpus has T × docsPerTopic)
 * @param clickbaitTopics how many topics are clickbait (high appeal, low quality); the rest are nutritious
 * @param candidates N, documents sampled from the corpus for every step, the actions of that step
 * @param slateSize K, documents shown per step
 * @param users number of users
 * @param sessionBudget minutes a session may spend, B
 * @param docLength minutes of a document watched in full
 * @param stepCost minutes every slate costs, whether anything is watched or not
 * @param qualityRefund ρ: watching w minutes of quality q spends w·(1 − ρ·q) of the budget
 * @param choiceScale β of the choice model: a document's score is β·(interest + appeal) − position decay
 * @param noClickScore score of choosing nothing
 * @param positionDecay score a document loses per slate position below the first
 * @param interestDrift how much watching moves the interest in the topic watched
 * @param noClicksToLeave consecutive slates without a click after which the user leaves the session
 * @param maxSessions sessions per episode at most
 * @param returnSlope how strongly a session's satisfaction (mean quality watched) moves the return probability
 * @param returnBias return probability of a neutral session is σ(returnBias)
 * @param maxSteps time limit of an episode (a truncation)
 * @param seed the environment seed
 */
public record InterestEvolutionSpec(int topics, int docsPerTopic, int clickbaitTopics, int candidates, int slateSize,
        int users, double sessionBudget, double docLength, double stepCost, double qualityRefund, double choiceScale,
        double noClickScore, double positionDecay, double interestDrift, int noClicksToLeave, int maxSessions,
        double returnSlope, double returnBias, int maxSteps, long seed) {

    /**
     * 10 topics (3 clickbait) × 50 documents, slates of 3 from 10 candidates, 1,000 users, sessions of
     * 30 minutes, at most 5 sessions.
     */
    public static InterestEvolutionSpec defaults() {
        return new InterestEvolutionSpec(10, 50, 3, 10, 3, 1000, 30, 4, 0.5, 0.5, 2, 0.5, 0.3, 0.1, 3, 5, 3, 0.5, 1000,
                13);
    }

    public InterestEvolutionSpec {
        if (topics < 1 || docsPerTopic < 1 || users < 1 || maxSessions < 1 || noClicksToLeave < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("interest-evolution: topics, documents per topic, users, sessions,"
                    + " no-clicks to leave and max steps must be positive");
        }
        if (clickbaitTopics < 0 || clickbaitTopics > topics) {
            throw new IllegalArgumentException("interest-evolution: clickbait topics must be in [0, topics]");
        }
        if (slateSize < 1 || candidates < slateSize || candidates > topics * docsPerTopic) {
            throw new IllegalArgumentException("interest-evolution: need 1 <= slate size <= candidates <= corpus size");
        }
        if (!(qualityRefund >= 0 && qualityRefund < 1) || !(sessionBudget > 0) || !(stepCost >= 0) || !(docLength > 0)
                || !(choiceScale >= 0) || !(positionDecay >= 0)) {
            throw new IllegalArgumentException("interest-evolution: quality refund in [0, 1), the budget and length"
                    + " positive, the step cost, choice scale and position decay non-negative");
        }
    }

    /** Number of documents in the corpus. */
    public int docs() {
        return topics * docsPerTopic;
    }

    /** Width of one candidate's block of the observation: its topic (one-hot, T) and the user's interest in it. */
    public int candidateWidth() {
        return topics + 1;
    }

    /** Offset of the first candidate block in the observation: after the user part. */
    public int candidatesOffset() {
        return topics + 4;
    }

    /**
     * Observation width: interests (T), budget left, no-click streak, session index, bias; then the
     * N candidate blocks.
     */
    public int observationSize() {
        return candidatesOffset() + candidates * candidateWidth();
    }
}
