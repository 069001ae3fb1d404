package org.recsysrl.eval;

import java.util.Objects;
import org.recsysrl.data.SplitSpec;
import org.recsysrl.util.UserInputException;

/**
 * How a log is split for offline evaluation (see {@link OfflineSplit} for what each protocol holds
 * out).
 *
 * @param kind the protocol
 * @param cutoffFraction temporal: the cutoff is the time by which this fraction of all interactions
 *     happened (used when {@code cutoffTime} is empty)
 * @param cutoffTime temporal: the cutoff, an integer in the log's time unit or an ISO-8601 date
 *     ("" = use {@code cutoffFraction})
 * @param allTargets temporal: every interaction after the cutoff is a test target, not only the first
 * @param coldUsers temporal: users whose first interaction is at or after the cutoff are test users
 *     too, with an empty history (the global timeline's new users); false keeps only users with
 *     history before the cutoff
 * @param userFraction user-fraction: how much of each user is held out
 */
public record ProtocolSpec(Kind kind, double cutoffFraction, String cutoffTime, boolean allTargets, boolean coldUsers,
        SplitSpec userFraction) {

    /** The protocols. */
    public enum Kind {
        /** Leave-one-out: last interaction = test, second-to-last = validation. */
        LOO("loo"),
        /** A global cutoff time; test = each user's first (or every) interaction at or after it. */
        TEMPORAL("temporal"),
        /** Each user's last fraction (or last k) = test, the same share of the rest = validation. */
        USER_FRACTION("user-fraction");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The name used in {@code eval.protocol} and {@code --protocol}. */
        public String id() {
            return id;
        }

        /** The protocol named {@code id}. */
        public static Kind of(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id)) {
                    return k;
                }
            }
            throw new UserInputException("protocol must be loo, temporal or user-fraction (got " + id + ")");
        }
    }

    /** Leave-one-out. */
    public static final ProtocolSpec LOO = new ProtocolSpec(Kind.LOO, 0.8, "", false, true, SplitSpec.DEFAULT);

    public ProtocolSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cutoffTime, "cutoffTime");
        Objects.requireNonNull(userFraction, "userFraction");
        if (!(cutoffFraction > 0 && cutoffFraction < 1)) {
            throw new UserInputException("eval.cutoff_fraction must be in (0, 1) (got " + cutoffFraction + ")");
        }
    }

    /** A global temporal split at the given fraction of the timeline. */
    public static ProtocolSpec temporal(double cutoffFraction, boolean allTargets, boolean coldUsers) {
        return new ProtocolSpec(Kind.TEMPORAL, cutoffFraction, "", allTargets, coldUsers, SplitSpec.DEFAULT);
    }

    /** The per-user chronological split. */
    public static ProtocolSpec userFraction(SplitSpec split) {
        return new ProtocolSpec(Kind.USER_FRACTION, 0.8, "", false, true, split);
    }
}
