package org.recsysrl.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.recsysrl.util.UserInputException;

/**
 * Streams a CSV or TSV interaction log with a header row into an {@link InteractionLog}. Columns are
 * found by header name ({@link LogSpec}), in any order; extra columns are ignored. Fields may be
 * enclosed in double quotes (a quoted field may hold the delimiter; {@code ""} inside it stands
 * for one quote) and padded with spaces. Blank lines are skipped; CRLF and a UTF-8 byte-order mark
 * are accepted. Each line is parsed from the raw bytes with no object per line; every malformed line
 * stops the read with a {@link UserInputException} naming the file and the line number.
 */
final class CsvLogReader {
    private static final int MAX_FIELDS = 256;
    /** Interactions read before the columns are sized from the interactions per byte so far. */
    private static final long ESTIMATE_AFTER = 4096;

    private CsvLogReader() {
    }

    static InteractionLog read(Path file, LogSpec spec, boolean tabs) {
        return read(file, spec, tabs, false);
    }

    /**
     * Reads a RecBole atomic file: tab-separated, each header field {@code name:type} with type
     * {@code token}, {@code token_seq}, {@code float} or {@code float_seq}. Columns are found by
     * {@code name} as in a TSV log; the user and item columns must be {@code token} (or
     * {@code float}) fields; a {@code float} time column may hold fractions, which are dropped
     * (whole seconds keep their order; ties keep the file order).
     */
    static InteractionLog readRecBole(Path file, LogSpec spec) {
        return read(file, spec, true, true);
    }

    private static InteractionLog read(Path file, LogSpec spec, boolean tabs, boolean recbole) {
        long size = DataFiles.regularFileSize(file);
        MessageDigest digest = RatingDataset.Builder.sha256();
        Parser parser = null;
        boolean sized = false;
        long bytes;
        try (InputStream in = Files.newInputStream(file); LineReader lines = new LineReader(in, digest, file)) {
            while (lines.next()) {
                if (lines.blank()) {
                    continue;
                }
                if (parser == null) {
                    parser = Parser.fromHeader(file, spec, tabs ? (byte) '\t' : (byte) ',', lines, recbole);
                    continue;
                }
                parser.parse(lines);
                if (!sized && parser.builder.size() == ESTIMATE_AFTER) {
                    // the interactions per byte so far give the file's count: size the columns for it once
                    // (measured on kept interactions, so blank or dropped lines never inflate the estimate)
                    sized = true;
                    double perByte = (double) parser.builder.size() / lines.position();
                    parser.builder.resize((int) Math.min(Integer.MAX_VALUE - 8, size * perByte * 1.02 + 64));
                }
            }
            bytes = lines.bytesRead();
        } catch (IOException e) {
            throw RatingsReader.cannotRead(file, e);
        }
        if (parser == null || parser.builder.size() == 0) {
            throw new UserInputException(file + " holds no interactions" + (parser == null ? " (not even a header)" : "")
                    + ": expected a header row naming the user and item columns, then one interaction per line");
        }
        String hex = HexFormat.of().formatHex(digest.digest());
        Layout layout = recbole ? Layout.LOG_RECBOLE : tabs ? Layout.LOG_TSV : Layout.LOG_CSV;
        return parser.builder.build(null, layout, file.toString(), hex, bytes);
    }

