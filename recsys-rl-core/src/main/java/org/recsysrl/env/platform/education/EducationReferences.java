package org.recsysrl.env.platform.education;

import java.util.List;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.Environment;
import org.recsysrl.env.platform.education.EducationEnv;
import org.recsysrl.env.platform.education.EducationResponse;
import org.recsysrl.env.platform.education.EducationSpec;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.eval.EpisodeStats;
import org.recsysrl.eval.RowPolicy;
import org.recsysrl.util.Rng;

/**
 * The reference policies of {@code education}; the observation carries the true mastery, so the
 * oracles read it from there:
 *
 * <ul>
 *   <li>{@code random}: a uniformly random exercise;
 *   <li>{@code popular}: the one exercise with the most expected weighted gain over the learners'
 *       starting mastery (the same for everyone, every step);
 *   <li>{@code myopic-oracle}: the exercise with the most expected reward now,
 *       P(solved)·gain·weight at the true mastery;
 *   <li>{@code prerequisite-first}: a curriculum that knows the model: the first skill of the chain
 *       not yet mastered (below {@code readyMastery}), at its exercise with the most expected gain;
 *       the myopic choice once every skill is mastered.
 * </ul>
 */
public final class EducationReferences {
    /** The figures of {@code education}: sessions, share of exercises solved, learning gain, skills mastered. */
    public static final EngagementFigures FIGURES = new EngagementFigures() {
        @Override
        public List<String> names() {
            return List.of("sessions", "solved share", "learning gain", "skills mastered");
        }

        @Override
        public void read(Environment env, EpisodeStats episode, double[] out) {
            EducationEnv e = (EducationEnv) env;
            out[0] = e.engagement().sessions;
            out[1] = (double) e.engagement().solved / e.engagement().attempts;
            out[2] = e.engagement().learningGain;
            out[3] = e.skillsMastered();
        }
    };

    private EducationReferences() {
    }

    /** A uniformly random exercise per step. */
    public static Policy random(EducationSpec spec, Rng rng) {
        return RowPolicy.uniformRandom(spec.items(), rng);
    }

    /** The one exercise with the most expected weighted gain over the learners' starting mastery. */
    public static Policy popular(EducationSpec spec, float[] learners) {
        float[] state = new float[spec.observationSize()];
        double[] sum = new double[spec.items()];
        for (float m0 : learners) {
            state[0] = m0;
            for (int i = 0; i < spec.items(); i++) {
                sum[i] += expectedReward(spec, state, 0, i);
            }
        }
        int item = RowPolicy.best(0, spec.items(), i -> sum[i]);
        return RowPolicy.of("popular", (obs, b) -> item);
    }

    /** The exercise with the most expected reward at the observed (true) mastery. */
    public static Policy myopicOracle(EducationSpec spec) {
        return RowPolicy.of("myopic-oracle", (obs, b) -> bestOf(spec, obs, b * spec.observationSize(), -1));
    }

    /** The first skill not yet mastered, at its exercise with the most expected reward; else myopic. */
    public static Policy prerequisiteFirst(EducationSpec spec) {
        return RowPolicy.of("prerequisite-first", (obs, b) -> {
            int off = b * spec.observationSize();
            for (int k = 0; k < spec.skills(); k++) {
                if (obs[off + k] < spec.readyMastery()) {
                    return bestOf(spec, obs, off, k);
                }
            }
            return bestOf(spec, obs, off, -1);
        });
    }

    /** P(solved)·gain·weight of exercise {@code i} at the mastery {@code obs[off ..]}. */
    public static double expectedReward(EducationSpec spec, float[] obs, int off, int i) {
        int k = spec.skill(i);
        double m = obs[off + k];
        double d = spec.difficulty(i);
        double r = EducationResponse.readiness(k == 0 ? -1 : obs[off + k - 1], spec.readyMastery());
        return EducationResponse.solveProbability(m, d) * EducationResponse.gain(m, d, r) * spec.weight(k);
    }

    /** The exercise with the most expected reward, among skill {@code onlySkill}'s (or all, if −1). */
    private static int bestOf(EducationSpec spec, float[] obs, int off, int onlySkill) {
        int from = onlySkill < 0 ? 0 : onlySkill * spec.levels();
        int to = onlySkill < 0 ? spec.items() : from + spec.levels();
        return RowPolicy.best(from, to, i -> expectedReward(spec, obs, off, i));
    }
}
