package org.recsysrl.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * A one-step impression log read as logged bandit feedback for a policy over a fixed action set:
 * per row the context x_i (the environment's observation, as {@code recsys-rl log} writes it), the
 * action a_i shown, its logging propensity p_i and the reward r_i. Item ids are the platform's
 * actions written {@code i<a>} (or the bare number {@code a}); the log's own item indices are kept
 * beside them, so that a reward model fitted on the log can be asked about every action.
 */
public final class LoggedBandit implements LoggedContexts {
    private final LoggedFeedback log;
    private final int actionCount;
    private final int contextDim;
    private final float[] contexts;
    private final int[] actions;
    private final double[] propensities;
    private final double[] rewards;
    private final int[] logItemOfAction;
    private final String[] sessions;

    private LoggedBandit(LoggedFeedback log, int actionCount, float[] contexts, int[] actions, double[] propensities,
            double[] rewards, int[] logItemOfAction, String[] sessions) {
        this.log = log;
        this.actionCount = actionCount;
        this.contextDim = log.contextDim();
        this.contexts = contexts;
        this.actions = actions;
        this.propensities = propensities;
        this.rewards = rewards;
        this.logItemOfAction = logItemOfAction;
        this.sessions = sessions;
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
        int[] actionOfLogItem = new int[log.numItems()];
        int[] logItemOfAction = new int[actionCount];
        Arrays.fill(logItemOfAction, -1);
        for (int i = 0; i < log.numItems(); i++) {
            int a = actionOf(log.itemIds().get(i));
            if (a < 0 || a >= actionCount) {
                throw new UserInputException(what + ": item " + log.itemIds().get(i) + " is not one of the environment's "
                        + actionCount + " actions (ids i0 .. i" + (actionCount - 1) + "): log this environment with"
                        + " `recsys-rl log`, with the same --env-seed");
            }
            actionOfLogItem[i] = a;
            logItemOfAction[a] = i;
        }
        int n = log.rows();
        float[] contexts = new float[n * contextDim];
        int[] actions = new int[n];
        double[] propensities = new double[n];
        double[] rewards = new double[n];
        String[] sessions = new String[n];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < contextDim; j++) {
                contexts[r * contextDim + j] = (float) log.context(r, j);
            }
            actions[r] = actionOfLogItem[log.item(r, 0)];
            propensities[r] = log.propensity(r, 0);
            rewards[r] = log.reward(r);
            sessions[r] = log.session(r);
        }
        return new LoggedBandit(log, actionCount, contexts, actions, propensities, rewards, logItemOfAction, sessions);
    }

    /** The action of an item id {@code i<a>} or {@code a}; -1 if it is neither. */
    static int actionOf(String id) {
        String digits = id.startsWith("i") ? id.substring(1) : id;
        if (digits.isEmpty() || digits.length() > 9) {
            return -1;
        }
        for (int k = 0; k < digits.length(); k++) {
            if (!Character.isDigit(digits.charAt(k))) {
                return -1;
            }
        }
        return Integer.parseInt(digits);
    }

    /** The log this was read from. */
    public LoggedFeedback log() {
        return log;
    }

    /** Rows (impressions). */
    @Override
    public int rows() {
        return actions.length;
    }

    /** Actions of the environment. */
    @Override
    public int actionCount() {
        return actionCount;
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

    /** The log's item index of action {@code a}, or -1 when the log never names it. */
    public int logItem(int a) {
        return logItemOfAction[a];
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

    /**
     * Splits the rows into a training and a held-out part by session (a row without one is its own
     * session), so that the steps of one episode land on one side: sessions are shuffled with
     * {@code seed} and taken into the held-out part until it has {@code heldOutShare} of the rows.
     */
    @Override
    public Split split(double heldOutShare, long seed) {
        return splitSessions(sessions, heldOutShare, seed);
    }

    /** {@link #split} over rows whose sessions are {@code sessions} (null: the row is its own session). */
    static Split splitSessions(String[] sessions, double heldOutShare, long seed) {
        int rowCount = sessions.length;
        if (!(heldOutShare > 0 && heldOutShare < 1)) {
            throw new UserInputException("the held-out share must be in (0, 1) (got " + heldOutShare + ")");
        }
        Map<String, List<Integer>> bySession = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (int r = 0; r < rowCount; r++) {
            String key = sessions[r] == null ? "\u0000row" + r : sessions[r];
            List<Integer> rowsOf = bySession.get(key);
            if (rowsOf == null) {
                rowsOf = new ArrayList<>();
                bySession.put(key, rowsOf);
                order.add(key);
            }
            rowsOf.add(r);
        }
        Rng rng = Rng.stream(seed, 21);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            String t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        boolean[] heldOut = new boolean[rowCount];
        int target = (int) Math.round(heldOutShare * rowCount);
        int taken = 0;
        for (String key : order) {
            if (taken >= target) {
                break;
            }
            for (int r : bySession.get(key)) {
                heldOut[r] = true;
                taken++;
            }
        }
        if (taken == 0 || taken == rowCount) {
            throw new UserInputException("the log has too few sessions (" + order.size() + ") to hold out "
                    + Math.round(heldOutShare * 100) + " % of its rows: log more episodes");
        }
        int[] train = new int[rowCount - taken];
        int[] held = new int[taken];
        int t = 0;
        int h = 0;
        for (int r = 0; r < rowCount; r++) {
            if (heldOut[r]) {
                held[h++] = r;
            } else {
                train[t++] = r;
            }
        }
        return new Split(train, held);
    }

    /** Row indices of a training and a held-out part. */
    public record Split(int[] train, int[] heldOut) {
    }
}
