package org.recsysrl.ope;

import java.util.List;
import java.util.Map;

/**
 * One logged impression as written in a line of the logged-feedback format (see
 * {@link FeedbackJsonl}): the item or slate a logging policy showed, the probabilities with which it
 * showed them, and the rewards observed. This is the row-at-a-time view used by readers and writers;
 * estimators work on the columnar {@link LoggedFeedback}.
 *
 * @param time                time of the impression (any unit; only the order matters), or
 *                            {@link LoggedFeedback#NO_TIME}
 * @param requestId           the request id rewards are joined by, or {@code null}
 * @param user                user id, or {@code null}
 * @param session             session id (orders impressions into trajectories with {@code step}),
 *                            or {@code null}
 * @param step                0-based step within the session, or -1 when absent
 * @param context             numeric context features (empty when absent)
 * @param position            0-based position of {@code items.get(0)} (0 unless the log shows single
 *                            items at several slots, as the Open Bandit Dataset does)
 * @param items               shown items in position order (length 1 for a one-step decision)
 * @param propensities        per shown item, the logging policy's probability of showing that item at
 *                            that position, each in (0, 1]
 * @param slatePropensity     the logging policy's probability of the whole slate, or {@code NaN}
 * @param positionRewards     per-position rewards, or {@code null} when only a total is known
 * @param reward              the total reward of the impression (the sum of {@code positionRewards}
 *                            when those are given)
 * @param actionProbabilities the logging policy's full distribution over items at this step (item
 *                            id to probability), or {@code null}
 */
public record Impression(long time, String requestId, String user, String session, int step, double[] context,
        int position, List<String> items, double[] propensities, double slatePropensity, double[] positionRewards,
        double reward, Map<String, Double> actionProbabilities) {
}
