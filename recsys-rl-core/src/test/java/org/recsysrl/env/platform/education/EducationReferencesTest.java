package org.recsysrl.env.platform.education;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.platform.education.EducationEnv;
import org.recsysrl.env.platform.education.EducationSpec;
import org.recsysrl.eval.Comparison;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.util.Rng;

class EducationReferencesTest {
    private static final EducationSpec SPEC = EducationSpec.defaults();
    private static final float[] LEARNERS = EducationEnv.learners(SPEC);

    @Test
    void theOraclesChooseByHand() {
        float[] obs = new float[SPEC.observationSize()];
        obs[0] = 0.7f; // skill 0 mastered
        obs[1] = 0.3f; // skill 1 half way to ready
        int[] action = new int[1];
        EducationReferences.prerequisiteFirst(SPEC).act(obs, 1, action);
        assertThat(SPEC.skill(action[0])).isEqualTo(1);
        // with skill 1 at 0.3, skill 2's readiness is 0.25 but its weight 2.56: the myopic choice is the
        // exercise with the largest expected reward over all skills, found here by brute force
        EducationReferences.myopicOracle(SPEC).act(obs, 1, action);
        int best = 0;
        for (int i = 1; i < SPEC.items(); i++) {
            if (EducationReferences.expectedReward(SPEC, obs, 0, i) > EducationReferences.expectedReward(SPEC, obs, 0, best)) {
                best = i;
            }
        }
        assertThat(action[0]).isEqualTo(best);
    }

    /** The design guard: a curriculum that respects prerequisites beats the myopic oracle by far more than 10 %. */
    @Test
    void aCurriculumBeatsTheMyopicOracle() {
        int[] users = Comparison.drawUsers(200, SPEC.learners(), new Rng(3));
        List<PlatformComparison.Row> rows = PlatformComparison.run(s -> new EducationEnv(SPEC, LEARNERS, s),
                List.<Policy>of(EducationReferences.myopicOracle(SPEC), EducationReferences.prerequisiteFirst(SPEC),
                        EducationReferences.random(SPEC, new Rng(4))), users, 77, EducationReferences.FIGURES);
        PlatformComparison.Row myopic = rows.get(0);
        PlatformComparison.Row curriculum = rows.get(1);
        assertThat(curriculum.episodeReturn().low()).isGreaterThan(1.1 * myopic.episodeReturn().high());
        assertThat(curriculum.figures().get(3).mean()).as("skills mastered").isGreaterThan(myopic.figures().get(3).mean() + 2);
        assertThat(myopic.episodeReturn().mean()).isGreaterThan(rows.get(2).episodeReturn().mean());
    }
}
