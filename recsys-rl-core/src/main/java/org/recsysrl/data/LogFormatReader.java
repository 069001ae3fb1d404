package org.recsysrl.data;

import java.nio.file.Path;

/**
 * A reader of an interaction-log format that the core does not read itself, found at run time
 * through {@link java.util.ServiceLoader} (a {@code META-INF/services/org.recsysrl.data.LogFormatReader}
 * entry in the reader's jar) and keyed by its {@link #format()} name, the value of
 * {@code data.format}. The optional module {@code recsys-rl-parquet} provides {@code parquet}; the
 * core depends on none of them, and names the module to add when a file needs one that is absent.
 *
 * <p>A reader decodes the file's rows into a {@link LogRows}, which finds the columns by name and
 * applies the weights, minimum value and time rules exactly as for a CSV/TSV log; {@link LogReader}
 * applies the filters ({@link LogFilters}) afterwards.
 */
public interface LogFormatReader {
    /** The format's name as {@code data.format} and {@code --format} spell it, e.g. {@code parquet}. */
    String format();

    /**
     * Reads {@code file} (a regular file, already checked to be of this format) as {@code spec} says.
     *
     * @throws org.recsysrl.util.UserInputException in one line naming the file and the fix, for a
     *     file that cannot be read, a column that is missing or of a type the reader refuses, or a
     *     log without interactions
     */
    InteractionLog read(Path file, LogSpec spec);
}
