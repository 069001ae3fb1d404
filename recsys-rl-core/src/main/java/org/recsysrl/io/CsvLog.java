package org.recsysrl.io;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import org.recsysrl.util.UserInputException;

/**
 * Appends numeric rows to a CSV file (UTF-8, {@code \n} line endings). The header is written once;
 * every row is flushed immediately so the file can be watched (or survives a crash).
 *
 * <p>With {@code append = true} and an existing file whose header equals {@code columns}, rows are
 * appended after the existing ones (for resumed runs); a trailing incomplete line left by a crash is
 * dropped first. If the existing header differs, the old file is rotated to {@code name.1} (older
 * rotations move to {@code name.2}, {@code name.3}, ...) and a new file is started. With
 * {@code append = false} the file is overwritten.
 *
 * <p>Values are formatted with {@link Locale#ROOT}: integral values without decimals, others with up
 * to 6 significant digits (e.g. {@code 0.1}, {@code 3.14159}, {@code 1.5e-7}), and {@code NaN},
 * {@code Infinity}, {@code -Infinity}. Methods are thread-safe.
 */
public final class CsvLog implements AutoCloseable {
    private static final String ADVICE = "choose a writable output path";

    private final Path file;
    private final List<String> columns;
    private final Writer writer;
    private TensorBoardWriter mirror;
    private boolean closed;

    /**
     * Opens (or creates) the log; parent directories are created as needed.
     *
     * @throws IllegalArgumentException if {@code columns} is empty
     * @throws UserInputException if the file cannot be created or written (a directory, no permission, ...)
     */
    public CsvLog(Path file, List<String> columns, boolean append) throws IOException {
        this(file, columns, append, Double.POSITIVE_INFINITY);
    }

    /**
     * Opens the log of a resumed run: like {@code new CsvLog(file, columns, true)}, but first drops
     * every row from the first one whose first column exceeds {@code lastKept} (the step the run
     * resumes from), so rows written after the save being resumed are not duplicated.
     */
    public static CsvLog resumedAt(Path file, List<String> columns, double lastKept) throws IOException {
        return new CsvLog(file, columns, true, lastKept);
    }

    private CsvLog(Path file, List<String> columns, boolean append, double lastKept) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        this.columns = List.copyOf(columns);
        if (this.columns.isEmpty()) {
            throw new IllegalArgumentException("a CSV log needs at least one column");
        }
        String header = headerLine(this.columns);
        if (Files.isDirectory(file)) {
            throw new UserInputException(IoMessages.oneLine(
                    "cannot write log " + file + ": it is a directory; pass a file path instead"));
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw IoMessages.cannot("create directory " + dir + " for", file, e, ADVICE);
        }

