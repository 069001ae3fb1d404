package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.AdvantageNormalisation;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.Ppo;
import org.recsysrl.agent.UpdateStats;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.config.PpoConfig;
import org.recsysrl.env.ActionMasks;
import org.recsysrl.env.MovieLensEnv;
import org.recsysrl.env.MovieLensWorld;
import org.recsysrl.env.StepResult;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.util.Rng;

/**
 * The movielens environment on a hand-made log. Users a, b, c (dense 0, 1, 2), items i1..i6
 * (dense 0..5); scale [0.5, 5]; the last rating of a and b is held out (c has one rating: all
 * training). The factorisation is fixed by hand: no biases, μ = 3, p_a = (1, 0), p_b = (0, 1),
 * q_j = (0.25 j, 0), so r̂(a, j) = 3 + 0.25 j and r̂(b, j) = 3.
 */
class MovieLensEnvTest {
    static RatingDataset log() {
        return new RatingDataset.Builder()
                .add("a", "i1", 5, 1).add("a", "i2", 1, 2).add("a", "i3", 3, 3).add("a", "i4", 4, 4)
                .add("b", "i2", 2, 1).add("b", "i5", 4, 2).add("b", "i6", 1, 3)
                .add("c", "i1", 0.5f, 1)
                .build();
    }

    static FactorizationModel model() {
        float[] users = {1, 0, 0, 1, 0.5f, 0.5f};
        float[] items = new float[12];
        for (int j = 0; j < 6; j++) {
            items[2 * j] = 0.25f * j;
        }
        return new FactorizationModel(2, users, items, new float[3], new float[6], 3.0, 0.5f, 5f);
    }

    static MovieLensWorld world(int maxSteps, double threshold, int patience, boolean heldoutOnly) {
        Split split = Split.chronological(log(), SplitSpec.lastK(1, 2));
        return MovieLensSessions.world(split, model(), maxSteps, threshold, patience, heldoutOnly);
    }

    private static float scaled(double r) {
        return (float) ((r - 0.5) / 4.5);
    }

    @Test
    void fixtureIsAsDescribed() {
        RatingDataset d = log();
        for (int j = 0; j < 6; j++) {
            assertThat(d.itemIds().raw(j)).isEqualTo("i" + (j + 1));
        }
        assertThat(d.userIds().raw(0)).isEqualTo("a");
        assertThat(d.minRating()).isEqualTo(0.5f);
        assertThat(d.maxRating()).isEqualTo(5f);
    }

    @Test
    void rewardIsTheRealTrainingRatingWhenRatedElseThePredictionScaled() {
        MovieLensWorld w = world(6, 0.0, 0, true);
        assertThat(w.sessionUsers()).containsExactly(0, 1); // c has no held-out rating
        assertThat(w.firstItems()).containsExactly(2, 4);   // a: i3, b: i5 (last training items)
        MovieLensEnv env = w.newEnvironment(1);
        float[] obs = new float[4];
        StepResult r = new StepResult();
        env.reset(0, obs, 0);
        assertThat(obs).containsExactly(1f, 0f, 0.5f, 0f); // p_a ⊕ q_i3
        env.step(0, obs, 0, r); // i1, rated 5 in training
        assertThat(r.reward).isCloseTo(1f, within(1e-6f));
        assertThat(obs).containsExactly(1f, 0f, 0f, 0f);
        env.step(1, obs, 0, r); // i2, rated 1
        assertThat(r.reward).isCloseTo(scaled(1), within(1e-6f));
        env.step(3, obs, 0, r); // i4: held out, so not a training rating: predicted 3.75
        assertThat(r.reward).isCloseTo(scaled(3.75), within(1e-6f));
        env.step(5, obs, 0, r); // i6: never rated by a, predicted 4.25
        assertThat(r.reward).isCloseTo(scaled(4.25), within(1e-6f));
        assertThat(obs).containsExactly(1f, 0f, 1.25f, 0f);

        env.reset(1, obs, 0);
        assertThat(obs).containsExactly(0f, 1f, 1f, 0f); // p_b ⊕ q_i5
        env.step(5, obs, 0, r); // b's i6 is held out: prediction 3, not the real 1
        assertThat(r.reward).isCloseTo(scaled(3), within(1e-6f));
        env.step(4, obs, 0, r); // i5 rated 4 in training
        assertThat(r.reward).isCloseTo(scaled(4), within(1e-6f));
    }

    @Test
    void predictionsAreClampedToTheScale() {
        float[] users = {10, 0, 0, 1, 0.5f, 0.5f};
        float[] items = new float[12];
        for (int j = 0; j < 6; j++) {
            items[2 * j] = 0.25f * j;
        }
        FactorizationModel m = new FactorizationModel(2, users, items, new float[3], new float[6], 3.0, 0.5f, 5f);
        MovieLensWorld w = MovieLensSessions.world(Split.chronological(log(), SplitSpec.lastK(1, 2)), m, 6, 0, 0,
                true);
        assertThat(w.scaledReward(0, 5)).isEqualTo(1f); // 3 + 12.5 clamped to 5
    }

