package org.recsysrl.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.recsysrl.util.InputFiles;
import org.recsysrl.util.UserInputException;

/**
 * Reads an interaction log of any supported shape ({@link LogSpec.Format}) and applies the spec's
 * filters ({@link LogFilters}): the entry point for implicit-feedback data.
 *
 * <ul>
 *   <li>MovieLens 100k / 1M / latest (a folder or its ratings file): every rating is an
 *       interaction with the rating as its weight; ratings below {@link LogSpec#minValue()} are
 *       dropped; titles and genres come along.
 *   <li>CSV / TSV with a header: columns by name ({@link CsvLogReader}).
 *   <li>Sequences, one user per line ({@link SequenceLogReader}).
 * </ul>
 *
 * <p>{@link LogSpec.Format#AUTO} looks at the path: a folder holding a MovieLens ratings file, or a
 * file with such a name, is MovieLens; otherwise the first line decides — a header naming a usual
 * user column such as {@code user_id} (or, when {@code data.user_col} is set, any comma- or
 * tab-separated first line) makes a CSV or TSV log (by its separator), comma-separated numbers
 * make a headerless {@code user,item,rating[,timestamp]}
 * file (read as ratings), and whitespace-separated tokens make a sequence file.
 */
public final class LogReader {
    private LogReader() {
    }

    /** Reads {@code path} as {@code spec} says, filters included. */
    public static InteractionLog read(Path path, LogSpec spec) {
        LogSpec.Format format = spec.format() == LogSpec.Format.AUTO ? detect(path, spec) : spec.format();
        InteractionLog log = switch (format) {
            case MOVIELENS -> fromRatings(RatingsReader.load(path), spec.minValue());
            case CSV -> CsvLogReader.read(regularFile(path, spec), spec, false);
            case TSV -> CsvLogReader.read(regularFile(path, spec), spec, true);
            case SEQUENCES -> SequenceLogReader.read(regularFile(path, spec));
            case AUTO -> throw new IllegalStateException("detect gives a concrete format");
        };
        InteractionLog filtered = LogFilters.apply(log, spec);
        if (filtered.size() == 0) {
            throw new UserInputException("no interactions of " + path + " are left after filtering (" + spec.describe()
                    + "; " + log.size() + " read): lower data.user_core / data.item_core");
        }
        return filtered;
    }

    /** The format {@link LogSpec.Format#AUTO} resolves to for {@code path}. */
    public static LogSpec.Format detect(Path path, LogSpec spec) {
        if (Files.isDirectory(path)) {
            DataSource source = DataSource.detect(path); // MovieLens, or the folder's single CSV file
            if (source.layout() != Layout.GENERIC_CSV) {
                return LogSpec.Format.MOVIELENS;
            }
            path = source.ratingsFile();
        }
        switch (InputFiles.kind(path)) {
            case MISSING -> throw new UserInputException("data path " + path + " does not exist: pass an interaction "
                    + "log (CSV/TSV with a header, or one \"user item item ...\" sequence per line) or a MovieLens folder");
            case SPECIAL -> throw DataFiles.special(path);
            default -> {
                // a file (or unreadable attributes: reading it says why)
            }
        }
        String name = path.getFileName().toString();
        for (Layout l : Layout.values()) {
            if (name.equals(l.ratingsFile())) {
                return LogSpec.Format.MOVIELENS;
            }
        }
        String first = firstLine(regularFile(path, spec));
        boolean tabs = first.indexOf('\t') >= 0;
        boolean commas = first.indexOf(',') >= 0;
        List<String> fields = new ArrayList<>();
        if (commas || tabs) {
            for (String f : first.split(commas && !(tabs && name.toLowerCase(Locale.ROOT).endsWith(".tsv")) ? "," : "\t", -1)) {
                String t = f.trim();
                if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                    t = t.substring(1, t.length() - 1);
                }
                fields.add(t);
            }
        }
        // a configured user column means a log with a header; if the header lacks it, the CSV reader says so
        boolean header = !fields.isEmpty() && (!spec.userCol().isEmpty() || anyAlias(fields));
        if (header) {
            return commas && !(tabs && name.toLowerCase(Locale.ROOT).endsWith(".tsv")) ? LogSpec.Format.CSV
                    : LogSpec.Format.TSV;
        }
        if (commas) {
            return LogSpec.Format.MOVIELENS; // headerless user,item,rating[,timestamp]
        }
        return LogSpec.Format.SEQUENCES;
    }

    private static boolean anyAlias(List<String> header) {
        for (String a : LogSpec.USER_ALIASES) {
            if (CsvLogReader.column(header, a) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static Path regularFile(Path path, LogSpec spec) {
        if (Files.isDirectory(path)) {
            if (spec.format() == LogSpec.Format.AUTO) {
                return DataSource.detect(path).ratingsFile();
            }
            throw new UserInputException("data path " + path + " is a folder: with data.format=" + spec.format().id()
                    + " pass the log file itself");
        }
        DataFiles.requireRegularFile(path);
        return path;
    }

    /** The first non-blank line of {@code file} (at most 64 KiB of it), for format detection. */
    private static String firstLine(Path file) {
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
        String text = new String(buf, 0, n, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        for (String line : text.split("\r?\n")) {
            if (!line.isBlank()) {
                return line;
            }
        }
        throw new UserInputException(file + " is empty: expected an interaction log");
    }

    /**
     * The ratings as an interaction log: each user's ratings by timestamp (ties in file order),
     * weight = rating, ratings below {@code minRating} dropped (with users and items left without
     * any), titles and genres kept.
     */
    public static InteractionLog fromRatings(RatingDataset data, double minRating) {
        int[] offsets = Split.chronologicalOrderOffsets(data);
        int[] order = Split.chronologicalOrder(data, offsets);
        int n = order.length;
        int[] items = new int[n];
        long[] times = data.hasTimestamps() ? new long[n] : null;
        float[] weights = new float[n];
        boolean[] drop = new boolean[n];
        boolean any = false;
        for (int p = 0; p < n; p++) {
            int k = order[p];
            items[p] = data.item(k);
            if (times != null) {
                times[p] = data.timestamp(k);
            }
            weights[p] = data.rating(k);
            if (weights[p] < minRating) {
                drop[p] = true;
                any = true;
            }
        }
        InteractionLog log = new InteractionLog(offsets, items, times, weights, data.userIds(), data.itemIds(),
                data.itemMetadata(), data.identity());
        if (any) {
            log = LogFilters.compact(log, drop);
            if (log.size() == 0) {
                throw new UserInputException("data.min_rating=" + minRating + " drops every rating of "
                        + data.identity().path() + " (its ratings run from " + data.minRating() + " to "
                        + data.maxRating() + "): lower it");
            }
        }
        return log;
    }
}
