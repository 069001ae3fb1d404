package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.DataInput;
import java.io.DataOutput;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.OnlinePolicy;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.ActionMasking;
import org.recsysrl.env.ActionMasks;
import org.recsysrl.env.Environment;
import org.recsysrl.env.StepResult;
import org.recsysrl.util.Rng;

/**
 * The evaluations that run in an environment, against a table world small enough to work out by
 * hand: the first-state ranking metrics, the scorers as greedy policies, episode statistics and
 * the platform comparison's per-policy estimates.
 */
class EnvironmentEvaluationTest {

    /**
     * Users 0..U−1 and items 0..N−1; the observation is {@code [user, step]}; showing item i to user
     * u pays {@code reward[u][i]}; an episode is truncated after {@code length} steps; item 0 is
     * never allowed.
     */
    static final class TableEnv implements Environment, ActionMasking {
        private final float[][] reward;
        private final int length;
        private int user = -1;
        private int t;

        TableEnv(float[][] reward, int length) {
            this.reward = reward;
            this.length = length;
        }

        @Override
        public int observationSize() {
            return 2;
        }

        @Override
        public int actionCount() {
            return reward[0].length;
        }

        @Override
        public void reset(float[] obs, int off) {
            reset(0, obs, off);
        }

        @Override
        public void reset(int userId, float[] obs, int off) {
            user = userId;
            t = 0;
            obs[off] = userId;
            obs[off + 1] = 0;
        }

        @Override
        public void step(int action, float[] obs, int off, StepResult out) {
            if (action == 0) {
                throw new IllegalStateException("item 0 is never allowed");
            }
            out.reward = reward[user][action];
            t++;
            out.terminated = false;
            out.truncated = t == length;
            out.userId = user;
            obs[off + 1] = t;
        }

        @Override
        public int currentUser() {
            return user;
        }

        @Override
        public int userCount() {
            return reward.length;
        }

        @Override
        public void saveState(DataOutput out) {
        }

        @Override
        public void loadState(DataInput in) {
        }

        @Override
        public void allowedActions(long[] bitsOut, int off) {
            ActionMasks.allowAll(bitsOut, off, actionCount());
            ActionMasks.forbid(bitsOut, off, 0);
        }
    }

    /** Scores of item i for user u: {@code table[u][i]}. */
    private static ItemScorer table(float[][] table) {
        return new ItemScorer() {
            @Override
            public void score(int envUser, float[] obs, float[] out) {
                assertThat(obs[0]).isEqualTo(envUser); // scored at the user's first state
                System.arraycopy(table[envUser], 0, out, 0, table[envUser].length);
            }

            @Override
            public String name() {
                return "table";
            }
        };
    }

