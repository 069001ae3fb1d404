package org.recsysrl.util;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Mutations of valid inputs for the fuzz tests, each drawn from a caller's seeded {@link Random}:
 * of raw bytes (truncation, bit flips, insertions, deletions, duplications, random bytes), of JSON
 * text (numbers, strings and literals replaced by hostile ones, deep nesting, duplicate keys,
 * wrong types) and of delimited text lines (fields replaced by non-finite, huge or malformed values).
 */
public final class Mutations {
    /** Numbers that break naive readers: signs, overflows of every width, non-finite, over-long. */
    public static final List<String> NASTY_NUMBERS = List.of("-1", "0", "-0", "1.5", "1e300", "-1e300", "1e400",
            "-1e400", "1e-400", "2147483647", "2147483648", "-2147483649", "4294967296", "1099511627776",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551615",
            "NaN", "Infinity", "-Infinity", "0x10", "1" + "0".repeat(99), "1" + "0".repeat(2000),
            "0." + "0".repeat(150) + "1", "3e38", "-1000000", "1e4", "10001");

    /** Values of the wrong type for any JSON slot. */
    private static final List<String> WRONG_TYPES = List.of("null", "true", "false", "[]", "{}", "[1,2]",
            "\"x\"", "{\"a\":1}", "[[]]", "\"\"", "-1", "0");

    private Mutations() {
    }

    // ---- bytes -----------------------------------------------------------------------------------

    /** One random byte-level mutation of {@code valid} (never modified). */
    public static byte[] bytes(byte[] valid, Random rng) {
        int n = valid.length;
        switch (rng.nextInt(10)) {
            case 0: // truncate
                return Arrays.copyOf(valid, n == 0 ? 0 : rng.nextInt(n));
            case 1: { // flip bits
                byte[] out = valid.clone();
                for (int k = 1 + rng.nextInt(8); k > 0 && n > 0; k--) {
                    out[rng.nextInt(n)] ^= (byte) (1 << rng.nextInt(8));
                }
                return out;
            }
            case 2: { // overwrite with random bytes
                byte[] out = valid.clone();
                for (int k = 1 + rng.nextInt(16); k > 0 && n > 0; k--) {
                    out[rng.nextInt(n)] = (byte) rng.nextInt(256);
                }
                return out;
            }
            case 3: { // insert random bytes
                byte[] insert = new byte[1 + rng.nextInt(64)];
                rng.nextBytes(insert);
                return splice(valid, rng.nextInt(n + 1), 0, insert);
            }
            case 4: { // delete a range
                int from = n == 0 ? 0 : rng.nextInt(n);
                return splice(valid, from, rng.nextInt(n - from + 1), new byte[0]);
            }
            case 5: { // duplicate a range
                int from = n == 0 ? 0 : rng.nextInt(n);
                int len = rng.nextInt(n - from + 1);
                return splice(valid, from, 0, Arrays.copyOfRange(valid, from, from + len));
            }
            case 6: { // structural bytes
                byte[] special = {0, (byte) 0xFF, 0x7F, (byte) 0x80, '\n', '\r', '"', '{', '}', '[', ',', ':', '\\',
                    '\t', ' ', '-', '.', 'e'};
                byte[] out = valid.clone();
                for (int k = 1 + rng.nextInt(4); k > 0 && n > 0; k--) {
                    out[rng.nextInt(n)] = special[rng.nextInt(special.length)];
                }
                return out;
            }
            case 7:
                return new byte[0];
            case 8: { // random bytes
                byte[] out = new byte[rng.nextInt(2 * n + 16)];
                rng.nextBytes(out);
                return out;
            }
            default: { // repeat a chunk many times
                int from = n == 0 ? 0 : rng.nextInt(n);
                byte[] chunk = Arrays.copyOfRange(valid, from, Math.min(n, from + 1 + rng.nextInt(32)));
                ByteArrayOutputStream repeated = new ByteArrayOutputStream();
                for (int k = 1 + rng.nextInt(200); k > 0; k--) {
                    repeated.writeBytes(chunk);
                }
                return splice(valid, from, 0, repeated.toByteArray());
            }
        }
    }

