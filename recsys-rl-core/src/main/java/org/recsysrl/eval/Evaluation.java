package org.recsysrl.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.recsysrl.agent.BestConstantPolicy;
import org.recsysrl.agent.GreedyOraclePolicy;
import org.recsysrl.agent.Policy;
import org.recsysrl.agent.RandomPolicy;
import org.recsysrl.env.Environment;
import org.recsysrl.env.UserStateAware;
import org.recsysrl.util.Rng;

/**
 * Evaluates a policy and the three reference policies (uniform random, best constant item,
 * greedy oracle) on the same users and computes the personalisation score. Each policy plays in
 * its own fresh environment; episodes are started by user id, so environments' own random streams
 * are not involved. Users are drawn from {@code Rng.stream(seed, }{@value #USER_STREAM}{@code )},
 * the random policy's items from {@code Rng.stream(seed, }{@value #RANDOM_POLICY_STREAM}{@code )};
 * a sampling agent should use {@value #AGENT_STREAM} (ids apart from the simulator's and the
 * trainer's).
 */
public final class Evaluation {
    public static final long USER_STREAM = 21;
    public static final long RANDOM_POLICY_STREAM = 22;
    public static final long AGENT_STREAM = 23;

    private Evaluation() {
    }

    /**
     * @param newEnv makes a fresh environment over the same catalog and users; the oracle needs it
     *     to be {@link UserStateAware}
     * @param deterministic recorded in the report (the policy itself decides how it acts)
     */
    public static EvaluationReport compare(Supplier<? extends Environment> newEnv, Policy policy, boolean deterministic,
            int episodes, long seed) {
        Environment probe = newEnv.get();
        int[] users = Comparison.drawUsers(episodes, probe.userCount(), Rng.stream(seed, USER_STREAM));
        BestConstantPolicy constant = BestConstantPolicy.fit(probe);

        List<EpisodeStats> agentEpisodes = Comparison.play(new EpisodeRunner(newEnv.get()), policy, users);
        List<PolicySummary> summaries = new ArrayList<>();
        summaries.add(PolicySummary.of(policy.name(), agentEpisodes));
        Policy random = new RandomPolicy(probe.actionCount(), Rng.stream(seed, RANDOM_POLICY_STREAM));
        summaries.add(PolicySummary.of(random.name(), Comparison.play(new EpisodeRunner(newEnv.get()), random, users)));
        summaries.add(PolicySummary.of(constant.name(),
                Comparison.play(new EpisodeRunner(newEnv.get()), constant, users)));
        Environment oracleEnv = newEnv.get();
        if (!(oracleEnv instanceof UserStateAware aware)) {
            throw new IllegalArgumentException("the greedy oracle needs an environment that exposes its user state");
        }
        Policy oracle = new GreedyOraclePolicy(List.of(aware));
        summaries.add(PolicySummary.of(oracle.name(), Comparison.play(new EpisodeRunner(oracleEnv), oracle, users)));
        double p = Personalisation.score(summaries.get(0).total(), summaries.get(2).total(), summaries.get(3).total());
        return new EvaluationReport(policy.name(), deterministic, agentEpisodes, summaries, constant.item(), p);
    }
}
