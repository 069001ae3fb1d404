package org.recsysrl.data;

import java.nio.file.Path;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.recsysrl.util.UserInputException;

/** Finds the {@link LogFormatReader} of a format on the classpath. */
final class LogFormatReaders {
    private LogFormatReaders() {
    }

    /** The reader registered for {@code format}, or null if none is on the classpath. */
    static LogFormatReader find(String format) {
        try {
            for (LogFormatReader reader : ServiceLoader.load(LogFormatReader.class, LogFormatReaders.class.getClassLoader())) {
                if (reader.format().equals(format)) {
                    return reader;
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a log format reader on the classpath cannot be loaded: " + e.getMessage(), e);
        }
        return null;
    }

    /**
     * Reads {@code file} with the reader of {@code format}.
     *
     * @throws UserInputException naming the module to add if no reader of {@code format} is present
     */
    static InteractionLog read(String format, Path file, LogSpec spec) {
        LogFormatReader reader = find(format);
        if (reader == null) {
            throw missing(format, file);
        }
        return reader.read(file, spec);
    }

    /** The one line for a file whose format's reader is not on the classpath. */
    static UserInputException missing(String format, Path file) {
        if (format.equals(LogSpec.Format.PARQUET.id())) {
            return new UserInputException(file + " is a Parquet file and the Parquet reader is not on the classpath:"
                    + " add the module org.recsysrl:recsys-rl-parquet (the ./recsys-rl launcher and the distribution"
                    + " include it), or convert the file to TSV with a header, e.g. duckdb -c \"COPY '" + file
                    + "' TO 'log.tsv' (HEADER, DELIMITER '\\t')\"");
        }
        return new UserInputException("no reader of data.format=" + format + " is on the classpath for " + file
                + ": add the module that provides it");
    }
}
