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
 * What the off-policy learner's training loop reads of a log, whatever a row shows (one item,
 * {@link LoggedBandit}, or a slate, {@link LoggedSlates}): its rows' contexts x_i (the
 * environment's observation, as {@code recsys-rl log} writes it) over a fixed action set, the
 * log's item index of each action, the split by session into a training and a held-out part, and
 * the logging policy's mean reward on some rows. Item ids are the platform's actions written
 * {@code i<a>} (or the bare number {@code a}).
 */
public abstract sealed class LoggedContexts permits LoggedBandit, LoggedSlates {
    private final LoggedFeedback log;
    private final int actionCount;
    private final int contextDim;
    private final float[] contexts;
    private final int[] logItemOfAction;
    private final String[] sessions;

    /** Reads every row's context and session from {@code log}; {@code actions} maps its items to actions. */
    LoggedContexts(LoggedFeedback log, ActionMap actions) {
        this.log = log;
        this.actionCount = actions.logItemOfAction().length;
        this.contextDim = log.contextDim();
        this.logItemOfAction = actions.logItemOfAction();
        int n = log.rows();
        this.contexts = new float[n * contextDim];
        this.sessions = new String[n];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < contextDim; j++) {
                contexts[r * contextDim + j] = (float) log.context(r, j);
            }
            sessions[r] = log.session(r);
        }
    }

    /**
     * The actions of a log's items and the log's item of each action.
     *
     * @param actionOfLogItem the action of each of the log's items
     * @param logItemOfAction the log's item index of each action, -1 where the log never names it
     */
    record ActionMap(int[] actionOfLogItem, int[] logItemOfAction) {
        /**
         * Maps {@code log}'s items to {@code actionCount} actions.
         *
         * @param what how messages name the log
         * @param fix  what the message adds after {@code log this environment with `recsys-rl log`}
         * @throws UserInputException for an item id that is not one of the actions
         */
        static ActionMap of(LoggedFeedback log, int actionCount, String what, String fix) {
            int[] actionOfLogItem = new int[log.numItems()];
            int[] logItemOfAction = new int[actionCount];
            Arrays.fill(logItemOfAction, -1);
            for (int i = 0; i < log.numItems(); i++) {
                int a = actionOf(log.itemIds().get(i));
                if (a < 0 || a >= actionCount) {
                    throw new UserInputException(what + ": item " + log.itemIds().get(i) + " is not one of the"
                            + " environment's " + actionCount + " actions (ids i0 .. i" + (actionCount - 1) + "): log"
                            + " this environment with `recsys-rl log`" + fix);
                }
                actionOfLogItem[i] = a;
                logItemOfAction[a] = i;
            }
            return new ActionMap(actionOfLogItem, logItemOfAction);
        }
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

    /** Rows of the log. */
    public int rows() {
        return sessions.length;
    }

    /** Actions of the environment. */
    public int actionCount() {
        return actionCount;
    }

    /** Features per context. */
    public int contextDim() {
        return contextDim;
    }

    /** Copies row {@code r}'s context into {@code out} from {@code offset}. */
    public void context(int r, float[] out, int offset) {
        System.arraycopy(contexts, r * contextDim, out, offset, contextDim);
    }

    /** The log's item index of action {@code a}, or -1 when the log never names it. */
    public int logItem(int a) {
        return logItemOfAction[a];
    }

    /** The logging policy's mean reward on {@code rows} (for a slate, summed over its positions). */
    public abstract double meanReward(int[] rows);

    /**
     * Splits the rows into a training and a held-out part by session (a row without one is its own
     * session), so that the steps of one episode land on one side: sessions are shuffled with
     * {@code seed} and taken into the held-out part until it has {@code heldOutShare} of the rows.
     */
    public Split split(double heldOutShare, long seed) {
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
