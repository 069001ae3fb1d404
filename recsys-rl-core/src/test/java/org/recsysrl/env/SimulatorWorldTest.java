package org.recsysrl.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.util.Rng;
import org.junit.jupiter.api.Test;

class SimulatorWorldTest {

    private static SimulatorSpec spec(long seed) {
        return new SimulatorSpec(50, 20, 8, 8, 5, 0.99, 0.05, seed);
    }

    private static void assertUnitRows(float[] a, int rows, int dim) {
        assertThat(a).hasSize(rows * dim);
        for (int r = 0; r < rows; r++) {
            double sq = 0;
            for (int j = 0; j < dim; j++) {
                sq += (double) a[r * dim + j] * a[r * dim + j];
            }
            assertThat(Math.sqrt(sq)).as("row %d", r).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void catalogAndUsersAreUnitLengthAndNotDegenerate() {
        SimulatorWorld world = new SimulatorWorld(spec(42));
        assertUnitRows(world.catalog().embeddings(), 50, 8);
        assertUnitRows(world.users().vectors(), 20, 8);
        assertThat(world.catalog().size()).isEqualTo(50);
        assertThat(world.catalog().dim()).isEqualTo(8);
        assertThat(world.catalog().offset(3)).isEqualTo(24);
        assertThat(world.users().size()).isEqualTo(20);
        // components look standard-normal-then-normalised: mean ≈ 0, mean square = 1/dim
        float[] e = world.catalog().embeddings();
        double sum = 0;
        for (float v : e) {
            sum += v;
        }
        assertThat(sum / e.length).isCloseTo(0.0, within(0.1));
    }

    @Test
    void generateIsUnitLengthForLargerDims() {
        ItemCatalog c = ItemCatalog.generate(100, 32, new Rng(5));
        assertUnitRows(c.embeddings(), 100, 32);
        UserPopulation u = UserPopulation.generate(10, 32, new Rng(5));
        assertUnitRows(u.vectors(), 10, 32);
    }

    @Test
    void sameSeedSameWorldDifferentSeedDifferentWorld() {
        SimulatorWorld a = new SimulatorWorld(spec(42));
        SimulatorWorld b = new SimulatorWorld(spec(42));
        SimulatorWorld c = new SimulatorWorld(spec(43));
        assertThat(b.catalog().embeddings()).containsExactly(a.catalog().embeddings());
        assertThat(b.users().vectors()).containsExactly(a.users().vectors());
        assertThat(c.catalog().embeddings()).isNotEqualTo(a.catalog().embeddings());
        assertThat(c.users().vectors()).isNotEqualTo(a.users().vectors());
        // catalog and users come from different streams
        float[] firstItem = java.util.Arrays.copyOf(a.catalog().embeddings(), 8);
        float[] firstUser = java.util.Arrays.copyOf(a.users().vectors(), 8);
        assertThat(firstUser).isNotEqualTo(firstItem);
    }

    @Test
    void catalogDoesNotDependOnHowManyEnvironmentsAreCreated() {
        SimulatorWorld one = new SimulatorWorld(spec(42));
        float[] before = one.catalog().embeddings().clone();
        RecommendationEnv single = one.newEnvironment(0);

        SimulatorWorld many = new SimulatorWorld(spec(42));
        List<RecommendationEnv> envs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            envs.add(many.newEnvironment(i));
        }
        float[] obs = new float[16];
        StepResult r = new StepResult();
        for (RecommendationEnv env : envs) {
            env.reset(obs, 0);
            env.step(1, obs, 0, r);
            assertThat(env.itemEmbeddings()).isSameAs(many.catalog().embeddings());
            assertThat(env.itemEmbeddings()).containsExactly(single.itemEmbeddings());
        }
        assertThat(many.catalog().embeddings()).containsExactly(before);
        assertThat(one.catalog().embeddings()).containsExactly(before);
        assertThat(many.users().vectors()).containsExactly(one.users().vectors());
    }

    @Test
    void environmentsWithDifferentStreamSeedsChooseDifferentUsers() {
        SimulatorWorld world = new SimulatorWorld(spec(42));
        RecommendationEnv a = world.newEnvironment(0);
        RecommendationEnv b = world.newEnvironment(1);
        RecommendationEnv a2 = world.newEnvironment(0);
        float[] obs = new float[16];
        int differ = 0;
        for (int k = 0; k < 50; k++) {
            a.reset(obs, 0);
            b.reset(obs, 0);
            a2.reset(obs, 0);
            assertThat(a2.currentUser()).isEqualTo(a.currentUser());
            if (a.currentUser() != b.currentUser()) {
                differ++;
            }
        }
        assertThat(differ).isGreaterThan(30);
    }
}
