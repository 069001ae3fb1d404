package org.recsysrl.eval;

import java.util.List;

/**
 * The result of evaluating a policy against the reference policies on the same users.
 *
 * @param policy name of the evaluated policy
 * @param deterministic whether it chose argmax actions
 * @param episodes the evaluated policy's episodes, in order
 * @param summaries the evaluated policy first, then random, best-constant and greedy-oracle
 * @param bestConstantItem the item the best-constant policy recommends
 * @param personalisation P of the evaluated policy (see {@link Personalisation})
 *
 * <p>Serializable (with its parts), so that a sweep's runs can come back from remote tasks.
 */
public record EvaluationReport(String policy, boolean deterministic, List<EpisodeStats> episodes,
        List<PolicySummary> summaries, int bestConstantItem, double personalisation)
        implements java.io.Serializable {

    public EvaluationReport {
        episodes = List.copyOf(episodes);
        summaries = List.copyOf(summaries);
    }

    /** The summary of the policy called {@code name}. */
    public PolicySummary summary(String name) {
        return summaries.stream().filter(s -> s.policy().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no policy " + name));
    }
}
