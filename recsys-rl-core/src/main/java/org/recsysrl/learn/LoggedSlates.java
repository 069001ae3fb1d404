package org.recsysrl.learn;

import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.UserInputException;

/**
 * A slate impression log read as logged feedback for a slate policy over a fixed action set: per
 * row the context x_i (the environment's observation), the K items a_ik shown at positions
 * 0 … K−1, their per-position logging propensities μ_ik = μ(a_ik at k | x_i) and the positions'
 * rewards r_ik (the log's {@code position_rewards}; a row without them must have a total reward of 0,
 * which is then 0 at every position). Item ids are the platform's actions, {@code i<a>} or {@code a}.
 */
public final class LoggedSlates extends LoggedContexts {
    private final int slateSize;
    private final int[] items;
    private final double[] propensities;
    private final double[] rewards;

    private LoggedSlates(LoggedFeedback log, ActionMap actionMap, int slateSize, int[] items, double[] propensities,
            double[] rewards) {
        super(log, actionMap);
        this.slateSize = slateSize;
        this.items = items;
        this.propensities = propensities;
        this.rewards = rewards;
    }

    /**
     * Reads {@code log} as slates of {@code slateSize} over {@code actionCount} actions whose
     * contexts have {@code contextDim} features.
     *
     * @param what how messages name the log (e.g. {@code --data log.jsonl})
     * @throws UserInputException for rows of another slate size, contexts of another width, unknown
     *     items, or a nonzero slate reward without per-position rewards
     */
    public static LoggedSlates of(LoggedFeedback log, int actionCount, int slateSize, int contextDim, String what) {
        if (log.contextDim() != contextDim) {
            throw new UserInputException(what + " has contexts of " + log.contextDim() + " features; this environment's"
                    + " observation has " + contextDim + ": log the same environment with `recsys-rl log`");
        }
        ActionMap actionMap = ActionMap.of(log, actionCount, what, "");
        int n = log.rows();
        int[] items = new int[n * slateSize];
        double[] propensities = new double[n * slateSize];
        double[] rewards = new double[n * slateSize];
        for (int r = 0; r < n; r++) {
            if (log.slateLength(r) != slateSize || log.position(r) != 0) {
                throw new UserInputException(what + ": row " + (r + 1) + " shows " + log.slateLength(r) + " items from"
                        + " position " + log.position(r) + "; this environment shows slates of " + slateSize
                        + " from position 0: log it with `recsys-rl log`");
            }
            boolean perPosition = log.hasPositionRewards(r);
            if (!perPosition && log.reward(r) != 0) {
                throw new UserInputException(what + ": row " + (r + 1) + " has a slate reward without position_rewards;"
                        + " the slate learner needs each position's reward: log with `recsys-rl log`");
            }
            for (int k = 0; k < slateSize; k++) {
                items[r * slateSize + k] = actionMap.actionOfLogItem()[log.item(r, k)];
                propensities[r * slateSize + k] = log.propensity(r, k);
                rewards[r * slateSize + k] = perPosition ? log.positionReward(r, k) : 0;
            }
        }
        return new LoggedSlates(log, actionMap, slateSize, items, propensities, rewards);
    }

    /** K, items per slate. */
    public int slateSize() {
        return slateSize;
    }

    /** The action shown at position {@code k} of row {@code r}. */
    public int item(int r, int k) {
        return items[r * slateSize + k];
    }

    /** Its per-position logging propensity. */
    public double propensity(int r, int k) {
        return propensities[r * slateSize + k];
    }

    /** Its position's reward. */
    public double reward(int r, int k) {
        return rewards[r * slateSize + k];
    }

    /** The mean slate reward (summed over positions) of the rows: the logging policy's value on them. */
    @Override
    public double meanReward(int[] rows) {
        double s = 0;
        for (int r : rows) {
            for (int k = 0; k < slateSize; k++) {
                s += reward(r, k);
            }
        }
        return rows.length == 0 ? 0 : s / rows.length;
    }

    /**
     * IIPS, per-position SNIPS and DR estimates (the slate's value, summed over positions) of
     * {@code model}'s Plackett–Luce policy on every row of this log, DR with a per-position ridge
     * reward model (λ = {@code ridge}) fitted on the same rows: how the slate learner judges a policy,
     * on a log it never saw.
     */
    public OffPolicyLearner.Estimates estimate(org.recsysrl.agent.ActorCritic model, double ridge) {
        SlateFeedback.requireFits(model, this);
        int[] all = new int[rows()];
        boolean[] include = new boolean[rows()];
        for (int r = 0; r < all.length; r++) {
            all[r] = r;
            include[r] = true;
        }
        return SlateFeedback.estimate(model, this, all, SlateFeedback.RewardModel.fit(this, include, ridge));
    }
}
