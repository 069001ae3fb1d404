package org.recsysrl.recommend;

import java.util.Objects;

/**
 * What is known about a user when recommending: the items interacted with, oldest first, as the
 * slice {@code items[from .. to)} of a shared array (with their weights, if any), and the user's
 * index in the data the model was fitted on, or {@link #UNKNOWN_USER} for a guest or a new session.
 * Models that learn per-user parameters may use the index; every model must work from the items
 * alone when it is unknown.
 *
 * @param user dense user index in the fitted data, or {@link #UNKNOWN_USER}
 * @param items item indices (shared; only {@code [from, to)} is read)
 * @param weights weight per position of {@code items}, or null for all 1
 * @param from first position of the history
 * @param to one past the last (most recent) position
 */
public record History(int user, int[] items, float[] weights, int from, int to) {
    /** The user index of a history that belongs to no known user. */
    public static final int UNKNOWN_USER = -1;

    public History {
        Objects.requireNonNull(items, "items");
        if (from < 0 || to < from || to > items.length) {
            throw new IllegalArgumentException("history [" + from + ", " + to + ") outside the item array");
        }
        if (weights != null && weights.length < to) {
            throw new IllegalArgumentException("weights shorter than the history");
        }
    }

    /** A history of the given items (oldest first) for an unknown user. */
    public static History of(int... items) {
        return new History(UNKNOWN_USER, items, null, 0, items.length);
    }

    /** Number of interactions. */
    public int length() {
        return to - from;
    }

    /** The most recent item, or -1 for an empty history. */
    public int lastItem() {
        return to > from ? items[to - 1] : -1;
    }

    /** Weight of position {@code p} (1 without weights). */
    public float weight(int p) {
        return weights == null ? 1f : weights[p];
    }
}
