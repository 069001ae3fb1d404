package org.recsysrl.config;

import java.util.List;
import org.recsysrl.util.UserInputException;

/** Checks of config values that fail with a message naming the key and the valid range. */
final class Validation {
    private Validation() {
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new UserInputException(message);
        }
    }

    static void positive(String key, long value) {
        check(value > 0, key + " must be positive (got " + value + ")");
    }

    /** {@code lo <= value <= hi}, with the range in the message. */
    static void atMost(String key, long value, long lo, long hi) {
        check(value >= lo && value <= hi, key + " must be in [" + lo + ", " + hi + "] (got " + value + ")");
    }

    static void positiveFinite(String key, double value) {
        check(value > 0 && Double.isFinite(value), key + " must be a positive number (got " + value + ")");
    }

    static void nonNegative(String key, double value) {
        check(value >= 0 && Double.isFinite(value), key + " must be >= 0 (got " + value + ")");
    }

    static void finite(String key, double value) {
        check(Double.isFinite(value), key + " must be a finite number (got " + value + ")");
    }

    static void inRange(String key, double value, double lo, boolean loInclusive, double hi, boolean hiInclusive) {
        boolean ok = (loInclusive ? value >= lo : value > lo) && (hiInclusive ? value <= hi : value < hi);
        check(ok, key + " must be in " + (loInclusive ? "[" : "(") + plain(lo) + ", " + plain(hi)
                + (hiInclusive ? "]" : ")") + " (got " + value + ")");
    }

    /** A bound as people write it: 1, 0.5, 1000000 (not 1.0 or 1.0E6). */
    private static String plain(double bound) {
        return java.math.BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
    }

    static void oneOf(String key, String value, List<String> allowed) {
        check(value != null && allowed.contains(value),
                key + " must be one of " + String.join(", ", allowed) + " (got " + value + ")");
    }

    /** A typed choice that must be set, with its allowed names in the message. */
    static void present(String key, Object value, List<String> allowed) {
        check(value != null, key + " must be one of " + String.join(", ", allowed) + " (got null)");
    }
}
