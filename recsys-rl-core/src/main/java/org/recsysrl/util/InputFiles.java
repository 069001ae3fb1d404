package org.recsysrl.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What kind of file an input path names, found from its attributes without opening it: opening a
 * named pipe blocks until someone writes to it, and reading {@code /dev/zero} never ends, so every
 * reader of user-named files asks first and refuses anything but a regular file with one line.
 */
public final class InputFiles {
    /** The kinds of path a reader tells apart. */
    public enum Kind {
        /** Nothing at the path (or a dangling symbolic link). */
        MISSING,
        /** A regular file (possibly through symbolic links). */
        REGULAR,
        /** A directory. */
        DIRECTORY,
        /** A device, named pipe, socket or other special file: never opened. */
        SPECIAL,
        /** The attributes could not be read (e.g. permission denied): opening it will say why. */
        UNKNOWN
    }

    private InputFiles() {
    }

    /** The kind of {@code path}, following symbolic links. */
    public static Kind kind(Path path) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Kind.MISSING;
        } catch (IOException | SecurityException e) {
            return Kind.UNKNOWN;
        }
        if (a.isRegularFile()) {
            return Kind.REGULAR;
        }
        return a.isDirectory() ? Kind.DIRECTORY : Kind.SPECIAL;
    }

    /**
     * A short description of a path that is not a regular file, for messages: "a directory",
     * "a named pipe (FIFO)", "a character device" (such as {@code /dev/null} or {@code /dev/zero}),
     * "a block device", "a socket", or "a special file" where the platform does not say which.
     */
    public static String describe(Path path) {
        return switch (kind(path)) {
            case MISSING -> "missing";
            case REGULAR -> "a regular file";
            case DIRECTORY -> "a directory";
            case UNKNOWN -> "unreadable";
            case SPECIAL -> describeSpecial(path);
        };
    }

    private static String describeSpecial(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            if (mode instanceof Integer m) {
                return switch (m & 0170000) {
                    case 0010000 -> "a named pipe (FIFO)";
                    case 0020000 -> "a character device";
                    case 0060000 -> "a block device";
                    case 0140000 -> "a socket";
                    default -> "a special file";
                };
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            // not a Unix file system view: fall through to the generic description
        }
        return "a special file (a device, pipe or socket)";
    }
}
