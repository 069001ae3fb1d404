package org.recsysrl.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.recsysrl.util.UserInputException;

/** Helpers that turn low-level problems into one-line {@link UserInputException} messages. */
public final class IoMessages {
    private IoMessages() {}

    /** Collapses line breaks (and runs of whitespace around them) so a message stays on one line. */
    public static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /**
     * A value read from a file, fit for a one-line message: control characters shown as '?', at
     * most 80 characters (then "...").
     */
    public static String quote(String value) {
        return org.recsysrl.util.MessageText.quote(value, 80);
    }

    /** A short, one-line reason for an I/O failure, without Java class names where possible. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory: " + oneLine(e.getMessage());
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory: " + oneLine(e.getMessage());
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "a file named " + oneLine(f.getFile()) + " is in the way";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return oneLine(f.getReason());
        }
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : oneLine(msg);
    }

    /** "cannot {action} {path} ({reason}): {advice}" as a UserInputException. */
    public static UserInputException cannot(String action, Path path, IOException cause, String advice) {
        return new UserInputException(
                oneLine("cannot " + action + " " + path + " (" + reason(cause) + "): " + advice), cause);
    }
}
