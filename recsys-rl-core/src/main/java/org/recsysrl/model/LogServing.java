package org.recsysrl.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.recsysrl.data.IdMap;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.io.Tensor;
import org.recsysrl.seq.TransitionTable;
import org.recsysrl.util.UserInputException;

/**
 * What serving a sequence model trained on a log needs besides its parameters, so that a checkpoint
 * answers requests without the log: the item ids (the vocabulary, in the model's item order), the
 * first-order transitions and popularity of the whole log ({@link TransitionTable}, omitted when
 * the mixture weight is 0) and, optionally, every known user's id and item history.
 *
 * <p>Stored as checkpoint tensors under {@value Checkpoint#SERVING_PREFIX}: ids as their UTF-8
 * bytes back to back ({@code U8}) with each id's end offset ({@code I32}); histories as
 * {@code I32} offsets and items; transitions as {@code I32} offsets per source and each source's
 * targets sorted, one entry per observed transition ({@link TransitionTable#expanded}; on sparse
 * logs most pairs occur once, so this is smaller than pairs with counts); popularity as
 * {@code F32}.
 *
 * @param items the item ids
 * @param users the known users' ids, or null when the checkpoint stores no histories
 * @param historyOffsets {@code [users + 1]}: user u's items are {@code historyItems[historyOffsets[u] .. historyOffsets[u+1]]}
 *     (null without histories)
 * @param historyItems every user's items in time order (null without histories)
 * @param transitions the transitions of the whole log, or null when the checkpoint mixes none in
 */
