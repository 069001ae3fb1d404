package org.recsysrl.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.recsysrl.util.UserInputException;

/**
 * What the first two non-blank lines of a log file say about its format, for
 * {@link LogReader#detect} and for checking a forced {@code data.format} against the content. It
 * never guesses: a first line is a header when it has RecBole {@code name:type} fields, names a
 * usual column ({@link LogSpec} aliases, {@code rating}), names the configured user column, or
 * holds text where the second line holds numbers in the same columns.
 */
final class LogHead {
    /** A RecBole atomic-file header field: {@code name:type}. */
    private static final Pattern RECBOLE_FIELD = Pattern.compile("[^:\\s]+:(token|token_seq|float|float_seq)");
    /** The four magic bytes that open (and close) every Parquet file. */
    private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

    final Path file;
    /** The first non-blank line, a UTF-8 byte-order mark removed. */
    final String first;
    /** The second non-blank line, or null. */
    final String second;
    /** ',' , '\t' or ' ' (whitespace-separated): how the first line is split. */
    final char delimiter;
    /** The first line's fields (trimmed, surrounding double quotes removed). */
    final List<String> fields;
    /** True if every field of the first line is RecBole's {@code name:type} (at least two). */
    final boolean recbole;
    /**
     * True if the first line names columns: RecBole fields, a usual column name (two of them when
     * the line is whitespace-separated), or the configured user column.
     */
    final boolean namedHeader;
    /** True if the first line is a header row: {@link #namedHeader}, or text above numbers. */
    final boolean header;
    /** True if the file starts with the Parquet magic bytes. */
    final boolean parquet;

    private LogHead(Path file, String first, String second, boolean parquet, String configuredUserCol) {
        this.file = file;
        this.first = first;
        this.second = second;
        this.parquet = parquet;
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean tabs = first.indexOf('\t') >= 0;
        boolean commas = first.indexOf(',') >= 0;
        this.delimiter = commas && !(tabs && (name.endsWith(".tsv") || name.endsWith(".inter"))) ? ','
                : tabs ? '\t' : ' ';
        this.fields = split(first, delimiter);
        boolean typed = fields.size() >= 2;
        for (String f : fields) {
            typed &= RECBOLE_FIELD.matcher(f).matches();
        }
        this.recbole = typed && delimiter == '\t';
        this.namedHeader = recbole || (delimiter != ' ' && !configuredUserCol.isEmpty())
                || knownNames() >= (delimiter == ' ' ? 2 : 1);
        this.header = namedHeader || (delimiter != ' ' && textAboveNumbers());
    }

    /**
     * Reads the head of {@code file} (at most 64 KiB).
     *
     * @param configuredUserCol {@code data.user_col} ("" if not set): a comma- or tab-separated
     *     first line is then a header
     */
    static LogHead read(Path file, String configuredUserCol) {
        LogHead head = readIfAny(file, configuredUserCol);
        if (head == null) {
            throw new UserInputException(file + " is empty: expected an interaction log");
        }
        return head;
    }

    /** Like {@link #read}, but null for a file of blank lines only. */
    static LogHead readIfAny(Path file, String configuredUserCol) {
        byte[] buf = new byte[1 << 16];
        int n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (n < buf.length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            throw RatingsReader.cannotRead(file, e);
        }
        boolean parquet = n >= 4 && java.util.Arrays.equals(buf, 0, 4, PARQUET_MAGIC, 0, 4);
        if (parquet) {
            return new LogHead(file, "", null, true, "");
        }
        String text = new String(buf, 0, n, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String first = null;
        String second = null;
        String[] lines = text.split("\r?\n");
        for (int k = 0; k < lines.length; k++) {
            if (lines[k].isBlank()) {
                continue;
            }
            // a line cut by the 64 KiB window is not a whole line: it cannot serve as the second
            boolean whole = k < lines.length - 1 || n < buf.length;
            if (first == null) {
                first = lines[k];
            } else if (whole) {
                second = lines[k];
                break;
            } else {
                break;
            }
        }
        if (first == null) {
            return null;
        }
        return new LogHead(file, first, second, false, configuredUserCol);
    }

    /** The first line's fields as one excerpt, e.g. {@code user_id:token, item_id:token}. */
    String excerpt() {
        return RatingsReader.excerpt(String.join(", ", fields));
    }

    /** How many first-line fields are usual column names (user, item, time aliases or {@code rating}). */
    private int knownNames() {
        int known = 0;
        for (String f : fields) {
            if (f.equalsIgnoreCase("rating") || is(f, LogSpec.USER_ALIASES) || is(f, LogSpec.ITEM_ALIASES) || is(f, LogSpec.TIME_ALIASES)) {
                known++;
            }
        }
        return known;
    }

    private static boolean is(String field, String[] aliases) {
        for (String a : aliases) {
            if (field.equalsIgnoreCase(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if the second line splits into as many fields as the first, and some column holds text
     * in the first line and a number in the second: the first line names the columns.
     */
    private boolean textAboveNumbers() {
        if (second == null || fields.size() < 2) {
            return false;
        }
        List<String> next = split(second, delimiter);
        if (next.size() != fields.size()) {
            return false;
        }
        for (int c = 0; c < fields.size(); c++) {
            if (!numeric(fields.get(c)) && numeric(next.get(c))) {
                return true;
            }
        }
        return false;
    }

    /** True if every field of the first line is a number. */
    boolean allNumeric() {
        for (String f : fields) {
            if (!numeric(f)) {
                return false;
            }
        }
        return true;
    }

    /** True if {@code s} is a decimal number (optionally signed, with a fraction or exponent). */
    static boolean numeric(String s) {
        if (s.isEmpty()) {
            return false;
        }
        try {
            Double.parseDouble(s);
            char last = s.charAt(s.length() - 1);
            return Character.isDigit(last) || last == '.'; // not "NaN", "Infinity", "1d", "2f"
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Splits a line at {@code delim} (' ' = any run of spaces and tabs), trimming fields and quotes. */
    static List<String> split(String line, char delim) {
        List<String> out = new ArrayList<>();
        String[] parts = delim == ' ' ? line.trim().split("[ \\t]+") : line.split(Pattern.quote(String.valueOf(delim)), -1);
        for (String p : parts) {
            String t = p.trim();
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                t = t.substring(1, t.length() - 1);
            }
            out.add(t);
        }
        return out;
    }
}
