package org.recsysrl.learn;

import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.UserInputException;

/**
 * A one-step impression log read as logged bandit feedback for a policy over a fixed action set:
 * per row the context x_i (the environment's observation, as {@code recsys-rl log} writes it), the
 * action a_i shown, its logging propensity p_i and the reward r_i. Item ids are the platform's
 * actions written {@code i<a>} (or the bare number {@code a}); the log's own item indices are kept
 * beside them, so that a reward model fitted on the log can be asked about every action.
 */
public final class LoggedBandit extends LoggedContexts {
    private final int[] actions;
    private final double[] propensities;
    private final double[] rewards;

    private LoggedBandit(LoggedFeedback log, ActionMap actionMap, int[] actions, double[] propensities,
            double[] rewards) {
        super(log, actionMap);
        this.actions = actions;
        this.propensities = propensities;
        this.rewards = rewards;
    }

    /**
     * Reads {@code log} as bandit feedback over {@code actionCount} actions whose contexts have
     * {@code contextDim} features.
     *
     * @param what how messages name the log (e.g. {@code --data log.jsonl})
     * @throws UserInputException for a slate log, a log without contexts of that width, or an item id
     *     that is not one of the actions
     */
    public static LoggedBandit of(LoggedFeedback log, int actionCount, int contextDim, String what) {
        if (!log.isOneStep() || log.numPositions() > 1) {
            throw new UserInputException(what + " shows slates (or items at several positions); the off-policy learner"
                    + " reads single-item logs: log a single-item environment (short-video, education, e-commerce,"
                    + " social-feed, long-video)");
        }
        if (log.contextDim() != contextDim) {
            throw new UserInputException(what + " has contexts of " + log.contextDim() + " features; this environment's"
                    + " observation has " + contextDim + ": log the same environment with `recsys-rl log` (its context is"
                    + " the observation)");
        }
        ActionMap actionMap = ActionMap.of(log, actionCount, what, ", with the same --env-seed");
        int n = log.rows();
        int[] actions = new int[n];
        double[] propensities = new double[n];
        double[] rewards = new double[n];
        for (int r = 0; r < n; r++) {
            actions[r] = actionMap.actionOfLogItem()[log.item(r, 0)];
            propensities[r] = log.propensity(r, 0);
            rewards[r] = log.reward(r);
        }
        return new LoggedBandit(log, actionMap, actions, propensities, rewards);
    }

    /** The action shown in row {@code r}. */
    public int action(int r) {
        return actions[r];
    }

    /** Its logging propensity. */
    public double propensity(int r) {
        return propensities[r];
    }

    /** Its reward. */
    public double reward(int r) {
        return rewards[r];
    }

    /** The mean reward of the rows, the logging policy's value on this log. */
    @Override
    public double meanReward(int[] rows) {
        double s = 0;
        for (int r : rows) {
            s += rewards[r];
        }
        return rows.length == 0 ? 0 : s / rows.length;
    }
}
