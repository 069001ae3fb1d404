package org.recsysrl.serve;

import org.recsysrl.api.ModelInfo;

/** The few JSON writing helpers the server needs (responses are built as text, without a tree). */
final class Json {
    private Json() {
    }

    /** {@code {"error": message}} on one line. */
    static String error(String message) {
        StringBuilder sb = new StringBuilder("{\"error\":");
        quote(sb, message);
        return sb.append('}').toString();
    }

    /** The model's identity as a JSON object. */
    static String model(ModelInfo info) {
        StringBuilder sb = new StringBuilder(160);
        model(sb, info);
        return sb.toString();
    }

    static void model(StringBuilder sb, ModelInfo info) {
        sb.append("{\"kind\":");
        quote(sb, info.kind());
        sb.append(",\"algorithm\":");
        quote(sb, info.algorithm());
        sb.append(",\"steps\":").append(info.steps()).append(",\"sha256\":\"").append(info.sha256()).append("\"}");
    }

    /** Appends {@code s} as a JSON string literal. */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** One line of at most 80 characters, for quoting user input in an error. */
    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 80 ? one.substring(0, 80) + "…" : one;
    }
}
