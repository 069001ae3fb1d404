package org.recsysrl.eval;

import java.util.Arrays;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Interactions;
import org.recsysrl.recommend.History;

/**
 * One full-ranking task: for each evaluated user, the history a model sees (a slice of
 * {@link #histories()}) and the relevant target items (sorted, distinct), in compressed-sparse-row
 * form: user {@code users()[k]}'s targets are {@code targets()[targetOffsets()[k] .. targetOffsets()[k+1])}.
 *
 * <p>With {@code excludeKnown}, items in the history are excluded from the ranking, so a target
 * that is already in the history could never be recommended: such targets are dropped (and
 * counted in {@link #droppedTargets()}), and a user left without targets is not evaluated.
 *
 * @param name "validation" or "test"
 * @param histories the interactions a model may use as history (a view of the log)
 * @param users evaluated users (dense log indices), ascending
 * @param targetOffsets {@code users.length + 1} offsets into {@code targets}
 * @param targets relevant items per user, sorted ascending within a user
 * @param excludeKnown whether history items are excluded from the ranking
 * @param droppedTargets targets dropped because they were already in the history
 */
public record EvalTask(String name, Interactions histories, int[] users, int[] targetOffsets, int[] targets,
        boolean excludeKnown, int droppedTargets) {

    /** Number of evaluated users. */
    public int size() {
        return users.length;
    }

    /** Number of items. */
    public int itemCount() {
        return histories.itemCount();
    }

    /** The history of evaluated user {@code k} (its weights included). */
    public History history(int k) {
        int u = users[k];
        return new History(u, histories.items(), histories.weights(), histories.start(u), histories.end(u));
    }

    /** Number of targets of evaluated user {@code k}. */
    public int targetCount(int k) {
        return targetOffsets[k + 1] - targetOffsets[k];
    }

    /**
     * Builds the task over the users whose positions {@code [histEnd[u], targetEnd[u])} hold at
     * least one usable target.
     */
    static EvalTask build(InteractionLog log, Interactions histories, int[] histEnd, int[] targetEnd,
            boolean excludeKnown, String name) {
        int users = log.userCount();
        int[] items = log.items();
        int[] stamp = new int[log.itemCount()]; // user + 1 whose history or targets hold the item
        int[] targetStamp = new int[log.itemCount()];
        int[] userList = new int[users];
        int[] offsets = new int[users + 1];
        int[] targets = new int[16];
        int n = 0;
        int t = 0;
        int dropped = 0;
        for (int u = 0; u < users; u++) {
            if (targetEnd[u] <= histEnd[u]) {
                continue;
            }
            if (excludeKnown) {
                for (int p = histories.start(u); p < histories.end(u); p++) {
                    stamp[items[p]] = u + 1;
                }
            }
            int first = t;
            for (int p = histEnd[u]; p < targetEnd[u]; p++) {
                int item = items[p];
                if (excludeKnown && stamp[item] == u + 1) {
                    dropped++;
                    continue;
                }
                if (targetStamp[item] == u + 1) {
                    continue; // a repeat within the targets
                }
                targetStamp[item] = u + 1;
                if (t == targets.length) {
                    targets = Arrays.copyOf(targets, targets.length * 2);
                }
                targets[t++] = item;
            }
            if (t == first) {
                continue;
            }
            Arrays.sort(targets, first, t);
            userList[n] = u;
            offsets[n + 1] = t;
            n++;
        }
        return new EvalTask(name, histories, Arrays.copyOf(userList, n), Arrays.copyOf(offsets, n + 1),
                Arrays.copyOf(targets, t), excludeKnown, dropped);
    }
}
