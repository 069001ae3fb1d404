package org.recsysrl.util;

/** Text taken from an input, made fit for a one-line message. */
public final class MessageText {
    private MessageText() {
    }

    /**
     * {@code value} with control characters (line breaks included) shown as '?' and cut to
     * {@code max} characters (then "..."); "null" for null.
     */
    public static String quote(String value, int max) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max + 4));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return value.length() > max ? out + "..." : out.toString();
    }
}
