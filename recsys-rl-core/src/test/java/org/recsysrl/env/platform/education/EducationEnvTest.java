package org.recsysrl.env.platform.education;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;
import org.recsysrl.env.StepResult;

class EducationEnvTest {
    private static final EducationSpec SPEC = EducationSpec.defaults();
    private static final float[] LEARNERS = EducationEnv.learners(SPEC);

    @Test
    void responseFormulasByHand() {
        // prerequisite mastery 0.3 of a ready mastery 0.6: (0.5)² = 0.25; the first skill is always ready
        assertThat(EducationResponse.readiness(0.3, 0.6)).isCloseTo(0.25, within(1e-12));
        assertThat(EducationResponse.readiness(0.9, 0.6)).isEqualTo(1.0);
        assertThat(EducationResponse.readiness(-1, 0.6)).isEqualTo(1.0);
        // m = 0.2, d = 0.35: σ(8·0) = 0.5; the gain peaks at d = m + 0.1: 0.25·1·1·0.8 = 0.2
        assertThat(EducationResponse.solveProbability(0.2, 0.35)).isCloseTo(0.5, within(1e-12));
        assertThat(EducationResponse.gain(0.2, 0.3, 1)).isCloseTo(0.2, within(1e-12));
        // 0.12 further away: e^-1 of that
        assertThat(EducationResponse.gain(0.2, 0.42, 0.25)).isCloseTo(0.25 * 0.25 * Math.exp(-1) * 0.8, within(1e-12));
        assertThat(SPEC.difficulty(0)).isCloseTo(0.05, within(1e-12));
        assertThat(SPEC.difficulty(13)).isCloseTo(0.35, within(1e-12));
        assertThat(SPEC.skill(13)).isEqualTo(1);
        assertThat(SPEC.weight(2)).isCloseTo(1.6 * 1.6, within(1e-12));
    }

    @Test
    void aSolvedExerciseRaisesMasteryAndPaysTheWeightedGain() {
        int d = SPEC.observationSize();
        boolean sawSolved = false;
        boolean sawFailed = false;
        for (long seed = 0; seed < 60 && !(sawSolved && sawFailed); seed++) {
            EducationEnv env = new EducationEnv(SPEC, LEARNERS, seed);
            float[] obs = new float[d];
            env.reset(7, obs, 0);
            double m0 = obs[0];
            assertThat(m0).isEqualTo(LEARNERS[7]);
            assertThat(obs[1]).isZero();
            int item = 2 + (int) (seed % 3); // skill 0, difficulty 0.25 .. 0.45
            StepResult r = new StepResult();
            env.step(item, obs, 0, r);
            if (r.reward > 0) {
                sawSolved = true;
                double g = EducationResponse.gain(m0, SPEC.difficulty(item), 1);
                assertThat((double) r.reward).isCloseTo(g * SPEC.weight(0), within(1e-6));
                assertThat((double) obs[0]).isCloseTo(m0 + g, within(1e-6));
                double cost = SPEC.difficulty(item) < m0 - 0.15 ? SPEC.boredomCost() : SPEC.flowCost();
                assertThat((double) obs[SPEC.skills()]).isCloseTo((SPEC.patience() - cost) / SPEC.patience(), within(1e-6));
            } else {
                sawFailed = true;
                assertThat((double) obs[0]).isEqualTo(m0);
                assertThat((double) obs[SPEC.skills()])
                        .isCloseTo((SPEC.patience() - SPEC.failureCost()) / SPEC.patience(), within(1e-6));
            }
        }
        assertThat(sawSolved).isTrue();
        assertThat(sawFailed).isTrue();
    }

    @Test
    void aSkillWithoutItsPrerequisiteTeachesNothing() {
        EducationEnv env = new EducationEnv(SPEC, LEARNERS, 3);
        float[] obs = new float[SPEC.observationSize()];
        StepResult r = new StepResult();
        env.reset(1, obs, 0);
        // skill 2's easiest exercise: skill 1 has mastery 0, so readiness 0 and no gain even when solved
        for (int t = 0; t < 5 && !r.done(); t++) {
            env.step(2 * SPEC.levels(), obs, 0, r);
            assertThat(r.reward).isZero();
            assertThat(obs[2]).isZero();
        }
    }

    @Test
    void episodesEndWhenTheLearnerStopsComingBackAndResumeExactly() throws Exception {
        EducationEnv a = new EducationEnv(SPEC, LEARNERS, 9);
        float[] oa = new float[SPEC.observationSize()];
        StepResult ra = new StepResult();
        a.reset(4, oa, 0);
        int steps = 0;
        do {
            a.step(79, oa, 0, ra); // the hardest exercise of the last skill: always failed
            steps++;
        } while (!ra.done());
        assertThat(ra.terminated).isTrue();
        assertThat(a.engagement().solved).isZero();
        // patience 10 at 1.5 per failure: 7 failures end a session
        assertThat(steps % 7).isZero();
        assertThat(a.engagement().sessions).isEqualTo(steps / 7);
        assertThatThrownBy(() -> a.step(0, oa, 0, ra)).isInstanceOf(IllegalStateException.class);

        EducationEnv b = new EducationEnv(SPEC, LEARNERS, 5);
        b.reset(2, oa, 0);
        for (int t = 0; t < 4; t++) {
            b.step(3, oa, 0, ra);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        b.saveState(new DataOutputStream(bytes));
        EducationEnv c = new EducationEnv(SPEC, LEARNERS, 77);
        c.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        float[] ob = new float[SPEC.observationSize()];
        float[] oc = new float[SPEC.observationSize()];
        StepResult rb = new StepResult();
        StepResult rc = new StepResult();
        for (int t = 0; t < 20 && !rb.done(); t++) {
            b.step(t % 10, ob, 0, rb);
            c.step(t % 10, oc, 0, rc);
            assertThat(oc).containsExactly(ob);
            assertThat(rc.reward).isEqualTo(rb.reward);
        }
    }
}
