package org.recsysrl.learn;

import java.util.Arrays;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.UserInputException;

/**
 * A slate impression log read as logged feedback for a slate policy over a fixed action set: per
 * row the context x_i (the environment's observation), the K items a_ik shown at positions
 * 0 … K−1, their per-position logging propensities μ_ik = μ(a_ik at k | x_i) and the positions'
 * rewards r_ik (the log's {@code position_rewards}; a row without them must have a total reward of 0,
 * which is then 0 at every position). Item ids are the platform's actions, {@code i<a>} or {@code a}.
 */
public final class LoggedSlates implements LoggedContexts {
    private final LoggedFeedback log;
    private final int actionCount;
    private final int slateSize;
    private final int contextDim;
    private final float[] contexts;
    private final int[] items;
    private final double[] propensities;
    private final double[] rewards;
    private final int[] logItemOfAction;
    private final String[] sessions;

    private LoggedSlates(LoggedFeedback log, int actionCount, int slateSize, float[] contexts, int[] items,
            double[] propensities, double[] rewards, int[] logItemOfAction, String[] sessions) {
        this.log = log;
        this.actionCount = actionCount;
        this.slateSize = slateSize;
        this.contextDim = log.contextDim();
        this.contexts = contexts;
        this.items = items;
        this.propensities = propensities;
        this.rewards = rewards;
        this.logItemOfAction = logItemOfAction;
        this.sessions = sessions;
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
        int[] actionOfLogItem = new int[log.numItems()];
        int[] logItemOfAction = new int[actionCount];
        Arrays.fill(logItemOfAction, -1);
        for (int i = 0; i < log.numItems(); i++) {
            int a = LoggedBandit.actionOf(log.itemIds().get(i));
            if (a < 0 || a >= actionCount) {
                throw new UserInputException(what + ": item " + log.itemIds().get(i) + " is not one of the environment's "
                        + actionCount + " actions (ids i0 .. i" + (actionCount - 1) + "): log this environment with"
                        + " `recsys-rl log`");
            }
            actionOfLogItem[i] = a;
            logItemOfAction[a] = i;
        }
        int n = log.rows();
        float[] contexts = new float[n * contextDim];
        int[] items = new int[n * slateSize];
        double[] propensities = new double[n * slateSize];
        double[] rewards = new double[n * slateSize];
        String[] sessions = new String[n];
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
            for (int j = 0; j < contextDim; j++) {
                contexts[r * contextDim + j] = (float) log.context(r, j);
            }
            for (int k = 0; k < slateSize; k++) {
                items[r * slateSize + k] = actionOfLogItem[log.item(r, k)];
                propensities[r * slateSize + k] = log.propensity(r, k);
                rewards[r * slateSize + k] = perPosition ? log.positionReward(r, k) : 0;
            }
            sessions[r] = log.session(r);
        }
        return new LoggedSlates(log, actionCount, slateSize, contexts, items, propensities, rewards, logItemOfAction,
                sessions);
    }

    /** The log this was read from. */
    public LoggedFeedback log() {
        return log;
    }

    /** Rows (slates shown). */
    @Override
    public int rows() {
        return sessions.length;
    }

    /** Actions of the environment. */
    @Override
    public int actionCount() {
        return actionCount;
    }

    /** K, items per slate. */
    public int slateSize() {
        return slateSize;
    }

    /** Features per context. */
    @Override
    public int contextDim() {
        return contextDim;
    }

    /** Copies row {@code r}'s context into {@code out} from {@code offset}. */
    @Override
    public void context(int r, float[] out, int offset) {
        System.arraycopy(contexts, r * contextDim, out, offset, contextDim);
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

    /** The log's item index of action {@code a}, or -1 when the log never names it. */
    public int logItem(int a) {
        return logItemOfAction[a];
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

    /** Splits the rows by session into a training and a held-out part, as {@link LoggedBandit#split} does. */
    @Override
    public LoggedBandit.Split split(double heldOutShare, long seed) {
        return LoggedBandit.splitSessions(sessions, heldOutShare, seed);
    }
}
