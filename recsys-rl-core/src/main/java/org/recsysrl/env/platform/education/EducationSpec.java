package org.recsysrl.env.platform.education;

/**
 * The parameters of the {@code education} environment (docs/environments.md gives the equations).
 *
 * @param skills number of skills S, a chain: skill k's prerequisite is skill k − 1
 * @param levels exercises per skill, at difficulties spread evenly over (0, 1)
 * @param learners number of learners
 * @param skillWeightGrowth skill k's learning counts {@code skillWeightGrowth^k} (later skills are worth more)
 * @param readyMastery mastery of the prerequisite at which a skill is fully ready to learn
 * @param patience patience a session starts with
 * @param failureCost patience a failed exercise costs
 * @param flowCost patience a solved exercise at the right level costs
 * @param boredomCost patience a solved exercise well below the learner's mastery costs
 * @param maxSessions sessions per episode at most
 * @param maxSteps time limit of an episode (a truncation)
 * @param seed the environment seed (the learners' starting mastery)
 */
public record EducationSpec(int skills, int levels, int learners, double skillWeightGrowth, double readyMastery,
        double patience, double failureCost, double flowCost, double boredomCost, int maxSessions, int maxSteps,
        long seed) {

    /** 8 skills × 10 levels, 1,000 learners, skill weights 1.6^k, at most 5 sessions of patience 10. */
    public static EducationSpec defaults() {
        return new EducationSpec(8, 10, 1000, 1.6, 0.6, 10, 1.5, 0.3, 1.0, 5, 1000, 13);
    }

    /** The defaults with the environment seed {@code seed}. */
    public static EducationSpec withSeed(long seed) {
        EducationSpec d = defaults();
        return new EducationSpec(d.skills, d.levels, d.learners, d.skillWeightGrowth, d.readyMastery, d.patience,
                d.failureCost, d.flowCost, d.boredomCost, d.maxSessions, d.maxSteps, seed);
    }

    public EducationSpec {
        if (skills < 1 || levels < 1 || learners < 1 || maxSessions < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("education: skills, levels, learners, sessions and steps must be positive");
        }
        if (!(skillWeightGrowth > 0) || !(readyMastery > 0 && readyMastery <= 1) || !(patience > 0)
                || !(failureCost > 0) || !(flowCost > 0) || !(boredomCost > 0)) {
            throw new IllegalArgumentException("education: weights, ready mastery, patience and costs must be positive");
        }
    }

    /** Number of exercises (the actions). */
    public int items() {
        return skills * levels;
    }

    /** Skill of exercise {@code i}. */
    public int skill(int i) {
        return i / levels;
    }

    /** Difficulty of exercise {@code i}: (level + 0.5) / levels. */
    public double difficulty(int i) {
        return (i % levels + 0.5) / levels;
    }

    /** Weight of learning in skill {@code k}: {@code skillWeightGrowth^k}. */
    public double weight(int k) {
        return Math.pow(skillWeightGrowth, k);
    }

    /** Observation width: mastery per skill, patience left, sessions started, and a constant. */
    public int observationSize() {
        return skills + 3;
    }
}
