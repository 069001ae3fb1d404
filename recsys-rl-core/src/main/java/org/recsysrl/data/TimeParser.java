package org.recsysrl.data;

/**
 * Parses the time field of a log line from its bytes, without allocating: either an integer (taken
 * as it is: seconds, milliseconds, any unit — only the order matters) or an ISO-8601 date or
 * date-time, {@code yyyy-MM-dd}, optionally followed by {@code T} or a space and
 * {@code HH:mm[:ss[.fraction]]}, optionally followed by {@code Z}, {@code UTC} (after a space) or an
 * offset {@code ±HH:mm} / {@code ±HHmm}; a date-time without zone is taken as UTC. Dates become
 * milliseconds since 1970-01-01T00:00Z.
 */
public final class TimeParser {
    /** Returned for text that is neither form. */
    public static final long MALFORMED = Long.MIN_VALUE;

    /**
     * The time written in {@code text} (an integer, or an ISO-8601 date or date-time in
     * milliseconds since the epoch), or {@link #MALFORMED}; {@code dateOut[0]} (if given) tells
     * whether it was a date.
     */
    public static long parse(String text, boolean[] dateOut) {
        byte[] b = text.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        TimeParser p = new TimeParser();
        long v = p.parse(b, 0, b.length);
        if (dateOut != null && v != MALFORMED) {
            dateOut[0] = p.lastKind == Kind.DATE;
        }
        return v;
    }

    /** What a field turned out to be. */
    enum Kind { INTEGER, DATE }

    private Kind lastKind;

    private TimeParser() {
    }

    /** A parser that remembers the kind of the last value parsed (see {@link #lastKind()}). */
    static TimeParser create() {
        return new TimeParser();
    }

    /** The kind of the last successfully parsed value. */
    Kind lastKind() {
        return lastKind;
    }

    /** The time in {@code b[from, to)}, or {@link #MALFORMED}. */
    long parse(byte[] b, int from, int to) {
        long v = RatingsReader.parseLong(b, from, to);
        if (v != Long.MIN_VALUE) {
            lastKind = Kind.INTEGER;
            return v;
        }
        long d = parseIso(b, from, to);
        if (d != MALFORMED) {
            lastKind = Kind.DATE;
        }
        return d;
    }

    /** The milliseconds of a fraction of a second written as the digits {@code b[from, to)}: its first three, padded. */
    private static int fractionMillis(byte[] b, int from, int to) {
        int ms = 0;
        for (int k = 0; k < 3; k++) {
            ms = ms * 10 + (from + k < to ? b[from + k] - '0' : 0);
        }
        return ms;
    }

    /** An ISO-8601 date or date-time in milliseconds since the epoch, or {@link #MALFORMED}. */
    static long parseIso(byte[] b, int from, int to) {
        int n = to - from;
        if (n < 10 || b[from + 4] != '-' || b[from + 7] != '-') {
            return MALFORMED;
        }
        int year = digits(b, from, 4);
        int month = digits(b, from + 5, 2);
        int day = digits(b, from + 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return MALFORMED;
        }
        long millis = 0;
        int i = from + 10;
        if (i < to && (b[i] == 'T' || b[i] == ' ') && i + 6 <= to && b[i + 3] == ':') {
            int hour = digits(b, i + 1, 2);
            int minute = digits(b, i + 4, 2);
            if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
                return MALFORMED;
            }
            millis = (hour * 60L + minute) * 60_000L;
            i += 6;
            if (i < to && b[i] == ':') {
                int second = i + 3 <= to ? digits(b, i + 1, 2) : -1;
                if (second < 0 || second > 60) {
                    return MALFORMED;
                }
                millis += second * 1000L;
                i += 3;
                if (i < to && (b[i] == '.' || b[i] == ',')) {
                    int start = ++i;
                    while (i < to && b[i] >= '0' && b[i] <= '9') {
                        i++;
                    }
                    if (i == start) {
                        return MALFORMED;
                    }
                    millis += fractionMillis(b, start, i);
                }
            }
            if (i < to) {
                long offset = zoneOffsetMillis(b, i, to);
                if (offset == MALFORMED) {
                    return MALFORMED;
                }
                millis -= offset;
                i = to;
            }
        }
        if (i != to) {
            return MALFORMED;
        }
        return epochDay(year, month, day) * 86_400_000L + millis;
    }

    /** The offset east of UTC of {@code Z}, {@code  UTC}, {@code ±HH:mm} or {@code ±HHmm}, or {@link #MALFORMED}. */
    private static long zoneOffsetMillis(byte[] b, int i, int to) {
        int n = to - i;
        if (n == 1 && b[i] == 'Z') {
            return 0;
        }
        if (n == 4 && b[i] == ' ' && b[i + 1] == 'U' && b[i + 2] == 'T' && b[i + 3] == 'C') {
            return 0;
        }
        if ((n == 6 || n == 5 || n == 3) && (b[i] == '+' || b[i] == '-')) {
            int h = digits(b, i + 1, 2);
            int m = n == 3 ? 0 : n == 6 ? (b[i + 3] == ':' ? digits(b, i + 4, 2) : -1) : digits(b, i + 3, 2);
            if (h < 0 || h > 18 || m < 0 || m > 59) {
                return MALFORMED;
            }
            long off = (h * 60L + m) * 60_000L;
            return b[i] == '-' ? -off : off;
        }
        return MALFORMED;
    }

    private static int digits(byte[] b, int from, int count) {
        int v = 0;
        for (int k = 0; k < count; k++) {
            int c = b[from + k] - '0';
            if (c < 0 || c > 9) {
                return -1;
            }
            v = v * 10 + c;
        }
        return v;
    }

    private static boolean leap(int y) {
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    }

    private static int daysInMonth(int y, int m) {
        return switch (m) {
            case 2 -> leap(y) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's days-from-civil). */
    static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
