package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInput;
import java.io.DataOutput;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.Environment;
import org.recsysrl.env.StepResult;
import org.recsysrl.env.platform.PlatformEnvironment;
import org.recsysrl.util.Rng;

/**
 * The rollout planner on a world worked out by hand: item 1 pays 1 every time; item 2 pays 0 the
 * first time and 3 every time after; item 3 pays 1 like item 1. A myopic choice takes item 1; a
 * three-step rollout with the base policy that keeps showing item 2 finds item 2 worth 6.
 */
class ParallelRolloutByHandTest {

    /** The world above; episodes are truncated after 10 steps. Counts the planner's copies and reseeds. */
    static final class UnlockEnv implements PlatformEnvironment {
        boolean unlocked;
        int t;
        int copies;
        final List<Long> reseeds = new ArrayList<>();

        @Override
        public void copyStateFrom(PlatformEnvironment other) {
            UnlockEnv o = (UnlockEnv) other;
            unlocked = o.unlocked;
            t = o.t;
            copies++;
        }

        @Override
        public void reseed(long seed) {
            reseeds.add(seed);
        }

        @Override
        public int observationSize() {
            return 1;
        }

        @Override
        public int actionCount() {
            return 4;
        }

        @Override
        public void reset(float[] obs, int off) {
            reset(0, obs, off);
        }

        @Override
        public void reset(int userId, float[] obs, int off) {
            unlocked = false;
            t = 0;
        }

        @Override
        public void step(int action, float[] obs, int off, StepResult out) {
            out.reward = action == 2 ? (unlocked ? 3f : 0f) : action == 0 ? 0f : 1f;
            unlocked |= action == 2;
            t++;
            out.terminated = false;
            out.truncated = t == 10;
        }

        @Override
        public int currentUser() {
            return 0;
        }

        @Override
        public int userCount() {
            return 1;
        }

        @Override
        public void saveState(DataOutput out) {
        }

        @Override
        public void loadState(DataInput in) {
        }
    }

    private static Policy showing(int item) {
        return new Policy() {
            @Override
            public void act(float[] obs, int batch, int[] actionsOut) {
                actionsOut[0] = item;
            }

            @Override
            public String name() {
                return "item " + item;
            }
        };
    }

    private static int plan(ParallelRollout planner, UnlockEnv live) {
        planner.bind(live);
        int[] out = new int[1];
        planner.act(new float[1], 1, out);
        return out[0];
    }

    @Test
    void theRolloutsValueEachProposalByItsBestBaseOverTheHorizon() {
        UnlockEnv scratch = new UnlockEnv();
        ParallelRollout planner = new ParallelRollout("planner", List.of(showing(1), showing(2)), scratch, 2, 3, 5);
        assertThat(planner.name()).isEqualTo("planner");
        UnlockEnv live = new UnlockEnv();
        // item 1: then item 1 twice → 3, then item 2 twice → 1 + 0 + 3 = 4; item 2: then 1 twice → 2, then 2 → 6
        assertThat(plan(planner, live)).isEqualTo(2);
        // 2 proposals × 2 bases × 2 rollouts, each from the live state with a stream of the planner's seed
        assertThat(scratch.copies).isEqualTo(8);
        Rng seeds = new Rng(5);
        long first = seeds.nextLong();
        long second = seeds.nextLong();
        assertThat(scratch.reseeds).containsExactly(first, second, first, second, first, second, first, second);
        assertThat(live.t).isZero(); // the live environment is never stepped
        // a horizon of one step is myopic: item 1
        assertThat(plan(new ParallelRollout("myopic", List.of(showing(1), showing(2)), new UnlockEnv(), 1, 1, 5),
                new UnlockEnv())).isEqualTo(1);
        // once item 2 was shown in the live episode, it pays 3 at once
        live.unlocked = true;
        assertThat(plan(new ParallelRollout("myopic", List.of(showing(1), showing(2)), new UnlockEnv(), 1, 1, 5),
                live)).isEqualTo(2);
    }

    @Test
    void equalProposalsArePlannedOnceAndEqualValuesKeepTheFirst() {
        UnlockEnv scratch = new UnlockEnv();
        // items 1 and 3 pay alike: the first proposal stays; item 1 proposed twice is rolled out once
        ParallelRollout planner = new ParallelRollout("p", List.of(showing(1), showing(1), showing(3)), scratch, 1, 2,
                1);
        assertThat(plan(planner, new UnlockEnv())).isEqualTo(1);
        assertThat(scratch.copies).isEqualTo(2 * 3); // proposals 1 and 3, three bases each
        ParallelRollout reversed = new ParallelRollout("p", List.of(showing(3), showing(1)), new UnlockEnv(), 1, 2, 1);
        assertThat(plan(reversed, new UnlockEnv())).isEqualTo(3);
    }

    @Test
    void aRolloutStopsAtTheEndOfTheEpisode() {
        UnlockEnv scratch = new UnlockEnv();
        ParallelRollout planner = new ParallelRollout("p", List.of(showing(2)), scratch, 1, 50, 1);
        UnlockEnv live = new UnlockEnv();
        live.t = 7; // three steps left: 0 + 3 + 3
        int[] out = new int[1];
        planner.bind(live);
        planner.act(new float[1], 1, out);
        assertThat(out[0]).isEqualTo(2);
        assertThat(scratch.t).isEqualTo(10);
    }

    @Test
    void itRefusesBatchesAndEnvironmentsItCannotPlanIn() {
        ParallelRollout planner = new ParallelRollout("p", List.of(showing(1)), new UnlockEnv(), 1, 1, 1);
        planner.bind(new UnlockEnv());
        assertThatThrownBy(() -> planner.act(new float[2], 2, new int[2])).isInstanceOf(IllegalStateException.class);
        Environment plain = new EnvironmentEvaluationTest.TableEnv(new float[1][2], 1);
        assertThatThrownBy(() -> planner.bind(plain)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("platform environments only");
        assertThatThrownBy(() -> new ParallelRollout("p", List.of(showing(1)), new UnlockEnv(), 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParallelRollout("p", List.of(showing(1)), new UnlockEnv(), 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        new ParallelRollout("p", List.of(showing(1)), new UnlockEnv(), 1, 1, 1); // the smallest allowed
    }
}
