package org.recsysrl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.ActorCriticPolicy;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.Environment;
import org.recsysrl.model.Models;
import org.recsysrl.ope.FeedbackJsonl;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.sim.Exploration;
import org.recsysrl.ope.sim.ExploringPolicy;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.Platforms;

/**
 * The Plackett–Luce slate policy as an evaluation target, on a log of interest-evolution (slates of 3
 * from 10) whose 720 rows show every ordered slate at one observation: the slate probabilities sum to
 * 1, summed over the slates with action a at position k they give the marginal π(a at k), and the
 * first row's is the Plackett–Luce product by hand.
 */
class SlatePolicyTest {
    @TempDir
    Path dir;

    private static final int N = 10;
    private static final int K = 3;

    /** The 720 ordered slates, in lexicographic order. */
    private static List<int[]> slates() {
        List<int[]> out = new java.util.ArrayList<>();
        for (int a = 0; a < N; a++) {
            for (int b = 0; b < N; b++) {
                for (int c = 0; c < N; c++) {
                    if (a != b && a != c && b != c) {
                        out.add(new int[] {a, b, c});
                    }
                }
            }
        }
        return out;
    }

    private LoggedFeedback everySlateAt(float[] obs) throws Exception {
        StringBuilder ctx = new StringBuilder();
        for (int j = 0; j < obs.length; j++) {
            ctx.append(j == 0 ? "" : ",").append(obs[j]);
        }
        StringBuilder sb = new StringBuilder();
        int r = 0;
        for (int[] s : slates()) {
            sb.append(String.format(Locale.ROOT, "{\"session\":\"s%d\",\"step\":0,\"user\":\"u\",\"context\":[%s],"
                    + "\"items\":[\"i%d\",\"i%d\",\"i%d\"],\"propensities\":[0.1,0.1,0.1],\"slate_propensity\":%s,"
                    + "\"rewards\":[0,0,0]}%n", r++, ctx, s[0], s[1], s[2], 1.0 / 720));
        }
        Path p = dir.resolve("every-slate.jsonl");
        Files.writeString(p, sb);
        return FeedbackJsonl.read(p, OffPolicyTraining.actionIds(N));
    }

    @Test
    void slateProbabilitiesAndMarginalsAgree() throws Exception {
        RunConfig cfg = Platforms.withSettings(RunConfig.defaults(), List.of("env.type=interest-evolution"), s -> { });
        Setup setup = Platforms.get("interest-evolution").setup(cfg.env().seed());
        assertThat(setup.actionCount()).isEqualTo(N);
        assertThat(setup.slateSize()).isEqualTo(K);
        ActorCritic model = Models.actorCritic(cfg, setup);
        Environment env = setup.newEnv().apply(5L);
        float[] obs = new float[env.observationSize()];
        env.reset(obs, 0);
        LoggedFeedback log = everySlateAt(obs);
        SlatePolicy policy = SlatePolicy.of("m", model, log, "test");

        ActorCritic.Workspace ws = model.newWorkspace(1);
        model.policy(ws, obs, 1);
        float[] p = ws.probs();
        // row 0 is the slate (0, 1, 2): p0 · p1 / (1 − p0) · p2 / (1 − p0 − p1)
        double byHand = p[0] * (p[1] / (1 - p[0])) * (p[2] / (1 - p[0] - p[1]));
        assertThat(policy.slateProbability(log, 0)).isCloseTo(byHand, within(1e-6 * byHand));

        double total = 0;
        double[][] fromSlates = new double[K][N];
        List<int[]> all = slates();
        for (int r = 0; r < all.size(); r++) {
            double pr = policy.slateProbability(log, r);
            total += pr;
            for (int k = 0; k < K; k++) {
                fromSlates[k][all.get(r)[k]] += pr;
            }
        }
        assertThat(total).isCloseTo(1.0, within(1e-6));
        double[] dist = new double[log.numItems()];
        for (int k = 0; k < K; k++) {
            policy.distribution(log, 7, k, dist);
            for (int a = 0; a < N; a++) {
                int item = log.itemIds().indexOf("i" + a);
                assertThat(dist[item]).isCloseTo(fromSlates[k][a], within(1e-6));
                assertThat(policy.probability(log, 3, k, item)).isEqualTo(dist[item]);
            }
        }
        // the position-0 marginal is the softmax itself
        assertThat(fromSlates[0][4]).isCloseTo(p[4], within(1e-6));

        // the rollouts' Plackett-Luce policy reports the same slate probability at the same observation
        ExploringPolicy rollouts = new ExploringPolicy("pl", new ActorCriticPolicy("m", model, true, new Rng(1), 1),
                Exploration.PLACKETT_LUCE, N, K);
        int[] drawn = new int[K];
        double sampled = rollouts.sampleSlate(rollouts.greedySlate(obs), new Rng(9), drawn);
        int row = all.indexOf(all.stream().filter(s -> java.util.Arrays.equals(s, drawn)).findFirst().orElseThrow());
        assertThat(sampled).isEqualTo(policy.slateProbability(log, row));
        assertThat(rollouts.fullSupport()).isTrue();
        assertThatThrownBy(() -> rollouts.positionProbability(drawn, 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Exploration.parse("plackett-luce", "--explore")).isInstanceOf(UserInputException.class);
    }

    @Test
    void theUniformSlatePolicyShowsEverySlateAlike() throws Exception {
        LoggedFeedback log = everySlateAt(new float[] {1, 2});
        SlatePolicy uniform = SlatePolicy.uniform("uniform", N, K, log);
        assertThat(uniform.slateProbability(log, 11)).isCloseTo(1.0 / 720, within(1e-15));
        double[] dist = new double[log.numItems()];
        uniform.distribution(log, 0, 2, dist);
        for (double d : dist) {
            assertThat(d).isCloseTo(0.1, within(1e-15));
        }
        assertThat(uniform.contextFree()).isTrue();
    }
}
