package org.recsysrl.serve;

/**
 * Writes a float as {@link Float#toString(float)} does, as ASCII bytes and without allocating, for
 * the plain-notation range {@code 1e-3 <= |v| < 1e7} (where an observation's values lie); other
 * values are left to the caller.
 *
 * <p>The digits are the shortest decimal that rounds back to the float (the closest such one, an
 * even last digit on a tie; when one digit would do, the closest of one or two digits), found with
 * exact 64-bit integer arithmetic: in this range a float is {@code c * 2^q} with {@code c < 2^24}
 * and {@code -33 <= q <= 0}, so its rounding interval and the multiples of {@code 10^j} tried
 * against it all fit in a {@code long} once scaled by {@code 2^(2-q)}. Checked against
 * {@code Float.toString} for every float of the range (FloatTextTest samples it).
 */
final class FloatText {
    /** The smallest magnitude written here: below it {@code Float.toString} uses computerized scientific notation. */
    static final float MIN = 1e-3f;
    /** The first magnitude not written here. */
    static final float MAX = 1e7f;
    private static final long[] POW10 = new long[12];
    /** Decimal exponent bounds: {@code DECADE[e + 3] = 10^e} as doubles, for e in [-3, 7]. */
    private static final double[] DECADE = {1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7};

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private FloatText() {
    }

    /** Whether {@link #write} handles {@code v}. */
    static boolean handles(float v) {
        float a = Math.abs(v);
        return a >= MIN && a < MAX;
    }

    /**
     * Writes {@code v} (for which {@link #handles} holds) into {@code out} from {@code at}, which has
     * room for 16 bytes; returns the position after it.
     */
    static int write(float v, byte[] out, int at) {
        int bits = Float.floatToRawIntBits(v);
        int pos = at;
        if (bits < 0) {
            out[pos++] = '-';
        }
        int c = (bits & 0x7fffff) | 0x800000; // normal in this range: the implicit bit is set
        int shift = 2 - (((bits >>> 23) & 0xff) - 150); // v = c * 2^q; every bound below is scaled by 2^(2-q)
        long value = 4L * c;
        long lower = c == 0x800000 ? value - 1 : value - 2; // the gap below a power of two is half as wide
        long upper = value + 2;
        // a tie rounds to the even c, so then the bounds themselves round to v (in this range a bound
        // has one binary digit more than v, so more decimal digits: it is never the shortest, but the
        // interval is kept exact)
        boolean inclusive = (c & 1) == 0;
        // nine significant digits always have a multiple inside the interval (a float's gap is wider
        // than 10^-8 of it); then ever coarser steps while one still does: the shortest
        int j = decade(Math.abs((double) v)) - 8;
        long low = lowestMultiple(lower, shift, j, inclusive);
        long high = highestMultiple(upper, shift, j, inclusive);
        while ((low + 9) / 10 <= high / 10) {
            low = (low + 9) / 10;
            high /= 10;
            j++;
        }
        long m = closest(value, shift, j, low, high);
        if (m < 10) { // one digit: the closest of one or two digits
            j--;
            m = closest(value, shift, j, lowestMultiple(lower, shift, j, inclusive),
                    highestMultiple(upper, shift, j, inclusive));
        }
        while (m % 10 == 0) {
            m /= 10;
            j++;
        }
        return plain(m, j, out, pos);
    }

    /** The decimal exponent of {@code a}: the e with {@code 10^e <= a < 10^(e+1)}, for a in [1e-3, 1e7). */
    private static int decade(double a) {
        int e = 6;
        while (a < DECADE[e + 3]) {
            e--;
        }
        return e;
    }

    /** The smallest m with {@code m * 10^j * 2^shift} above (or at, if inclusive) {@code bound}. */
    private static long lowestMultiple(long bound, int shift, int j, boolean inclusive) {
        long q = quotient(bound, shift, j);
        return inclusive && isExact(bound, shift, j, q) ? q : q + 1;
    }

    /** The largest m with {@code m * 10^j * 2^shift} below (or at, if inclusive) {@code bound}. */
    private static long highestMultiple(long bound, int shift, int j, boolean inclusive) {
        long q = quotient(bound, shift, j);
        return !inclusive && isExact(bound, shift, j, q) ? q - 1 : q;
    }

    /** {@code floor(bound / (10^j * 2^shift))}, exactly. */
    private static long quotient(long bound, int shift, int j) {
        return j >= 0 ? bound / (POW10[j] << shift) : (bound * POW10[-j]) >>> shift;
    }

    /** Whether {@code q * 10^j * 2^shift} is {@code bound} itself. */
    private static boolean isExact(long bound, int shift, int j, long q) {
        return j >= 0 ? q * (POW10[j] << shift) == bound : (q << shift) == bound * POW10[-j];
    }

    /** Of the multiples {@code low..high} of {@code 10^j}, the closest to the value (an even one on a tie). */
    private static long closest(long value, int shift, int j, long low, long high) {
        long q;
        int side; // the remainder against half a step: < 0 below, 0 a tie, > 0 above
        if (j >= 0) {
            long d = POW10[j] << shift;
            q = value / d;
            side = Long.compare(2 * (value - q * d), d);
        } else {
            long scaled = value * POW10[-j];
            q = scaled >>> shift;
            side = Long.compare(scaled - (q << shift), 1L << (shift - 1));
        }
        long m = side > 0 || side == 0 && (q & 1) == 1 ? q + 1 : q;
        return Math.max(low, Math.min(high, m));
    }

    /** Writes {@code m * 10^j} (m without trailing zeros) in plain notation with at least one fraction digit. */
    private static int plain(long m, int j, byte[] out, int at) {
        int digits = 1;
        for (long t = m; t >= 10; t /= 10) {
            digits++;
        }
        int whole = digits + j; // digits before the point
        int pos = at;
        if (whole <= 0) {
            out[pos++] = '0';
            out[pos++] = '.';
            for (int i = 0; i < -whole; i++) {
                out[pos++] = '0';
            }
            return digitsOf(m, digits, out, pos);
        }
        if (j >= 0) {
            pos = digitsOf(m, digits, out, pos);
            for (int i = 0; i < j; i++) {
                out[pos++] = '0';
            }
            out[pos++] = '.';
            out[pos++] = '0';
            return pos;
        }
        int end = digitsOf(m, digits, out, pos + 1); // one place left for the point
        System.arraycopy(out, pos + 1, out, pos, whole);
        out[pos + whole] = '.';
        return end;
    }

    /** Writes the {@code digits} digits of m from {@code at}; returns the position after them. */
    private static int digitsOf(long m, int digits, byte[] out, int at) {
        long t = m;
        for (int i = at + digits - 1; i >= at; i--) {
            out[i] = (byte) ('0' + t % 10);
            t /= 10;
        }
        return at + digits;
    }
}