    @Test
    void anItemIsNotShownTwiceInASession() {
        MovieLensEnv env = world(6, 0.0, 0, true).newEnvironment(1);
        float[] obs = new float[4];
        long[] bits = new long[1];
        StepResult r = new StepResult();
        env.reset(0, obs, 0);
        env.allowedActions(bits, 0);
        assertThat(ActionMasks.count(bits, 0, 6)).isEqualTo(6);
        env.step(2, obs, 0, r);
        env.step(4, obs, 0, r);
        env.allowedActions(bits, 0);
        assertThat(ActionMasks.count(bits, 0, 6)).isEqualTo(4);
        assertThat(ActionMasks.isAllowed(bits, 0, 2)).isFalse();
        assertThat(ActionMasks.isAllowed(bits, 0, 4)).isFalse();
        assertThat(bits[0] >>> 6).as("no bits beyond the catalog").isZero();
        assertThatThrownBy(() -> env.step(2, obs, 0, r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already shown");
        env.reset(0, obs, 0);
        env.allowedActions(bits, 0);
        assertThat(ActionMasks.count(bits, 0, 6)).as("a new session forgets").isEqualTo(6);
    }

    @Test
    void theUserLeavesAfterPatienceConsecutiveLowRewards() {
        // threshold 0.6 (rating 3.2); user b: every unrated item is predicted 3 (0.556, low)
        MovieLensEnv env = world(6, 0.6, 2, true).newEnvironment(1);
        float[] obs = new float[4];
        StepResult r = new StepResult();
        env.reset(1, obs, 0);
        env.step(0, obs, 0, r); // low
        assertThat(r.terminated).isFalse();
        env.step(4, obs, 0, r); // i5 rated 4: 0.778, resets the streak
        assertThat(r.terminated).isFalse();
        env.step(1, obs, 0, r); // i2 rated 2: low
        assertThat(r.terminated).isFalse();
        env.step(2, obs, 0, r); // predicted 3: low, second in a row
        assertThat(r.terminated).isTrue();
        assertThat(r.truncated).isFalse();
        assertThatThrownBy(() -> env.step(3, obs, 0, r)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSessionIsTruncatedAtMaxEpisodeSteps() {
        MovieLensEnv env = world(3, 0.6, 0, true).newEnvironment(1);
        float[] obs = new float[4];
        StepResult r = new StepResult();
        env.reset(1, obs, 0);
        env.step(0, obs, 0, r);
        env.step(1, obs, 0, r);
        assertThat(r.truncated).isFalse();
        env.step(2, obs, 0, r);
        assertThat(r.truncated).isTrue();
        assertThat(r.terminated).as("patience 0: never leaves").isFalse();
        // max steps above the catalog size are capped to it
        assertThat(world(100, 0, 0, true).maxEpisodeSteps()).isEqualTo(6);
    }

    @Test
    void allUsersModeIncludesUsersWithoutHeldOutRatings() {
        MovieLensWorld w = world(6, 0, 0, false);
        assertThat(w.sessionUsers()).containsExactly(0, 1, 2);
        MovieLensEnv env = w.newEnvironment(3);
        int[] seen = new int[3];
        float[] obs = new float[4];
        for (int k = 0; k < 300; k++) {
            env.reset(obs, 0);
            seen[env.currentUser()]++;
        }
        for (int c : seen) {
            assertThat(c).isGreaterThan(60);
        }
    }

    @Test
    void stateRoundTripsExactly() throws Exception {
        MovieLensWorld w = world(6, 0.6, 2, true);
        MovieLensEnv a = w.newEnvironment(5);
        float[] obs = new float[4];
        StepResult r = new StepResult();
        a.reset(obs, 0);
        a.step(3, obs, 0, r);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.saveState(new DataOutputStream(bytes));
        MovieLensEnv b = w.newEnvironment(99);
        b.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        long[] ba = new long[1];
        long[] bb = new long[1];
        a.allowedActions(ba, 0);
        b.allowedActions(bb, 0);
        assertThat(bb).containsExactly(ba);
        assertThat(b.currentUser()).isEqualTo(a.currentUser());
        float[] oa = new float[4];
        float[] ob = new float[4];
        a.reset(oa, 0);
        b.reset(ob, 0);
        assertThat(b.currentUser()).isEqualTo(a.currentUser());
    }

    @Test
    void ppoTrainsOnTheMovieLensEnvironment() {
        MovieLensWorld w = world(4, 0.3, 2, false);
        List<MovieLensEnv> envs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            envs.add(w.newEnvironment(100 + i));
        }
        VectorEnv v = new VectorEnv(envs);
        v.reset();
        assertThat(v.masksActions()).isTrue();
        PpoConfig cfg = new PpoConfig(3e-3, 0.9, 0.9, 0.2, 0.01, 0.5, 0.5, 4, 16, 64, 4, AdvantageNormalisation.ROLLOUT, false, 0.0,
                false, 0.9, 0.999, 1e-8);
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(w.observationSize(), w.itemCount()),
                PolicyNetworkConfig.of(List.of(8), List.of(8), Activation.TANH, WeightInit.PYTORCH), new Rng(1));
        Ppo ppo = new Ppo(cfg, model, v, new Rng(2), new Rng(3), 10 * 64);
        for (int it = 0; it < 10; it++) {
            UpdateStats s = ppo.iterate();
            assertThat(s.policyLoss()).isFinite();
            assertThat(s.valueLoss()).isFinite();
        }
    }
}
