package org.recsysrl.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;
import org.junit.jupiter.api.Test;

class RecommendationEnvTest {
    private static final float EPS = 1e-6f;

    /** Items e0=(1,0), e1=(0,1), e2=(0.6,0.8); users p0=(0.6,0.8), p1=(1,0). */
    private static RecommendationEnv tinyEnv(int maxSteps, double decay, double drift) {
        SimulatorSpec spec = new SimulatorSpec(3, 2, 2, 2, maxSteps, decay, drift, 7L);
        ItemCatalog catalog = new ItemCatalog(3, 2, new float[] {1f, 0f, 0f, 1f, 0.6f, 0.8f});
        UserPopulation users = new UserPopulation(2, 2, new float[] {0.6f, 0.8f, 1f, 0f});
        return new RecommendationEnv(spec, catalog, users, new Rng(1));
    }

    @Test
    void rewardsDriftAndObservationLayoutMatchHandComputedValues() {
        RecommendationEnv env = tinyEnv(5, 0.5, 0.5);
        float[] obs = new float[1 + 4 + 1]; // off = 1, with a guard float either side
        obs[0] = 99f;
        obs[5] = 99f;
        StepResult r = new StepResult();

        env.reset(0, obs, 1);
        assertThat(obs).containsExactly(99f, 0.6f, 0.8f, 0f, 0f, 99f);
        assertThat(env.step()).isZero();

        // t=1: r = <(0.6,0.8),(1,0)> * 0.5^0 = 0.6; u = (0.6,0.8) + 0.5*(1,0) = (1.1,0.8)
        env.step(0, obs, 1, r);
        assertThat(r.reward).isCloseTo(0.6f, within(EPS));
        assertThat(obs[1]).isCloseTo(1.1f, within(EPS));
        assertThat(obs[2]).isCloseTo(0.8f, within(EPS));
        assertThat(obs[3]).isEqualTo(1f);
        assertThat(obs[4]).isEqualTo(0f);
        assertThat(obs[0]).isEqualTo(99f);
        assertThat(obs[5]).isEqualTo(99f);
        assertThat(env.step()).isEqualTo(1);

        // t=2: r = <(1.1,0.8),(0.6,0.8)> * 0.5^1 = 1.3 * 0.5 = 0.65; u = (1.4, 1.2)
        env.step(2, obs, 1, r);
        assertThat(r.reward).isCloseTo(0.65f, within(EPS));
        assertThat(obs[1]).isCloseTo(1.4f, within(EPS));
        assertThat(obs[2]).isCloseTo(1.2f, within(EPS));
        assertThat(obs[3]).isEqualTo(0.6f);
        assertThat(obs[4]).isEqualTo(0.8f);

        // t=3: r = <(1.4,1.2),(0,1)> * 0.5^2 = 0.3; u = (1.4, 1.7), not renormalised
        env.step(1, obs, 1, r);
        assertThat(r.reward).isCloseTo(0.3f, within(EPS));
        float[] u = new float[2];
        env.userState(u, 0);
        assertThat(u[0]).isCloseTo(1.4f, within(EPS));
        assertThat(u[1]).isCloseTo(1.7f, within(EPS));
        assertThat(obs[3]).isEqualTo(0f);
        assertThat(obs[4]).isEqualTo(1f);
        assertThat(r.userId).isZero();
        assertThat(r.terminated).isFalse();
        assertThat(r.truncated).isFalse();
    }

    @Test
    void defaultDriftAndDecayPowerStartAtZero() {
        RecommendationEnv env = tinyEnv(5, 0.99, SimulatorSpec.DEFAULT_INTEREST_DRIFT);
        assertThat(SimulatorSpec.DEFAULT_INTEREST_DRIFT).isEqualTo(0.05);
        float[] obs = new float[4];
        StepResult r = new StepResult();
        env.reset(1, obs, 0); // u = (1, 0)
        env.step(1, obs, 0, r); // r = 0; u = (1, 0.05)
        assertThat(r.reward).isCloseTo(0f, within(EPS));
        env.step(1, obs, 0, r); // r = 0.05 * 0.99; u = (1, 0.1)
        assertThat(r.reward).isCloseTo(0.0495f, within(EPS));
        env.step(1, obs, 0, r); // r = 0.1 * 0.99^2
        assertThat(r.reward).isCloseTo(0.09801f, within(EPS));
        assertThat(obs[0]).isCloseTo(1f, within(EPS));
        assertThat(obs[1]).isCloseTo(0.15f, within(EPS));
    }