    /** {@code a} with {@code remove} bytes at {@code at} replaced by {@code insert}. */
    public static byte[] splice(byte[] a, int at, int remove, byte[] insert) {
        byte[] out = new byte[a.length - remove + insert.length];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(a, at + remove, out, at + insert.length, a.length - at - remove);
        return out;
    }

    // ---- JSON text -------------------------------------------------------------------------------

    /** One random mutation of the JSON text {@code json}: usually still JSON, often hostile. */
    public static String json(String json, Random rng) {
        List<int[]> tokens = tokens(json);
        if (tokens.isEmpty()) {
            return json + "{";
        }
        int[] t = tokens.get(rng.nextInt(tokens.size()));
        String token = json.substring(t[0], t[1]);
        boolean isKey = token.startsWith("\"") && json.substring(t[1]).stripLeading().startsWith(":");
        switch (rng.nextInt(11)) {
            case 0:
                return replace(json, t, NASTY_NUMBERS.get(rng.nextInt(NASTY_NUMBERS.size())));
            case 1:
                return replace(json, t, nastyString(rng));
            case 2: // a duplicate of a key, or a key that repeats another's
                if (isKey) {
                    return json.substring(0, t[0]) + token + ":" + WRONG_TYPES.get(rng.nextInt(WRONG_TYPES.size()))
                            + "," + json.substring(t[0]);
                }
                return replace(json, t, WRONG_TYPES.get(rng.nextInt(WRONG_TYPES.size())));
            case 3:
                return isKey ? json : replace(json, t, nested(rng, token));
            case 4:
                return isKey ? replace(json, t, nastyString(rng)) : replace(json, t,
                        WRONG_TYPES.get(rng.nextInt(WRONG_TYPES.size())));
            case 5: { // delete or insert one character
                int at = rng.nextInt(json.length());
                String structural = "{}[],:\"\\ 0-";
                return rng.nextBoolean() ? json.substring(0, at) + json.substring(at + 1)
                        : json.substring(0, at) + structural.charAt(rng.nextInt(structural.length())) + json.substring(at);
            }
            case 6:
                return json.substring(0, rng.nextInt(json.length() + 1));
            case 7: // a member that repeats itself many times (duplicate keys)
                if (isKey) {
                    String member = token + ":1,";
                    return json.substring(0, t[0]) + member.repeat(2 + rng.nextInt(5)) + json.substring(t[0]);
                }
                return replace(json, t, "[" + (token + ",").repeat(1 + rng.nextInt(1000)) + token + "]");
            case 8: // a comment, or trailing garbage
                return rng.nextBoolean() ? "/* c */" + json : json + (rng.nextBoolean() ? "}" : " {}");
            case 9: { // swap two tokens
                int[] u = tokens.get(rng.nextInt(tokens.size()));
                if (u[0] == t[0]) {
                    return json;
                }
                int[] first = u[0] < t[0] ? u : t;
                int[] second = u[0] < t[0] ? t : u;
                if (first[1] > second[0]) {
                    return json;
                }
                return json.substring(0, first[0]) + json.substring(second[0], second[1])
                        + json.substring(first[1], second[0]) + json.substring(first[0], first[1])
                        + json.substring(second[1]);
            }
            default: { // several mutations at once
                String out = json;
                for (int k = 2 + rng.nextInt(3); k > 0; k--) {
                    out = json(out, rng);
                }
                return out;
            }
        }
    }

    /** A string literal chosen to hurt: empty, escapes, control characters, very long. */
    public static String nastyString(Random rng) {
        return switch (rng.nextInt(9)) {
            case 0 -> "\"\"";
            case 1 -> "\"line\\nbreak\\r\"";
            case 2 -> "\"\\u0000\\u001f\"";
            case 3 -> "\"" + "a".repeat(1000 + rng.nextInt(10_000)) + "\"";
            case 4 -> "\"" + "b".repeat(100_001) + "\""; // one past the config reader's string limit
            case 5 -> "\"\\ud800\"";
            case 6 -> "\"ünïcödé ☃\"";
            case 7 -> "\"unterminated";
            default -> "\"" + "\\\"".repeat(1 + rng.nextInt(100)) + "\"";
        };
    }