    /** The column of {@code wanted} in {@code header} (ignoring case), or -1. */
    static int column(List<String> header, String wanted) {
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).equalsIgnoreCase(wanted)) {
                return c;
            }
        }
        return -1;
    }

    /**
     * Finds a column: the configured name if one is set (an error naming the setting if the header
     * lacks it), else the first alias present, else -1 (or an error if the column is required).
     */
    static int resolve(Path file, List<String> header, String configured, String[] aliases, String key,
            boolean required) {
        if (!configured.isEmpty()) {
            int c = column(header, configured);
            if (c < 0) {
                throw new UserInputException(key + "=" + configured + ": " + file + " has no such column (its header: "
                        + String.join(", ", header) + "); set " + key + " to one of them");
            }
            return c;
        }
        if (aliases != null) {
            for (String a : aliases) {
                int c = column(header, a);
                if (c >= 0) {
                    return c;
                }
            }
        }
        if (required) {
            throw new UserInputException("cannot tell which column of " + file + " holds the " + key.substring(5, key.length() - 4)
                    + " (its header: " + String.join(", ", header) + "); set " + key + " to one of them");
        }
        return -1;
    }

    /** Parses the lines after the header; holds the per-file state. */
    private static final class Parser {
        final Path file;
        final byte delim;
        final int fieldCount;
        final int userCol;
        final int itemCol;
        final int timeCol;
        final int eventCol;
        final int valueCol;
        final double minValue;
        final byte[][] eventNames;
        final float[] eventWeights;
        final List<String> header;
        /** True if the time column holds decimal numbers (a RecBole {@code float} field). */
        final boolean decimalTime;
        final LogBuilder builder;
        final TimeParser times = TimeParser.create();
        TimeParser.Kind timeKind;
        long timeKindLine;
        final int[] fs = new int[MAX_FIELDS];
        final int[] fe = new int[MAX_FIELDS];

        private Parser(Path file, byte delim, List<String> header, int userCol, int itemCol, int timeCol, int eventCol,
                int valueCol, LogSpec spec, boolean decimalTime) {
            this.file = file;
            this.decimalTime = decimalTime;
            this.delim = delim;
            this.header = header;
            this.fieldCount = header.size();
            this.userCol = userCol;
            this.itemCol = itemCol;
            this.timeCol = timeCol;
            this.eventCol = eventCol;
            this.valueCol = valueCol;
            this.minValue = spec.minValue();
            Map<String, Float> w = spec.eventWeights();
            this.eventNames = new byte[w.size()][];
            this.eventWeights = new float[w.size()];
            int k = 0;
            for (Map.Entry<String, Float> e : w.entrySet()) {
                eventNames[k] = e.getKey().getBytes(StandardCharsets.UTF_8);
                eventWeights[k] = e.getValue();
                k++;
            }
            // room for the lines read before the columns are sized from the average line length
            this.builder = new LogBuilder(timeCol >= 0, eventCol >= 0 || valueCol >= 0, (int) (2 * ESTIMATE_AFTER));
        }

        static Parser fromHeader(Path file, LogSpec spec, byte delim, LineReader lines, boolean recbole) {
            int[] fs = new int[MAX_FIELDS];
            int[] fe = new int[MAX_FIELDS];
            int n = split(lines.buffer(), lines.start(), lines.end(), delim, fs, fe);
            if (n > MAX_FIELDS) {
                throw new UserInputException(file + " line " + lines.lineNumber() + ": the header has " + n
                        + " columns; at most " + MAX_FIELDS + " are supported");
            }
            List<String> header = new ArrayList<>(n);
            List<String> types = new ArrayList<>(n);
            for (int c = 0; c < n; c++) {
                String name = text(lines.buffer(), fs[c], fe[c], lines.start());
                int colon = recbole ? name.lastIndexOf(':') : -1;
                if (recbole && colon <= 0) {
                    throw new UserInputException(file + " line " + lines.lineNumber() + ": RecBole header field \""
                            + RatingsReader.excerpt(name) + "\" is not name:type (e.g. user_id:token): fix the header "
                            + "or use --format tsv");
                }
                header.add(recbole ? name.substring(0, colon) : name);
                types.add(recbole ? name.substring(colon + 1) : "");
            }
            if (n < 2) {
                throw new UserInputException(file + " line " + lines.lineNumber() + ": expected a header row with at least "
                        + "a user and an item column separated by " + (delim == '\t' ? "tabs" : "commas") + ", got \""
                        + RatingsReader.excerpt(lines.text()) + "\""
                        + (delim == ',' && lines.text().indexOf('\t') >= 0 ? " (the file looks tab-separated: set data.format=tsv)" : ""));
            }
            int u = resolve(file, header, spec.userCol(), LogSpec.USER_ALIASES, "data.user_col", true);
            int i = resolve(file, header, spec.itemCol(), LogSpec.ITEM_ALIASES, "data.item_col", true);
            int t = resolve(file, header, spec.timeCol(), LogSpec.TIME_ALIASES, "data.time_col", false);
            int e = resolve(file, header, spec.eventCol(), null, "data.event_col", false);
            int v = resolve(file, header, spec.valueCol(), null, "data.value_col", false);
            if (u == i) {
                throw new UserInputException("data.user_col and data.item_col both name column " + header.get(u)
                        + " of " + file + ": set them to different columns");
            }
            for (int c : new int[] {u, i}) {
                if (types.get(c).endsWith("_seq")) {
                    throw new UserInputException(file + ": column " + header.get(c) + " is a RecBole " + types.get(c)
                            + " field, a list; the " + (c == u ? "user" : "item") + " column must hold one id: set "
                            + (c == u ? "data.user_col" : "data.item_col") + " to a token column");
                }
            }
            return new Parser(file, delim, header, u, i, t, e, v, spec, t >= 0 && types.get(t).equals("float"));
        }

        void parse(LineReader lines) {
            byte[] buf = lines.buffer();
            int n = split(buf, lines.start(), lines.end(), delim, fs, fe);
            if (n != fieldCount) {
                if (n < 0) {
                    throw RatingsReader.lineError(file, lines.lineNumber(), "unbalanced double quote ("
                            + RatingsReader.excerpt(lines.text()) + ")");
                }
                throw RatingsReader.lineError(file, lines.lineNumber(), "expected " + fieldCount + " "
                        + (delim == '\t' ? "tab" : "comma") + "-separated fields as in the header ("
                        + String.join(delim == '\t' ? " " : ",", header) + "), got " + n + " ("
                        + RatingsReader.excerpt(lines.text()) + ")");
            }
            if (fe[userCol] == fs[userCol]) {
                throw RatingsReader.lineError(file, lines.lineNumber(), "empty user (column " + header.get(userCol) + ")");
            }
            if (fe[itemCol] == fs[itemCol]) {
                throw RatingsReader.lineError(file, lines.lineNumber(), "empty item (column " + header.get(itemCol) + ")");
            }
            long time = timeCol >= 0 ? time(buf, lines) : 0;
            float weight = eventCol >= 0 && eventNames.length > 0 ? eventWeight(buf, lines) : 1f;
            if (valueCol >= 0) {
                double v = RatingsReader.parseRating(buf, fs[valueCol], fe[valueCol]);
                if (!Double.isFinite(v) || Math.abs(v) > 1e30) {
                    throw RatingsReader.lineError(file, lines.lineNumber(), "value \"" + field(buf, valueCol)
                            + "\" (column " + header.get(valueCol) + ") is not a finite number");
                }
                if (v < minValue) {
                    return;
                }
                if (v < 0) {
                    throw RatingsReader.lineError(file, lines.lineNumber(), "value " + field(buf, valueCol)
                            + " would give a negative weight; set data.min_rating to drop such lines");
                }
                weight *= (float) v;
                if (!Float.isFinite(weight)) {
                    throw RatingsReader.lineError(file, lines.lineNumber(), "value " + field(buf, valueCol)
                            + " times the event's weight is too large to hold");
                }
            }
            if (weight == 0f) {
                return;
            }
            int user = intern(builder.userIds, buf, fs[userCol], fe[userCol], lines.start());
            int item = intern(builder.itemIds, buf, fs[itemCol], fe[itemCol], lines.start());
            builder.append(user, item, time, weight);
        }

        /** The line's time: an integer, an ISO-8601 date-time or a RecBole float, one kind per file. */
        private long time(byte[] buf, LineReader lines) {
            long time = decimalTime ? decimalSeconds(buf, fs[timeCol], fe[timeCol]) : times.parse(buf, fs[timeCol], fe[timeCol]);
            if (time == TimeParser.MALFORMED && decimalTime) {
                throw RatingsReader.lineError(file, lines.lineNumber(), "time \"" + field(buf, timeCol)
                        + "\" (column " + header.get(timeCol) + ", a RecBole float) is not a finite number");
            }
            if (time == TimeParser.MALFORMED) {
                throw RatingsReader.lineError(file, lines.lineNumber(), "time \"" + field(buf, timeCol)
                        + "\" (column " + header.get(timeCol) + ") is neither an integer nor an ISO-8601 date-time "
                        + "like 2019-10-01 or 2019-10-01T08:30:00Z");
            }
            if (decimalTime) {
                // one kind by construction
            } else if (timeKind == null) {
                timeKind = times.lastKind();
                timeKindLine = lines.lineNumber();
            } else if (timeKind != times.lastKind()) {
                throw RatingsReader.lineError(file, lines.lineNumber(), "time \"" + field(buf, timeCol) + "\" is "
                        + (timeKind == TimeParser.Kind.INTEGER ? "a date but line " + timeKindLine + " has an integer time"
                                : "an integer but line " + timeKindLine + " has a date")
                        + "; one file must use one kind of time");
            }
            return time;
        }

        /** The weight of the line's event ({@code data.event_weights}). */
        private float eventWeight(byte[] buf, LineReader lines) {
            int e;
            if (escaped(buf, fs[eventCol], fe[eventCol], lines.start())) {
                byte[] name = text(buf, fs[eventCol], fe[eventCol], lines.start()).getBytes(StandardCharsets.UTF_8);
                e = eventIndex(name, 0, name.length);
            } else {
                e = eventIndex(buf, fs[eventCol], fe[eventCol]);
            }
            if (e < 0) {
                throw RatingsReader.lineError(file, lines.lineNumber(), "event \"" + field(buf, eventCol)
                        + "\" has no weight in data.event_weights (add it, with weight 0 to drop such lines)");
            }
            return eventWeights[e];
        }

        /** A decimal time with its fraction dropped (floor), or {@link TimeParser#MALFORMED}. */
        private static long decimalSeconds(byte[] b, int from, int to) {
            double v = RatingsReader.parseRating(b, from, to);
            if (!Double.isFinite(v) || Math.abs(v) > 9e15) {
                return TimeParser.MALFORMED;
            }
            return (long) Math.floor(v);
        }

        private static int intern(IdMap.Builder ids, byte[] b, int from, int to, int lineStart) {
            return escaped(b, from, to, lineStart) ? ids.intern(text(b, from, to, lineStart)) : ids.intern(b, from, to);
        }

        private int eventIndex(byte[] b, int from, int to) {
            int len = to - from;
            for (int k = 0; k < eventNames.length; k++) {
                byte[] name = eventNames[k];
                if (name.length == len && java.util.Arrays.equals(name, 0, len, b, from, to)) {
                    return k;
                }
            }
            return -1;
        }

        private String field(byte[] b, int c) {
            return RatingsReader.excerpt(new String(b, fs[c], fe[c] - fs[c], StandardCharsets.UTF_8));
        }
    }

    /**
     * True if the field {@code b[from, to)} (bounds from {@link #split}) was enclosed in double quotes
     * and holds an escaped quote: inside a quoted field every quote is one half of a {@code ""} pair.
     */
    static boolean escaped(byte[] b, int from, int to, int lineStart) {
        if (from == lineStart || b[from - 1] != '"') {
            return false; // an unquoted field starts the line or follows a delimiter or a space
        }
        for (int k = from; k < to; k++) {
            if (b[k] == '"') {
                return true;
            }
        }
        return false;
    }

    /** The text of the field {@code b[from, to)}, each {@code ""} of a quoted field read as one quote. */
    static String text(byte[] b, int from, int to, int lineStart) {
        String s = new String(b, from, to - from, StandardCharsets.UTF_8);
        return escaped(b, from, to, lineStart) ? s.replace("\"\"", "\"") : s;
    }

    /**
     * Splits {@code b[from, to)} at {@code delim} into trimmed field bounds (at most the arrays'
     * length are written) and returns the number of fields, or -1 if a quote is not closed. A field
     * that starts with a double quote runs to the matching closing quote ({@code ""} is an escaped
     * quote) and its bounds exclude the quotes.
     */
    static int split(byte[] b, int from, int to, byte delim, int[] fs, int[] fe) {
        int n = 0;
        int i = from;
        while (true) {
            while (i < to && (b[i] == ' ' || (b[i] == '\t' && delim != '\t'))) {
                i++;
            }
            int s;
            int e;
            if (i < to && b[i] == '"') {
                s = ++i;
                while (true) {
                    if (i >= to) {
                        return -1;
                    }
                    if (b[i] == '"') {
                        if (i + 1 < to && b[i + 1] == '"') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i++;
                }
                e = i++;
                while (i < to && b[i] != delim) {
                    i++;
                }
            } else {
                s = i;
                while (i < to && b[i] != delim) {
                    i++;
                }
                e = i;
                while (e > s && (b[e - 1] == ' ' || (b[e - 1] == '\t' && delim != '\t'))) {
                    e--;
                }
            }
            if (n < fs.length) {
                fs[n] = s;
                fe[n] = e;
            }
            n++;
            if (i >= to) {
                return n;
            }
            i++; // the delimiter
        }
    }
}