        boolean writeHeader = true;
        try {
            if (append && Files.isRegularFile(file) && Files.size(file) > 0) {
                if (header.equals(firstLine(file))) {
                    long keep = lastKept == Double.POSITIVE_INFINITY ? endOfLastCompleteLine(file)
                            : endOfRowsUpTo(file, lastKept);
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.truncate(keep);
                    }
                    writeHeader = keep == 0;
                } else {
                    rotate(file);
                }
            }
            StandardOpenOption mode = writeHeader ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
            this.writer = new BufferedWriter(new OutputStreamWriter(
                    Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode),
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw IoMessages.cannot("write log", file, e, ADVICE);
        }
        if (writeHeader) {
            try {
                writer.write(header);
                writer.write('\n');
                writer.flush();
            } catch (IOException e) {
                throw IoMessages.cannot("write log", file, e, "free space on its disk or choose another --log-dir");
            }
        }
    }

    /** The file being written. */
    public Path file() {
        return file;
    }

    /** The column names, in order. */
    public List<String> columns() {
        return columns;
    }

    /**
     * Appends one row and flushes it.
     *
     * @throws IllegalArgumentException if the number of values differs from the number of columns
     * @throws IllegalStateException if the log is closed
     * @throws UserInputException if writing fails (disk full, ...)
     */
    public synchronized void row(double... values) {
        if (closed) {
            throw new IllegalStateException("CSV log " + file + " is closed");
        }
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("CSV log " + file + " has " + columns.size()
                    + " columns but the row has " + values.length + " values");
        }
        StringBuilder line = new StringBuilder(values.length * 10);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(format(values[i]));
        }
        line.append('\n');
        try {
            writer.write(line.toString());
            writer.flush();
        } catch (IOException e) {
            throw IoMessages.cannot("write log", file, e, "free space on its disk or choose another --log-dir");
        }
        if (mirror != null) {
            mirror.scalars((long) values[0], columns.subList(1, columns.size()),
                    java.util.Arrays.copyOfRange(values, 1, values.length));
        }
    }

    /**
     * Also writes every later row to {@code events} as one TensorBoard event: the first column is
     * the step, the other columns are scalars tagged with their names (NaN cells left out). The
     * writer is closed with this log.
     *
     * @return this log
     */
    public synchronized CsvLog mirrorTo(TensorBoardWriter events) {
        this.mirror = Objects.requireNonNull(events, "events");
        return this;
    }

    /** Flushes and closes the file; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (mirror != null) {
            mirror.close();
        }
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close CSV log " + file, e);
        }
    }

    /** Formats one value the way {@link #row} does. */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        String text = String.format(Locale.ROOT, "%.6g", value);
        int e = text.indexOf('e');
        String mantissa = e < 0 ? text : text.substring(0, e);
        if (mantissa.indexOf('.') >= 0) {
            int end = mantissa.length();
            while (mantissa.charAt(end - 1) == '0') {
                end--;
            }
            if (mantissa.charAt(end - 1) == '.') {
                end--;
            }
            mantissa = mantissa.substring(0, end);
        }
        if (e < 0) {
            return mantissa;
        }
        return mantissa + "e" + Integer.parseInt(text.substring(e + 1));
    }

    static String headerLine(List<String> columns) {
        StringJoiner joiner = new StringJoiner(",");
        for (String column : columns) {
            Objects.requireNonNull(column, "column name");
            if (column.indexOf(',') >= 0 || column.indexOf('"') >= 0
                    || column.indexOf('\n') >= 0 || column.indexOf('\r') >= 0) {
                joiner.add('"' + column.replace("\"", "\"\"") + '"');
            } else {
                joiner.add(column);
            }
        }
        return joiner.toString();
    }

    /** The first line without its line ending (or a leading byte-order mark). */
    private static String firstLine(Path file) throws IOException {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            String line = reader.readLine();
            if (line == null) {
                return "";
            }
            return line.startsWith("\uFEFF") ? line.substring(1) : line;
        }
    }

    /** Offset just past the last '\n' in the file, or 0 if there is none. */
    private static long endOfLastCompleteLine(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long position = raf.length();
            byte[] chunk = new byte[8192];
            while (position > 0) {
                int n = (int) Math.min(chunk.length, position);
                position -= n;
                raf.seek(position);
                raf.readFully(chunk, 0, n);
                for (int i = n - 1; i >= 0; i--) {
                    if (chunk[i] == '\n') {
                        return position + i + 1;
                    }
                }
            }
            return 0;
        }
    }

    /**
     * Offset just past the last complete row, counted from the header, before the first row whose
     * first column is above {@code lastKept} or is not a number.
     */
    private static long endOfRowsUpTo(Path file, double lastKept) throws IOException {
        long keep = 0;
        long offset = 0;
        boolean header = true;
        try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);
            int b;
            while ((b = in.read()) >= 0) {
                offset++;
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (!header) {
                    int comma = text.indexOf(',');
                    double first;
                    try {
                        first = Double.parseDouble(comma < 0 ? text : text.substring(0, comma));
                    } catch (NumberFormatException e) {
                        return keep;
                    }
                    if (!(first <= lastKept)) {
                        return keep;
                    }
                }
                header = false;
                keep = offset;
            }
        }
        return keep;
    }

    /** Moves name.k to name.(k+1) for every existing k, then name to name.1. */
    private static void rotate(Path file) throws IOException {
        String name = file.getFileName().toString();
        int highest = 0;
        while (Files.exists(file.resolveSibling(name + "." + (highest + 1)))) {
            highest++;
        }
        for (int k = highest; k >= 1; k--) {
            Files.move(file.resolveSibling(name + "." + k), file.resolveSibling(name + "." + (k + 1)));
        }
        Files.move(file, file.resolveSibling(name + ".1"));
    }
}