    /** {@code value} inside arrays or objects nested 2 to 10,000 levels deep. */
    private static String nested(Random rng, String value) {
        int[] depths = {2, 31, 32, 33, 100, 1000, 10_000};
        int depth = depths[rng.nextInt(depths.length)];
        if (rng.nextBoolean()) {
            return "[".repeat(depth) + value + "]".repeat(depth);
        }
        return "{\"a\":".repeat(depth) + value + "}".repeat(depth);
    }

    private static String replace(String json, int[] t, String with) {
        return json.substring(0, t[0]) + with + json.substring(t[1]);
    }

    /** The spans of the string, number and literal tokens of {@code json}, by a linear scan. */
    private static List<int[]> tokens(String json) {
        List<int[]> out = new ArrayList<>();
        int n = json.length();
        int i = 0;
        while (i < n) {
            char c = json.charAt(i);
            int start = i;
            if (c == '"') {
                i++;
                while (i < n && json.charAt(i) != '"') {
                    i += json.charAt(i) == '\\' ? 2 : 1;
                }
                i = Math.min(n, i + 1);
                out.add(new int[] {start, i});
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                i++;
                while (i < n && "0123456789.eE+-".indexOf(json.charAt(i)) >= 0) {
                    i++;
                }
                out.add(new int[] {start, i});
            } else if (json.startsWith("true", i) || json.startsWith("null", i)) {
                i += 4;
                out.add(new int[] {start, i});
            } else if (json.startsWith("false", i)) {
                i += 5;
                out.add(new int[] {start, i});
            } else {
                i++;
            }
        }
        return out;
    }

    // ---- delimited text lines --------------------------------------------------------------------

    /** Field values that a data line should never hold. */
    public static final List<String> NASTY_FIELDS = List.of("", " ", "NaN", "nan", "Infinity", "-Infinity", "inf",
            "1e300", "-1e300", "3e38", "3.4028236e38", "-1000000", "10000.5", "1e4", "-0", "1e-45", "\"", "\"\"",
            "\"a,b\"", "5f", "0x1p3", "1" + "0".repeat(40), "99999999999999999999", "-9223372036854775808",
            "2019-13-45T99:99:99Z", "2019-10-01", "\t", ",", "::", "|", "\u00ff\u00fe", "\uFEFF1");

    /**
     * One random mutation of delimited text (lines of fields separated by {@code delimiter}), as
     * UTF-8 bytes: a field replaced by a hostile value, a field added or removed, a line
     * duplicated, emptied, made long, given CRLF, or the whole text mutated as bytes.
     */
    public static byte[] lines(String text, String delimiter, Random rng) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int i = rng.nextInt(lines.size());
        String line = lines.get(i);
        List<String> fields = new ArrayList<>(List.of(line.split(Pattern.quote(delimiter), -1)));
        switch (rng.nextInt(8)) {
            case 0, 1 -> {
                fields.set(rng.nextInt(fields.size()), NASTY_FIELDS.get(rng.nextInt(NASTY_FIELDS.size())));
                lines.set(i, String.join(delimiter, fields));
            }
            case 2 -> {
                if (rng.nextBoolean() || fields.size() < 2) {
                    fields.add(rng.nextInt(fields.size() + 1), NASTY_FIELDS.get(rng.nextInt(NASTY_FIELDS.size())));
                } else {
                    fields.remove(rng.nextInt(fields.size()));
                }
                lines.set(i, String.join(delimiter, fields));
            }
            case 3 -> lines.add(i, line);
            case 4 -> lines.set(i, rng.nextBoolean() ? "" : "   ");
            case 5 -> lines.set(i, line + "\r");
            case 6 -> lines.set(i, line + "x".repeat(rng.nextInt(5000)));
            default -> {
                return bytes(text.getBytes(StandardCharsets.UTF_8), rng);
            }
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }
}