    @Test
    void rankingAtTheFirstStateMasksTrainingItemsAndAveragesTheMetricsByHand() {
        float[][] scores = {{5, 4, 3, 2, 1}, {1, 2, 3, 4, 5}};
        // user 0 trained on item 0 and held out item 2; user 1 trained on 4 and 3, held out 0 and 1
        // 2-d embeddings: item 1 = (1, 0), item 2 = (0, 1), item 3 = (1, 1), items 0 and 4 = (2, 0)
        float[] emb = {2, 0, 1, 0, 0, 1, 1, 1, 2, 0};
        RankingTask task = new RankingTask(5, new int[] {0, 1}, new int[] {0, 1, 3}, new int[] {0, 4, 3},
                new int[] {0, 1, 3}, new int[] {2, 0, 1}, emb, 2, new int[5]);
        assertThat(task.users()).isEqualTo(2);
        RankingReport r = RankingEvaluation.evaluate(table(scores), new TableEnv(new float[2][5], 3), task, 2);
        // user 0's list [1, 2]: item 2 at rank 2 → NDCG 1/log2(3), recall 1, hit; user 1's list [2, 1]: item 1 at
        // rank 2 of 2 relevant → DCG 1/log2(3), IDCG 1 + 1/log2(3), recall 1/2, hit
        double log3 = Math.log(3) / Math.log(2);
        double ndcg1 = (1 / log3) / (1 + 1 / log3);
        assertThat(r.name()).isEqualTo("table");
        assertThat(r.k()).isEqualTo(2);
        assertThat(r.users()).isEqualTo(2);
        assertThat(r.ndcg()).isCloseTo((1 / log3 + ndcg1) / 2, within(1e-12));
        assertThat(r.recall()).isCloseTo(0.75, within(1e-12));
        assertThat(r.hitRate()).isCloseTo(1.0, within(1e-12));
        assertThat(r.coverage()).isCloseTo(2.0 / 5, within(1e-12)); // items 1 and 2
        // both lists are {1, 2}: orthogonal, distance 1
        assertThat(r.diversity()).isCloseTo(1.0, within(1e-12));
        assertThatThrownBy(() -> RankingEvaluation.evaluate(table(scores), new TableEnv(new float[2][5], 3), task, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k must be positive");
        // lists of one item have no diversity; no users: NaN means
        RankingReport one = RankingEvaluation.evaluate(table(scores), new TableEnv(new float[2][5], 3), task, 1);
        assertThat(one.diversity()).isNaN();
        assertThat(one.hitRate()).isCloseTo(0.0, within(1e-12)); // user 0 gets [1], user 1 gets [2]: both miss
        RankingTask nobody = new RankingTask(5, new int[0], new int[] {0}, new int[0], new int[] {0}, new int[0], emb,
                2, new int[5]);
        RankingReport none = RankingEvaluation.evaluate(table(scores), new TableEnv(new float[2][5], 3), nobody, 2);
        assertThat(none.ndcg()).isNaN();
        assertThat(none.coverage()).isZero();
    }

    @Test
    void popularityAndRandomScorers() {
        float[] out = new float[3];
        ItemScorer popular = Recommenders.popularity(new int[] {4, 0, 9});
        popular.score(0, null, out);
        assertThat(out).containsExactly(4f, 0f, 9f);
        assertThat(popular.name()).isEqualTo("popular");
        ItemScorer random = Recommenders.random(3, new Rng(5));
        random.score(0, null, out);
        Rng replay = new Rng(5);
        assertThat(out).containsExactly((float) replay.nextDouble(), (float) replay.nextDouble(),
                (float) replay.nextDouble());
        assertThat(random.name()).isEqualTo("random");
    }

    @Test
    void aGreedyScorerPolicyShowsTheBestAllowedItemForTheCurrentUser() {
        float[][] scores = {{9, 1, 3, 3}, {0, 2, 1, 0}};
        TableEnv env = new TableEnv(new float[2][4], 2);
        Policy greedy = Recommenders.greedy(table(scores), env);
        assertThat(greedy.name()).isEqualTo("table");
        float[] obs = new float[2];
        int[] action = new int[1];
        env.reset(0, obs, 0);
        greedy.act(obs, 1, action);
        assertThat(action[0]).isZero(); // no mask: item 0
        long[] allowed = new long[1];
        env.allowedActions(allowed, 0);
        greedy.act(obs, 1, allowed, action);
        assertThat(action[0]).isEqualTo(2); // item 0 forbidden; 2 and 3 tie: the lower index
        env.reset(1, obs, 0);
        greedy.act(obs, 1, allowed, action);
        assertThat(action[0]).isEqualTo(1);
        assertThatThrownBy(() -> greedy.act(new float[4], 2, action)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void episodeStatisticsByHandWithMasksHistoriesAndOnlineLearning() {
        // user 1's rewards: item 1 → 2, item 2 → −1, item 3 → 4
        float[][] reward = {{0, 0, 0, 0}, {0, 2, -1, 4}};
        TableEnv env = new TableEnv(reward, 3);
        EpisodeRunner runner = new EpisodeRunner(env);
        assertThat(runner.environment()).isSameAs(env);
        // shows 3, 2, 1 in turn, checking the mask and the history it is given; learns every reward
        List<String> learned = new ArrayList<>();
        List<String> histories = new ArrayList<>();
        OnlinePolicy scripted = new OnlinePolicy() {
            @Override
            public void act(float[] obs, int batch, int[] actionsOut) {
                throw new AssertionError("the runner passes masks and histories");
            }

            @Override
            public void act(float[] obs, int[] history, int batch, long[] allowed, int[] actionsOut) {
                assertThat(ActionMasks.isAllowed(allowed, 0, 0)).isFalse();
                assertThat(ActionMasks.isAllowed(allowed, 0, 3)).isTrue();
                histories.add(java.util.Arrays.toString(history));
                actionsOut[0] = 3 - (int) obs[1];
            }

            @Override
            public void learn(float[] obs, int off, int action, float r) {
                learned.add(obs[off + 1] + ":" + action + ":" + r);
            }

            @Override
            public int historyLength() {
                return 2;
            }

            @Override
            public String name() {
                return "scripted";
            }
        };
        EpisodeStats s = runner.run(scripted, 1);
        assertThat(s.user()).isEqualTo(1);
        assertThat(s.length()).isEqualTo(3);
        assertThat(s.total()).isEqualTo(5.0);
        assertThat(s.mean()).isCloseTo(5.0 / 3, within(1e-12));
        assertThat(s.max()).isEqualTo(4.0);
        assertThat(s.min()).isEqualTo(-1.0);
        double mean = 5.0 / 3;
        assertThat(s.std()).isCloseTo(Math.sqrt((16 + 1 + 4) / 3.0 - mean * mean), within(1e-12));
        // learned from the observation the action was chosen at, not the next one
        assertThat(learned).containsExactly("0.0:3:4.0", "1.0:2:-1.0", "2.0:1:2.0");
        assertThat(histories).containsExactly("[-1, -1]", "[-1, 3]", "[3, 2]");
    }

    @Test
    void thePlatformComparisonPlaysEveryPolicyOnAFreshEnvironmentWithItsFigures() {
        float[][] reward = {{0, 1, 2, 3}, {0, 3, 1, 1}, {0, 0, 0, 6}};
        List<Long> seeds = new ArrayList<>();
        List<Environment> bound = new ArrayList<>();
        class Fixed implements BoundPolicy {
            private final int item;

            Fixed(int item) {
                this.item = item;
            }

            @Override
            public void bind(Environment env) {
                bound.add(env);
            }

            @Override
            public void act(float[] obs, int batch, int[] actionsOut) {
                actionsOut[0] = item;
            }

            @Override
            public String name() {
                return "item " + item;
            }
        }
        EngagementFigures lengthAndUser = new EngagementFigures() {
            @Override
            public List<String> names() {
                return List.of("length", "user");
            }

            @Override
            public void read(Environment env, EpisodeStats episode, double[] out) {
                out[0] = episode.length();
                out[1] = env.currentUser();
            }
        };
        List<PlatformComparison.Row> rows = PlatformComparison.run(seed -> {
            seeds.add(seed);
            return new TableEnv(reward, 2);
        }, List.of(new Fixed(1), new Fixed(3)), new int[] {0, 1, 2}, 77, lengthAndUser);
        assertThat(seeds).containsExactly(77L, 77L);
        assertThat(bound).hasSize(2).doesNotHaveDuplicates();
        assertThat(rows).extracting(PlatformComparison.Row::policy).containsExactly("item 1", "item 3");
        // item 1 over two steps: returns 2, 6, 0 → mean 8/3
        PlatformComparison.Row first = rows.get(0);
        assertThat(first.episodeReturn().mean()).isCloseTo(8.0 / 3, within(1e-12));
        assertThat(first.episodeReturn()).isEqualTo(PlatformComparison.interval(new double[] {2, 6, 0}, 1.96));
        assertThat(first.figures()).hasSize(2);
        assertThat(first.figures().get(0).mean()).isEqualTo(2.0);
        assertThat(first.figures().get(1)).isEqualTo(PlatformComparison.interval(new double[] {0, 1, 2}, 1.96));
        assertThat(rows.get(1).episodeReturn().mean()).isCloseTo((6 + 2 + 12) / 3.0, within(1e-12));
        int[] drawn = PlatformComparison.users(4, 10, 3);
        assertThat(drawn).hasSize(4);
        for (int u : drawn) {
            assertThat(u).isBetween(0, 9);
        }
    }

    @Test
    void warmingUpPlaysTheAskedNumberOfEpisodesOfDrawnUsers() {
        float[][] reward = {{0, 1}, {0, 2}, {0, 3}};
        List<Integer> users = new ArrayList<>();
        OnlinePolicy counting = new OnlinePolicy() {
            @Override
            public void act(float[] obs, int batch, int[] actionsOut) {
                if (obs[1] == 0) {
                    users.add((int) obs[0]);
                }
                actionsOut[0] = 1;
            }

            @Override
            public void learn(float[] obs, int off, int action, float r) {
            }

            @Override
            public String name() {
                return "counting";
            }
        };
        PlatformComparison.warmUp(counting, new TableEnv(reward, 2), 5, new Rng(8));
        Rng replay = new Rng(8);
        List<Integer> expected = new ArrayList<>();
        for (int e = 0; e < 5; e++) {
            expected.add(replay.nextInt(3));
        }
        assertThat(users).isEqualTo(expected);
    }
}
