package org.recsysrl.env.platform.education;

/**
 * How an {@code education} learner responds to an exercise of difficulty d on skill k, with
 * mastery m_k and the prerequisite's mastery m_{k−1} (σ the logistic function):
 *
 * <pre>
 *     readiness  r = 1 for the first skill, else min(1, m_{k−1} / readyMastery)²
 *     P(solved)  = σ(8 (m_k + 0.15 − d))
 *     gain       g = 0.25 · r · exp(−((d − m_k − 0.1) / 0.12)²) · (1 − m_k)     (when solved)
 * </pre>
 *
 * An exercise teaches most just above the learner's level (the zone of proximal development), and
 * only as much as the prerequisite allows; the reward is the gain weighted by the skill's worth.
 */
public final class EducationResponse {
    private EducationResponse() {
    }

    /** Readiness to learn skill k given the prerequisite's mastery ({@code prerequisite} < 0: none). */
    public static double readiness(double prerequisite, double readyMastery) {
        if (prerequisite < 0) {
            return 1;
        }
        double r = Math.min(1, prerequisite / readyMastery);
        return r * r;
    }

    /** Probability of solving an exercise of difficulty d at mastery m. */
    public static double solveProbability(double mastery, double difficulty) {
        return 1 / (1 + Math.exp(-8 * (mastery + 0.15 - difficulty)));
    }

    /** Mastery gained by solving it. */
    public static double gain(double mastery, double difficulty, double readiness) {
        double x = (difficulty - mastery - 0.1) / 0.12;
        return 0.25 * readiness * Math.exp(-x * x) * (1 - mastery);
    }
}
