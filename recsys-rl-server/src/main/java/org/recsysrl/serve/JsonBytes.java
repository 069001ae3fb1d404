package org.recsysrl.serve;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable buffer that one JSON line is written into as UTF-8 bytes, for the impression log: no
 * {@code String} per line and no second encoding pass. Each request thread keeps one ({@link
 * #forThisThread}) and {@link #reset}s it per line; the log copies the bytes out.
 *
 * <p>Numbers are written as {@link Float#toString(float)}, {@link Double#toString(double)} and
 * {@link Long#toString(long)} write them (floats of an observation's usual range by {@link
 * FloatText}, without a detour through characters), strings with the escapes of {@link Json#quote}.
 * Not thread-safe.
 */
final class JsonBytes {
    private static final ThreadLocal<JsonBytes> PER_THREAD = ThreadLocal.withInitial(JsonBytes::new);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes = new byte[1024];
    private int length;
    /** Scratch for the JDK's number formatting (it appends to a {@code StringBuilder} without a {@code String}). */
    private final StringBuilder digits = new StringBuilder(32);
    /** The bits of the last double written and its text. */
    private long lastDouble;
    private final byte[] lastDoubleText = new byte[32];
    private int lastDoubleLength;

    /** This thread's buffer, emptied. */
    static JsonBytes forThisThread() {
        return PER_THREAD.get().reset();
    }

    /** Empties the buffer (its capacity is kept). */
    JsonBytes reset() {
        length = 0;
        return this;
    }

    /** The bytes written so far (valid up to {@link #length()}; the array is reused). */
    byte[] array() {
        return bytes;
    }

    /** Bytes written so far. */
    int length() {
        return length;
    }

    /** The bytes written so far, decoded (for tests and messages). */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** Appends {@code text} as it is; it must be ASCII (field names, punctuation, digits). */
    JsonBytes ascii(CharSequence text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
        return this;
    }

    /** Appends one ASCII character. */
    JsonBytes ascii(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends a whole number. */
    JsonBytes number(long v) {
        if (v >= 0 && v < 10) {
            return ascii((char) ('0' + v));
        }
        digits.setLength(0);
        return ascii(digits.append(v));
    }

    /** Appends a float as {@link Float#toString(float)} writes it. */
    JsonBytes number(float v) {
        if (v == 0 && Float.floatToRawIntBits(v) == 0) {
            return ascii("0.0"); // the context's padding: most common, and cheapest said at once
        }
        if (FloatText.handles(v)) {
            ensure(16);
            length = FloatText.write(v, bytes, length);
            return this;
        }
        digits.setLength(0);
        return ascii(digits.append(v));
    }

    /**
     * Appends a double as {@link Double#toString(double)} writes it. The last one written is kept
     * as text: a slate's propensities often repeat one value.
     */
    JsonBytes number(double v) {
        long bits = Double.doubleToRawLongBits(v);
        if (bits != lastDouble || lastDoubleLength == 0) {
            digits.setLength(0);
            digits.append(v); // at most 24 characters
            lastDouble = bits;
            lastDoubleLength = digits.length();
            for (int i = 0; i < lastDoubleLength; i++) {
                lastDoubleText[i] = (byte) digits.charAt(i);
            }
        }
        ensure(lastDoubleLength);
        System.arraycopy(lastDoubleText, 0, bytes, length, lastDoubleLength);
        length += lastDoubleLength;
        return this;
    }

    /** Appends {@code s} as a JSON string literal in UTF-8, escaped as {@link Json#quote} escapes it. */
    JsonBytes quoted(String s) {
        int n = s.length();
        ensure(n + 2);
        bytes[length++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                ensure(1);
                bytes[length++] = (byte) c;
            } else {
                special(s, i, c);
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++; // the pair was written as one code point
                }
            }
        }
        return ascii('"');
    }

    /** One character of a string literal that is not plain printable ASCII. */
    private void special(String s, int i, char c) {
        switch (c) {
            case '"' -> ascii("\\\"");
            case '\\' -> ascii("\\\\");
            case '\n' -> ascii("\\n");
            case '\r' -> ascii("\\r");
            case '\t' -> ascii("\\t");
            default -> {
                if (c < 0x20 || c == 0x2028 || c == 0x2029) { // as \\u followed by four hex digits
                    ascii("\\u").ascii((char) HEX[(c >> 12) & 0xf]).ascii((char) HEX[(c >> 8) & 0xf])
                            .ascii((char) HEX[(c >> 4) & 0xf]).ascii((char) HEX[c & 0xf]);
                } else {
                    utf8(s, i, c);
                }
            }
        }
    }

    /** UTF-8 of the code point at {@code i} (a lone surrogate becomes '?', as {@code String.getBytes} does). */
    private void utf8(String s, int i, char c) {
        ensure(4);
        if (c < 0x800) {
            bytes[length++] = (byte) (0xc0 | (c >> 6));
            bytes[length++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isSurrogate(c)) {
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(i + 1));
                bytes[length++] = (byte) (0xf0 | (cp >> 18));
                bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                bytes[length++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                bytes[length++] = '?';
            }
        } else {
            bytes[length++] = (byte) (0xe0 | (c >> 12));
            bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3f));
            bytes[length++] = (byte) (0x80 | (c & 0x3f));
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
