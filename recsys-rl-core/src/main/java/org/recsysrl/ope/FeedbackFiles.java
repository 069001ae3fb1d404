package org.recsysrl.ope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.recsysrl.util.InputFiles;
import org.recsysrl.util.UserInputException;

/** Opens logged-feedback files in either format, and item catalogs. */
public final class FeedbackFiles {
    /** The formats {@link #read} understands. */
    public enum Format { JSONL, CSV }

    private FeedbackFiles() {
    }

    /**
     * Reads a log. {@code settings} holds the {@code ope.csv.*} column settings for CSV (see
     * {@link CsvColumns}); {@code catalog} may be {@code null}.
     */
    public static LoggedFeedback read(Path file, Format format, Map<String, String> settings,
            Collection<String> catalog) throws IOException {
        return switch (format) {
            case JSONL -> FeedbackJsonl.read(file, catalog);
            case CSV -> FeedbackCsv.read(file, CsvColumns.fromSettings(settings), catalog);
        };
    }

    /** The format named by a flag value ({@code jsonl} or {@code csv}), or by the file's extension when {@code null}. */
    public static Format format(String name, Path file) {
        if (name == null) {
            String f = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            return f.endsWith(".csv") ? Format.CSV : Format.JSONL;
        }
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "jsonl", "json" -> Format.JSONL;
            case "csv" -> Format.CSV;
            default -> throw new UserInputException("--format " + name + ": use jsonl or csv");
        };
    }

    /**
     * Reads an item catalog: a CSV with an {@code item_id} column (other columns ignored), or a plain
     * list with one id per line.
     */
    public static List<String> readCatalog(Path file) throws IOException {
        requireRegularFile(file, "catalog");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        int column = -1;
        int first = 0;
        if (!lines.isEmpty()) {
            List<String> header = FeedbackCsv.split(lines.get(0), ',');
            column = header.indexOf("item_id");
            if (column >= 0) {
                first = 1;
            } else if (header.size() > 1) {
                throw new UserInputException("catalog " + file + " has several columns but none named item_id:"
                        + " give a CSV with an item_id column or one id per line");
            }
        }
        for (int i = first; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = FeedbackCsv.split(lines.get(i), ',');
            int c = Math.max(column, 0);
            if (c >= f.size() || f.get(c).isEmpty()) {
                throw new UserInputException("catalog " + file + " line " + (i + 1) + ": no item id");
            }
            ids.add(f.get(c).trim());
        }
        if (ids.isEmpty()) {
            throw new UserInputException("catalog " + file + " lists no items");
        }
        return new ArrayList<>(ids);
    }

    /** Refuses anything but an existing regular file, with one line naming {@code what}. */
    static void requireRegularFile(Path file, String what) {
        switch (InputFiles.kind(file)) {
            case MISSING -> throw new UserInputException(what + " file " + file + " does not exist: check the path");
            case DIRECTORY -> throw new UserInputException(what + " file " + file + " is a directory: give a file");
            case SPECIAL -> throw new UserInputException(what + " file " + file + " is not a regular file");
            default -> {
            }
        }
    }
}