public record LogServing(IdMap items, IdMap users, int[] historyOffsets, int[] historyItems,
        TransitionTable transitions) {

    /** {@code seq.checkpoint_histories=auto} stores histories up to this many interactions (4 bytes each). */
    public static final long AUTO_HISTORY_LIMIT = 5_000_000;

    private static final String ITEM_IDS = "item_ids";
    private static final String ITEM_ID_ENDS = "item_id_ends";
    private static final String USER_IDS = "user_ids";
    private static final String USER_ID_ENDS = "user_id_ends";
    private static final String HISTORY_OFFSETS = "history_offsets";
    private static final String HISTORY_ITEMS = "history_items";
    private static final String TRANSITION_OFFSETS = "transition_offsets";
    private static final String TRANSITION_TARGETS = "transition_targets";
    private static final String POPULARITY = "popularity";
    private static final String BACKOFF = "transition_backoff";

    /** True if the known users' histories are stored. */
    public boolean hasHistories() {
        return users != null;
    }

    /**
     * What serving needs of {@code log}: its ids, its transitions (when {@code withTransitions}) and,
     * when {@code withHistories}, its users' histories.
     */
    public static LogServing of(InteractionLog log, boolean withTransitions, boolean withHistories) {
        TransitionTable transitions = withTransitions
                ? TransitionTable.of(log, (float) SequenceModels.TRANSITION_BACKOFF) : null;
        if (!withHistories) {
            return new LogServing(log.itemIds(), null, null, null, transitions);
        }
        int users = log.userCount();
        int[] offsets = new int[users + 1];
        int[] items = new int[log.size()];
        int m = 0;
        for (int u = 0; u < users; u++) {
            for (int p = log.start(u); p < log.end(u); p++) {
                items[m++] = log.items()[p];
            }
            offsets[u + 1] = m;
        }
        return new LogServing(log.itemIds(), log.userIds(), offsets, items, transitions);
    }

    /** Whether {@code seq.checkpoint_histories} stores the histories of {@code log}. */
    public static boolean storesHistories(String setting, InteractionLog log) {
        return switch (setting) {
            case "true" -> true;
            case "false" -> false;
            default -> log.size() <= AUTO_HISTORY_LIMIT;
        };
    }

    /** The same with {@code transitions} (e.g. counted with another back-off β). */
    public LogServing withTransitions(TransitionTable transitions) {
        return new LogServing(items, users, historyOffsets, historyItems, transitions);
    }

    /** The same without the transitions (for a checkpoint whose mixture weight is 0). */
    public LogServing withoutTransitions() {
        return new LogServing(items, users, historyOffsets, historyItems, null);
    }

    /** The checkpoint tensors (names without {@value Checkpoint#SERVING_PREFIX}, which is added here). */
    public List<Tensor> tensors() {
        List<Tensor> out = new ArrayList<>();
        ids(out, ITEM_IDS, ITEM_ID_ENDS, items);
        if (users != null) {
            ids(out, USER_IDS, USER_ID_ENDS, users);
            out.add(ints(HISTORY_OFFSETS, historyOffsets));
            out.add(ints(HISTORY_ITEMS, historyItems));
        }
        if (transitions != null) {
            int[][] expanded = transitions.expanded();
            out.add(ints(TRANSITION_OFFSETS, expanded[0]));
            out.add(ints(TRANSITION_TARGETS, expanded[1]));
            out.add(Tensor.f32(Checkpoint.SERVING_PREFIX + POPULARITY, new long[] {transitions.itemCount()},
                    transitions.popularity()));
            out.add(Tensor.f32(Checkpoint.SERVING_PREFIX + BACKOFF, new long[] {1},
                    new float[] {transitions.backoff()}));
        }
        return out;
    }

    /** True if {@code checkpoint} holds the serving tensors (written by this version or later). */
    public static boolean stored(Checkpoint.Loaded checkpoint) {
        return checkpoint.hasServing(ITEM_IDS);
    }

    /**
     * Reads the serving tensors of {@code checkpoint} ({@link #stored} must be true).
     *
     * @throws UserInputException naming the checkpoint if they are damaged
     */
    public static LogServing read(Checkpoint.Loaded checkpoint) {
        String source = "checkpoint " + checkpoint.path();
        try {
            IdMap items = ids(checkpoint, ITEM_IDS, ITEM_ID_ENDS);
            IdMap users = null;
            int[] offsets = null;
            int[] histories = null;
            if (checkpoint.hasServing(USER_IDS)) {
                users = ids(checkpoint, USER_IDS, USER_ID_ENDS);
                offsets = checkpoint.serving(HISTORY_OFFSETS, "I32").toInts();
                histories = checkpoint.serving(HISTORY_ITEMS, "I32").toInts();
                requireOffsets(offsets, users.size(), histories.length);
                for (int item : histories) {
                    if (item < 0 || item >= items.size()) {
                        throw new IllegalArgumentException("history item " + item + " outside the vocabulary");
                    }
                }
            }
            TransitionTable transitions = null;
            if (checkpoint.hasServing(TRANSITION_OFFSETS)) {
                float[] backoff = checkpoint.serving(BACKOFF, "F32").toFloats();
                if (backoff.length != 1) {
                    throw new IllegalArgumentException("transition backoff has " + backoff.length + " values");
                }
                transitions = TransitionTable.fromExpanded(checkpoint.serving(TRANSITION_OFFSETS, "I32").toInts(),
                        checkpoint.serving(TRANSITION_TARGETS, "I32").toInts(),
                        checkpoint.serving(POPULARITY, "F32").toFloats(), backoff[0]);
                if (transitions.itemCount() != items.size()) {
                    throw new IllegalArgumentException("transitions over " + transitions.itemCount() + " items, "
                            + items.size() + " item ids");
                }
            }
            return new LogServing(items, users, offsets, histories, transitions);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(source + ": its serving tensors are inconsistent (" + e.getMessage()
                    + "): the file is damaged; retrain or pick another checkpoint");
        }
    }

    private static void ids(List<Tensor> out, String bytesName, String endsName, IdMap ids) {
        byte[][] encoded = new byte[ids.size()][];
        int total = 0;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = ids.raw(i).getBytes(StandardCharsets.UTF_8);
            total = Math.addExact(total, encoded[i].length);
        }
        byte[] bytes = new byte[total];
        int[] ends = new int[encoded.length];
        int at = 0;
        for (int i = 0; i < encoded.length; i++) {
            System.arraycopy(encoded[i], 0, bytes, at, encoded[i].length);
            at += encoded[i].length;
            ends[i] = at;
        }
        out.add(new Tensor(Checkpoint.SERVING_PREFIX + bytesName, "U8", new long[] {bytes.length}, bytes));
        out.add(ints(endsName, ends));
    }

    private static IdMap ids(Checkpoint.Loaded checkpoint, String bytesName, String endsName) {
        byte[] bytes = checkpoint.serving(bytesName, "U8").bytes();
        int[] ends = checkpoint.serving(endsName, "I32").toInts();
        requireOffsets(prepend(ends), ends.length, bytes.length);
        String[] raw = new String[ends.length];
        int from = 0;
        for (int i = 0; i < ends.length; i++) {
            raw[i] = new String(bytes, from, ends[i] - from, StandardCharsets.UTF_8);
            from = ends[i];
        }
        return IdMap.of(raw);
    }

    private static int[] prepend(int[] ends) {
        int[] out = new int[ends.length + 1];
        System.arraycopy(ends, 0, out, 1, ends.length);
        return out;
    }

    private static void requireOffsets(int[] offsets, int count, int length) {
        if (offsets.length != count + 1 || offsets[0] != 0 || offsets[count] != length) {
            throw new IllegalArgumentException(offsets.length + " offsets for " + count + " entries of " + length);
        }
        for (int i = 0; i < count; i++) {
            if (offsets[i + 1] < offsets[i]) {
                throw new IllegalArgumentException("offsets decrease at entry " + i);
            }
        }
    }

    private static Tensor ints(String name, int[] values) {
        return Tensor.i32(Checkpoint.SERVING_PREFIX + name, new long[] {values.length}, values);
    }
}
