package org.recsysrl.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.recsysrl.util.InputFiles;
import org.recsysrl.util.UserInputException;

/**
 * The checks every reader makes on a data path before opening it, with the one-line messages they
 * give: a missing path, or a device, named pipe or socket (opening a pipe blocks, {@code /dev/zero}
 * never ends), is refused by name.
 */
final class DataFiles {
    /** What every data message suggests. */
    static final String EXPECTED = "pass a MovieLens folder, a ratings file or an interaction log to --data";

    private DataFiles() {
    }

    /**
     * Checks that {@code path} is a regular file (a directory is refused too: the callers that
     * accept folders look inside them first).
     *
     * @throws UserInputException naming the path and what it is
     */
    static void requireRegularFile(Path path) {
        switch (InputFiles.kind(path)) {
            case MISSING -> throw missing(path);
            case DIRECTORY -> throw new UserInputException("data path " + path + " is a directory where a file is "
                    + "expected: " + EXPECTED);
            case SPECIAL -> throw special(path);
            default -> {
                // a regular file, or unreadable attributes: opening it says why
            }
        }
    }

    /**
     * Checks {@code path} as {@link #requireRegularFile} does and returns its size in bytes.
     *
     * @throws UserInputException naming the path and what it is, or why its size cannot be read
     */
    static long regularFileSize(Path path) {
        requireRegularFile(path);
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw RatingsReader.cannotRead(path, e);
        }
    }

    /** "data path X does not exist: ...". */
    static UserInputException missing(Path path) {
        return new UserInputException("data path " + path + " does not exist: check the path; " + EXPECTED);
    }

    /** "data path X is a character device, not a data file: ...". */
    static UserInputException special(Path path) {
        return new UserInputException("data path " + path + " is " + InputFiles.describe(path)
                + ", not a data file: " + EXPECTED);
    }
}
