package org.recsysrl.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.recsysrl.util.UserInputException;

/**
 * Reads interaction logs into a {@link RatingDataset}: the MovieLens layouts (100k, 1M,
 * latest / latest-small / 20M / 25M) and generic {@code user,item,rating[,timestamp]} CSV, see
 * {@link Layout} and {@link DataSource#detect(Path)}.
 *
 * <p>The ratings file is streamed once: each line is split and parsed from the raw bytes into
 * growing primitive arrays (no object per line), ids are remapped to dense indices as they first
 * appear, and the SHA-256 of the file's bytes is computed in the same pass. Then the item metadata
 * file, if there is one, is read for the titles and genres of the rated items (items it describes
 * that nobody rated are skipped). Blank lines are skipped; CRLF line ends and a UTF-8 byte-order
 * mark are accepted; in CSV files, a first line whose rating and timestamp fields are not numbers
 * is taken as a header. Fields may be padded with spaces and, in CSV, enclosed in double quotes.
 * Memory: about 20 bytes per rating once read (25M ratings load in a 1 GB heap).
 *
 * <p>A rating must be a finite number within ±{@value #MAX_ABS_RATING}, and a line at most
 * {@value LineReader#MAX_LINE_BYTES} bytes long; the file must be a regular file (a device or a
 * pipe is refused before it is opened).
 *
 * <p>Every malformed line is a {@link UserInputException} with a one-line message naming the file,
 * the line number, what was expected and what was found, e.g. {@code data/ratings.csv line 17:
 * expected 4 comma-separated fields userId,movieId,rating,timestamp, got 3 (1,163,5.0): fix or
 * remove the line}.
 */
public final class RatingsReader {
    private static final int MAX_FIELDS = 8;
    private static final int EXCERPT = 60;
    /** Ratings read before the arrays are sized from the ratings per byte so far. */
    private static final long ESTIMATE_AFTER = 4096;
    /**
     * Largest rating magnitude accepted: every rating scale in use (1–5 stars, 0–10, 0–100) lies
     * well within it, and anything beyond is a typo or a corrupted line that would dominate the
     * factorisation and the reward scale.
     */
    public static final double MAX_ABS_RATING = 1e4;

    private RatingsReader() {}

    /** Detects the layout of {@code path} ({@link DataSource#detect}) and reads it. */
    public static RatingDataset load(Path path) {
        return read(DataSource.detect(path));
    }

    /**
     * Checks that {@code data} can be turned into rewards: at least 2 users, at least 2 items, and
     * at least two different rating values (the rewards are the ratings scaled by the data's
     * minimum and maximum, so all-equal ratings leave no scale). {@link MovieLensSessions#world}
     * checks it; callers may check it earlier, before fitting a factorisation.
     *
     * @return {@code data}
     * @throws UserInputException naming the data's path, the statistic and the fix
     */
    public static RatingDataset requireRatingScale(RatingDataset data) {
        String path = data.identity().path();
        if (data.userCount() < 2 || data.itemCount() < 2) {
            throw new UserInputException(path + " has ratings by " + data.userCount() + " user"
                    + (data.userCount() == 1 ? "" : "s") + " of " + data.itemCount() + " item"
                    + (data.itemCount() == 1 ? "" : "s") + ": recommending needs at least 2 users and 2 items;"
                    + " pass a larger data set");
        }
        if (!(data.maxRating() > data.minRating())) {
            throw new UserInputException(path + ": all " + data.size() + " ratings are " + data.minRating()
                    + " (minimum = maximum), so there is no rating scale to turn into rewards: use explicit feedback"
                    + " with at least two different rating values (for implicit feedback, use --env logs)");
        }
        return data;
    }

    /** Reads the ratings and (if present) the item metadata of {@code source}. */
    public static RatingDataset read(DataSource source) {
        if (source.layout() == Layout.IN_MEMORY) {
            throw new IllegalArgumentException("in-memory data has no files to read");
        }
        RatingDataset data = readRatings(source.layout(), source.ratingsFile());
        if (source.itemsFile() != null) {
            data = data.withItemMetadata(MetadataReader.read(source.layout(), source.itemsFile(), data.itemIds()));
        }
        return data;
    }

