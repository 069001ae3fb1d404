package org.recsysrl.data;

import java.nio.file.Files;
import java.nio.file.Path;
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
 *   <li>RecBole atomic files ({@code .inter}): tab-separated with a {@code name:type} header such as
 *       {@code user_id:token<TAB>item_id:token<TAB>rating:float<TAB>timestamp:float}.
 *   <li>Sequences, one user per line ({@link SequenceLogReader}).
 * </ul>
 *
 * <p>{@link LogSpec.Format#AUTO} looks at the path: a folder holding a MovieLens ratings file, or a
 * file with such a name, is MovieLens; otherwise the first lines decide, and never by a guess —
 * RecBole {@code name:type} fields make a RecBole file; a header row (a usual column name such as
 * {@code user_id}, {@code data.user_col} when set, or text above numbers in the second line) makes a
 * CSV or TSV log by its separator; comma-separated numbers make a headerless
 * {@code user,item,rating[,timestamp]} file (read as ratings); whitespace-separated tokens make a
 * sequence file; rows that could be either tab-separated ratings or sequences, a header separated by
 * spaces are refused in one line naming the fix. A file that starts with Parquet's magic bytes is
 * Parquet, read by the optional module {@code recsys-rl-parquet} ({@link LogFormatReader}) or refused
 * in one line naming it. A forced format that the first lines contradict is refused too
 * ({@link #checkForced}).
 */
public final class LogReader {
    private LogReader() {
    }

    /** Reads {@code path} as {@code spec} says, filters included. */
    public static InteractionLog read(Path path, LogSpec spec) {
        LogSpec.Format format = spec.format() == LogSpec.Format.AUTO ? detect(path, spec) : spec.format();
        InteractionLog log = switch (format) {
            case MOVIELENS -> fromRatings(RatingsReader.load(path), spec.minValue());
            case CSV -> CsvLogReader.read(forced(path, spec), spec, false);
            case TSV -> CsvLogReader.read(forced(path, spec), spec, true);
            case RECBOLE -> CsvLogReader.readRecBole(forced(path, spec), spec);
            case SEQUENCES -> SequenceLogReader.read(forced(path, spec));
            case PARQUET -> LogFormatReaders.read(format.id(), forced(path, spec), spec);
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
        LogHead head = LogHead.read(regularFile(path, spec), spec.userCol());
        if (head.parquet) {
            return LogSpec.Format.PARQUET; // read by recsys-rl-parquet, or refused naming it
        }
        if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".parquet")) {
            throw new UserInputException(path + " is named .parquet but does not start with Parquet's magic bytes"
                    + " PAR1 (its first line: \"" + RatingsReader.excerpt(head.first) + "\"): it is damaged or not a"
                    + " Parquet file; pass the right file, or rename it if it is a text log");
        }
        if (head.recbole) {
            return LogSpec.Format.RECBOLE;
        }
        if (head.header) {
            if (head.delimiter == ' ') {
                throw new UserInputException(path + " starts with a header row separated by spaces (" + head.excerpt()
                        + "): a log with a header must be comma- or tab-separated; rewrite it as CSV or TSV, or "
                        + "remove the header if it is a sequence file");
            }
            return head.delimiter == ',' ? LogSpec.Format.CSV : LogSpec.Format.TSV;
        }
        if (head.delimiter == ',') {
            return LogSpec.Format.MOVIELENS; // headerless user,item,rating[,timestamp]
        }
        if (head.delimiter == '\t' && head.allNumeric() && head.fields.size() >= 3 && head.fields.size() <= 4
                && head.second != null && LogHead.split(head.second, '\t').size() == head.fields.size()) {
            throw new UserInputException(path + " could be headerless tab-separated ratings (user item rating "
                    + "[timestamp]) or sequences: add a header row (user_id, item_id, ...) for a log, or set "
                    + "data.format=sequences (--format sequences)");
        }
        return LogSpec.Format.SEQUENCES;
    }

    /**
     * Refuses a forced format that the file's first lines contradict: sequences over a header row,
     * CSV or TSV without their separator or without a header, RecBole without {@code name:type}
     * fields, Parquet over a file without its magic bytes, and any other format over a Parquet file.
     */
    static void checkForced(Path file, LogSpec spec) {
        LogSpec.Format format = spec.format();
        LogHead head = LogHead.readIfAny(file, spec.userCol());
        if (head == null) {
            if (format == LogSpec.Format.PARQUET) {
                throw new UserInputException("data.format=parquet (--format parquet) contradicts " + file + ": it is"
                        + " blank, and a Parquet file starts with the bytes PAR1; use --format auto");
            }
            return; // blank: the reader says it holds no interactions
        }
        String forced = "data.format=" + format.id() + " (--format " + format.id() + ") contradicts " + file + ": ";
        if (head.parquet != (format == LogSpec.Format.PARQUET)) {
            throw new UserInputException(forced + (head.parquet ? "it is a Parquet file (it starts with PAR1)"
                    : "a Parquet file starts with the bytes PAR1, this one with \"" + RatingsReader.excerpt(head.first)
                    + "\"") + "; use --format auto");
        }
        String fix = "; use --format auto";
        switch (format) {
            case SEQUENCES -> {
                if (head.namedHeader) {
                    throw new UserInputException(forced + "its first line is a header row (" + head.excerpt()
                            + "), so it is " + (head.recbole ? "a RecBole atomic file" : "a CSV/TSV log") + fix);
                }
            }
            case CSV, TSV -> {
                char sep = format == LogSpec.Format.CSV ? ',' : '\t';
                if (head.first.indexOf(sep) < 0) {
                    throw new UserInputException(forced + "its first line has no " + (sep == ',' ? "comma" : "tab")
                            + " (\"" + RatingsReader.excerpt(head.first) + "\")" + fix);
                }
                if (head.recbole) {
                    throw new UserInputException(forced + "its header (" + head.excerpt() + ") is a RecBole atomic "
                            + "file's; use --format recbole or auto");
                }
                if (head.delimiter == sep && head.allNumeric()) {
                    throw new UserInputException(forced + "it has no header row naming the columns (first line \""
                            + RatingsReader.excerpt(head.first) + "\"); add one, or use --format auto");
                }
            }
            case RECBOLE -> {
                if (!head.recbole) {
                    throw new UserInputException(forced + "a RecBole atomic file starts with tab-separated name:type "
                            + "fields (user_id:token<TAB>item_id:token...), this one with \""
                            + RatingsReader.excerpt(head.first) + "\"" + fix);
                }
            }
            default -> {
                // MOVIELENS: the ratings reader checks its own layout; PARQUET: checked above
            }
        }
    }

    /** The file to read, checked against a forced format ({@link #checkForced}) when one was set. */
    private static Path forced(Path path, LogSpec spec) {
        Path file = regularFile(path, spec);
        if (spec.format() != LogSpec.Format.AUTO) {
            checkForced(file, spec);
        }
        return file;
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