    @Test
    void truncatesExactlyAtMaxEpisodeStepsAndNeverTerminates() {
        RecommendationEnv env = tinyEnv(4, 0.9, 0.05);
        float[] obs = new float[4];
        StepResult r = new StepResult();
        env.reset(obs, 0);
        for (int t = 1; t <= 4; t++) {
            env.step(t % 3, obs, 0, r);
            assertThat(r.terminated).isFalse();
            assertThat(r.truncated).as("truncated at t=%d", t).isEqualTo(t == 4);
            assertThat(r.done()).isEqualTo(t == 4);
        }
        assertThatThrownBy(() -> env.step(0, obs, 0, r)).isInstanceOf(IllegalStateException.class);
        env.reset(obs, 0);
        assertThat(env.step()).isZero();
        env.step(0, obs, 0, r);
        assertThat(r.truncated).isFalse();
    }

    @Test
    void rejectsInvalidActionsAndUserIdsAndStepBeforeReset() {
        RecommendationEnv env = tinyEnv(4, 0.9, 0.05);
        float[] obs = new float[4];
        StepResult r = new StepResult();
        assertThatThrownBy(() -> env.step(0, obs, 0, r)).isInstanceOf(IllegalStateException.class);
        env.reset(0, obs, 0);
        assertThatThrownBy(() -> env.step(3, obs, 0, r)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> env.step(-1, obs, 0, r)).isInstanceOf(IllegalArgumentException.class);
        assertThat(env.step()).isZero(); // the failed calls changed nothing
        assertThatThrownBy(() -> env.reset(2, obs, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> env.reset(-1, obs, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resetWithUserIdUsesThatUser() {
        SimulatorWorld world = new SimulatorWorld(new SimulatorSpec(20, 10, 4, 4, 5, 0.99, 0.05, 3L));
        RecommendationEnv env = world.newEnvironment(11);
        float[] obs = new float[8];
        float[] vectors = world.users().vectors();
        for (int u : new int[] {0, 7, 9, 3}) {
            env.reset(u, obs, 0);
            assertThat(env.currentUser()).isEqualTo(u);
            for (int j = 0; j < 4; j++) {
                assertThat(obs[j]).isEqualTo(vectors[u * 4 + j]);
                assertThat(obs[4 + j]).isZero();
            }
            StepResult r = new StepResult();
            env.step(5, obs, 0, r);
            assertThat(r.userId).isEqualTo(u);
        }
    }

    @Test
    void uniformResetCoversAllUsersEvenly() {
        SimulatorWorld world = new SimulatorWorld(new SimulatorSpec(5, 5, 3, 3, 2, 0.99, 0.05, 4L));
        RecommendationEnv env = world.newEnvironment(5);
        float[] obs = new float[6];
        int[] counts = new int[5];
        for (int k = 0; k < 1000; k++) {
            env.reset(obs, 0);
            counts[env.currentUser()]++;
            assertThat(obs[0]).isEqualTo(world.users().vectors()[env.currentUser() * 3]);
        }
        for (int c : counts) {
            assertThat(c).isBetween(140, 260); // expected 200, sd ≈ 12.6
        }
    }

    @Test
    void numUsersDeterminesHowManyDistinctStartStatesOccur() {
        for (int numUsers : new int[] {3, 7}) {
            SimulatorWorld world = new SimulatorWorld(new SimulatorSpec(5, numUsers, 3, 3, 2, 0.99, 0.05, 4L));
            RecommendationEnv env = world.newEnvironment(9);
            float[] obs = new float[6];
            Set<List<Float>> starts = new HashSet<>();
            for (int k = 0; k < 400; k++) {
                env.reset(obs, 0);
                starts.add(List.of(obs[0], obs[1], obs[2]));
            }
            assertThat(starts).hasSize(numUsers);
        }
    }

    @Test
    void userStateAwareExposesTheWorld() {
        SimulatorWorld world = new SimulatorWorld(new SimulatorSpec(6, 2, 3, 3, 4, 0.99, 0.05, 4L));
        RecommendationEnv env = world.newEnvironment(1);
        assertThat(env.itemEmbeddings()).isSameAs(world.catalog().embeddings());
        assertThat(env.itemDim()).isEqualTo(3);
        assertThat(env.userStateSize()).isEqualTo(3);
        assertThat(env.observationSize()).isEqualTo(6);
        assertThat(env.actionCount()).isEqualTo(6);
        assertThat(env.userCount()).isEqualTo(2);
        assertThat(env.currentUser()).isEqualTo(-1);
    }

    @Test
    void saveAndLoadResumeExactly() throws IOException {
        SimulatorSpec spec = new SimulatorSpec(8, 4, 3, 3, 6, 0.97, 0.05, 4L);
        SimulatorWorld world = new SimulatorWorld(spec);
        RecommendationEnv a = world.newEnvironment(1);
        float[] obsA = new float[6];
        StepResult r = new StepResult();
        a.reset(obsA, 0);
        a.step(2, obsA, 0, r);
        a.step(5, obsA, 0, r);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.saveState(new DataOutputStream(bytes));

        RecommendationEnv b = new SimulatorWorld(spec).newEnvironment(999);
        b.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(b.step()).isEqualTo(2);
        assertThat(b.currentUser()).isEqualTo(a.currentUser());
        float[] obsB = new float[6];
        StepResult rb = new StepResult();
        for (int k = 0; k < 30; k++) {
            if (r.truncated) {
                a.reset(obsA, 0);
                b.reset(obsB, 0);
            } else {
                a.step(k % 8, obsA, 0, r);
                b.step(k % 8, obsB, 0, rb);
                assertThat(rb.reward).isEqualTo(r.reward);
            }
            assertThat(obsB).containsExactly(obsA);
            assertThat(b.currentUser()).isEqualTo(a.currentUser());
        }
    }

    @Test
    void loadingStateOfAnotherShapeOrSeedIsAUserError() throws IOException {
        RecommendationEnv a = new SimulatorWorld(new SimulatorSpec(8, 4, 3, 3, 6, 0.97, 0.05, 4L)).newEnvironment(1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.saveState(new DataOutputStream(bytes));
        RecommendationEnv otherItems = new SimulatorWorld(new SimulatorSpec(9, 4, 3, 3, 6, 0.97, 0.05, 4L)).newEnvironment(1);
        assertThatThrownBy(() -> otherItems.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("env.num_items");
        RecommendationEnv otherSeed = new SimulatorWorld(new SimulatorSpec(8, 4, 3, 3, 6, 0.97, 0.05, 5L)).newEnvironment(1);
        assertThatThrownBy(() -> otherSeed.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
                .isInstanceOf(UserInputException.class);
        assertThatThrownBy(() -> a.loadState(new DataInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))))
                .isInstanceOf(UserInputException.class);
    }

    @Test
    void constructorRejectsCatalogNotMatchingSpec() {
        SimulatorSpec spec = new SimulatorSpec(3, 2, 2, 2, 3, 0.9, 0.05, 1L);
        ItemCatalog wrong = new ItemCatalog(4, 2, new float[8]);
        UserPopulation users = new UserPopulation(2, 2, new float[4]);
        assertThatThrownBy(() -> new RecommendationEnv(spec, wrong, users, new Rng(0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ItemCatalog(3, 2, new float[5]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserPopulation(2, 2, new float[5]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