    /** How one layout's ratings lines look. */
    private record Format(byte[] delimiter, String delimiterName, String[] fieldNames, boolean optionalTimestamp,
            boolean quotes, boolean header) {
        String expected(int fields) {
            String sep = delimiterName.equals("tab") ? " " : new String(delimiter, StandardCharsets.US_ASCII);
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < fields; i++) {
                names.append(i == 0 ? "" : sep).append(fieldNames[i]);
            }
            return fields + " " + delimiterName + "-separated fields " + names;
        }
    }

    private static Format format(Layout layout) {
        return switch (layout) {
            case ML_100K -> new Format(new byte[] {'\t'}, "tab",
                    new String[] {"user_id", "item_id", "rating", "timestamp"}, false, false, false);
            case ML_1M -> new Format(new byte[] {':', ':'}, "::",
                    new String[] {"UserID", "MovieID", "Rating", "Timestamp"}, false, false, false);
            case ML_LATEST -> new Format(new byte[] {','}, "comma",
                    new String[] {"userId", "movieId", "rating", "timestamp"}, false, true, true);
            case GENERIC_CSV -> new Format(new byte[] {','}, "comma",
                    new String[] {"user", "item", "rating", "timestamp"}, true, true, true);
            case IN_MEMORY, LOG_CSV, LOG_TSV, LOG_RECBOLE, SEQUENCES, LOG_PARQUET -> throw new IllegalArgumentException(
                    "not a ratings layout: " + layout.id());
        };
    }

    /** Reads only the ratings file of {@code layout} (no metadata). */
    static RatingDataset readRatings(Layout layout, Path file) {
        Format f = format(layout);
        long size = DataFiles.regularFileSize(file);
        MessageDigest digest = RatingDataset.Builder.sha256();
        // Sized from the file length once the first ratings show how many a byte holds (MovieLens
        // lines take 20 to 27 bytes), not before: a file that is not ratings costs only what it holds.
        RatingDataset.Builder b = new RatingDataset.Builder((int) (2 * ESTIMATE_AFTER));
        LineParser parser = new LineParser(f, file, b);
        long bytes;
        try (InputStream in = Files.newInputStream(file); LineReader lines = new LineReader(in, digest, file)) {
            // One call per line, so the JIT compiles the parser as a normal method, not just the loop (OSR).
            boolean sized = false;
            while (lines.next()) {
                parser.parse(lines);
                if (!sized && b.size() == ESTIMATE_AFTER) {
                    // ratings per byte so far (blank lines and headers included) × the file's size
                    sized = true;
                    double perByte = (double) b.size() / lines.position();
                    b.resize((int) Math.min(1L << 27, (long) (size * perByte * 1.02) + 64));
                }
            }
            bytes = lines.bytesRead();
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
        if (b.size() == 0) {
            throw new UserInputException(file + " holds no ratings: expected lines of " + f.expected(4)
                    + "; check that --data points at the right file");
        }
        String hex = HexFormat.of().formatHex(digest.digest());
        return b.build(layout, file.toString(), hex, bytes, parser.fieldCount == 4);
    }

    /** Parses the lines of one ratings file into a builder; holds the per-file state. */
    private static final class LineParser {
        private final Format f;
        private final Path file;
        private final RatingDataset.Builder b;
        private final IdMap.Builder users;
        private final IdMap.Builder items;
        private final int[] fs = new int[MAX_FIELDS];
        private final int[] fe = new int[MAX_FIELDS];
        private boolean firstLine = true;
        int fieldCount = -1; // fixed by the first data line
        private long fieldCountLine;

        LineParser(Format f, Path file, RatingDataset.Builder b) {
            this.f = f;
            this.file = file;
            this.b = b;
            this.users = b.userIds();
            this.items = b.itemIds();
        }

        void parse(LineReader lines) {
            if (lines.blank()) {
                return;
            }
            int[] fs = this.fs;
            int[] fe = this.fe;
            byte[] buf = lines.buffer();
            int n = split(buf, lines.start(), lines.end(), f.delimiter, fs, fe, f.quotes);
            boolean first = firstLine;
            firstLine = false;
            if (first && f.header && isHeader(buf, n, fs, fe)) {
                return;
            }
            if (n != fieldCount) {
                checkFieldCount(lines, n);
            }
            if (fe[0] == fs[0]) {
                throw lineError(file, lines, "empty " + f.fieldNames[0] + " (field 1)");
            }
            if (fe[1] == fs[1]) {
                throw lineError(file, lines, "empty " + f.fieldNames[1] + " (field 2)");
            }
            double parsed = parseRating(buf, fs[2], fe[2]);
            // range-checked as the double it was written as: 1e300 is a number out of range, not a non-finite one
            if (!Double.isFinite(parsed)) {
                throw lineError(file, lines, f.fieldNames[2] + " \"" + field(buf, fs[2], fe[2])
                        + "\" is not a finite number");
            }
            if (Math.abs(parsed) > MAX_ABS_RATING) {
                throw lineError(file, lines, f.fieldNames[2] + " " + field(buf, fs[2], fe[2])
                        + " is outside the plausible range [-" + (long) MAX_ABS_RATING + ", " + (long) MAX_ABS_RATING
                        + "] of a rating");
            }
            float rating = (float) parsed;
            long ts = 0;
            if (n == 4) {
                ts = parseLong(buf, fs[3], fe[3]);
                if (ts == Long.MIN_VALUE) {
                    throw lineError(file, lines, f.fieldNames[3] + " \"" + field(buf, fs[3], fe[3])
                            + "\" is not an integer (seconds since 1970)");
                }
            }
            int u = users.intern(buf, fs[0], fe[0]);
            int i = items.intern(buf, fs[1], fe[1]);
            b.append(u, i, rating, ts);
        }

        /** Fixes the field count on the first data line, or reports a line that differs from it. */
        private void checkFieldCount(LineReader lines, int n) {
            if (fieldCount < 0 && (n == 4 || (n == 3 && f.optionalTimestamp))) {
                fieldCount = n;
                fieldCountLine = lines.lineNumber();
                return;
            }
            String expected;
            if (!f.optionalTimestamp) {
                expected = f.expected(4);
            } else if (fieldCount > 0) {
                expected = f.expected(fieldCount) + " (as on line " + fieldCountLine + ")";
            } else {
                expected = "3 or 4 comma-separated fields user,item,rating[,timestamp]";
            }
            throw lineError(file, lines, "expected " + expected + ", got " + n + " (" + excerpt(lines.text()) + ")");
        }
    }

    /**
     * A CSV header: 3 or 4 fields whose rating field, and timestamp field if any, are not numbers
     * (so a broken first data line such as {@code 1,2,x,100} is reported, not skipped).
     */
    private static boolean isHeader(byte[] buf, int n, int[] fs, int[] fe) {
        return (n == 3 || n == 4) && Double.isNaN(parseRating(buf, fs[2], fe[2]))
                && (n == 3 || parseLong(buf, fs[3], fe[3]) == Long.MIN_VALUE);
    }

    /**
     * Splits {@code b[from, to)} at {@code delim}, writing trimmed field bounds into {@code fs/fe}
     * (at most their length); returns the number of fields (which may exceed the arrays' length).
     */
    static int split(byte[] b, int from, int to, byte[] delim, int[] fs, int[] fe, boolean quotes) {
        int n = 0;
        int fieldStart = from;
        byte d0 = delim[0];
        int dl = delim.length;
        int i = from;
        while (true) {
            boolean atEnd = i >= to;
            boolean atDelim = !atEnd && b[i] == d0 && (dl == 1 || (i + 1 < to && b[i + 1] == delim[1]));
            if (atEnd || atDelim) {
                if (n < fs.length) {
                    int s = fieldStart;
                    int e = i;
                    while (s < e && (b[s] == ' ' || b[s] == '\t')) {
                        s++;
                    }
                    while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                        e--;
                    }
                    if (quotes && e - s >= 2 && b[s] == '"' && b[e - 1] == '"') {
                        s++;
                        e--;
                    }
                    fs[n] = s;
                    fe[n] = e;
                }
                n++;
                if (atEnd) {
                    return n;
                }
                i += dl;
                fieldStart = i;
            } else {
                i++;
            }
        }
    }

    /**
     * Parses a decimal number such as {@code 4}, {@code 3.5} or {@code -1.25}; other forms
     * (exponents, many digits) go through {@link Double#parseDouble}. Returns NaN if it is not a
     * number.
     */
    static double parseRating(byte[] b, int from, int to) {
        int i = from;
        boolean neg = false;
        if (i < to && (b[i] == '-' || b[i] == '+')) {
            neg = b[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < to; i++) {
            int c = b[i];
            if (c >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                break;
            }
        }
        if (i == to && digits > 0 && digits <= 15) {
            double v = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
            return neg ? -v : v;
        }
        if (to == from) {
            return Double.NaN;
        }
        String s = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return Double.NaN; // rules out "NaN", "Infinity", hex floats, suffixes like "5f"
            }
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15, 1e16};

    /** Parses an optionally signed decimal integer of at most 18 digits; Long.MIN_VALUE if malformed. */
    static long parseLong(byte[] b, int from, int to) {
        int i = from;
        boolean neg = false;
        if (i < to && (b[i] == '-' || b[i] == '+')) {
            neg = b[i] == '-';
            i++;
        }
        if (i == to || to - i > 18) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            int c = b[i] - '0';
            if (c < 0 || c > 9) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + c;
        }
        return neg ? -v : v;
    }

    private static String field(byte[] b, int from, int to) {
        return excerpt(new String(b, from, to - from, StandardCharsets.UTF_8));
    }

    /** Text shortened to one line of at most {@value #EXCERPT} characters, control characters shown as '?'. */
    static String excerpt(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), EXCERPT + 1));
        for (int i = 0; i < s.length() && out.length() < EXCERPT; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 && c != '\t' || c == 0x7F ? '?' : c == '\t' ? ' ' : c);
        }
        if (s.length() > EXCERPT) {
            out.append('…');
        }
        return out.toString();
    }

    private static UserInputException lineError(Path file, LineReader lines, String what) {
        return lineError(file, lines.lineNumber(), what);
    }

    /** "{file} line {n}: {what}: fix or remove the line". */
    static UserInputException lineError(Path file, long line, String what) {
        return new UserInputException(file + " line " + line + ": " + what + ": fix or remove the line");
    }

    static UserInputException cannotRead(Path file, IOException e) {
        String reason;
        if (e instanceof NoSuchFileException) {
            reason = "no such file";
        } else if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\s+", " ");
        }
        return new UserInputException("cannot read " + file + " (" + reason + "): check the --data path and its permissions", e);
    }
}
