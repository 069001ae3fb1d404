package org.recsysrl.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.recsysrl.util.UserInputException;

/**
 * Checks made before a long job starts, so that an output directory that cannot be written is
 * reported in one line at once instead of when the first file is written, hours later.
 */
public final class OutputChecks {
    private OutputChecks() {
    }

    /**
     * Creates {@code dir} if needed and proves it writable by writing a byte to a new file in it
     * and deleting the file (so a full disk is found too).
     *
     * @param option the command-line option that chose the directory, for the message
     * @throws UserInputException naming the directory, the reason and the fix
     */
    public static void requireWritableDirectory(Path dir, String option) {
        String fix = "choose another " + option;
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new UserInputException("cannot use " + dir + " as a directory (a file is in the way): " + fix);
        } catch (IOException e) {
            throw IoMessages.cannot("create directory", dir, e, fix);
        }
        Path probe = null;
        try {
            probe = Files.createTempFile(dir, ".write-check.", ".tmp");
            Files.write(probe, new byte[] {'\n'}); // a full disk accepts an empty file but not a byte
        } catch (IOException e) {
            throw IoMessages.cannot("write in directory", dir, e, "free space, fix its permissions or " + fix);
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // a leftover empty probe is harmless
                }
            }
        }
    }

    /**
     * Requires room for two saves of {@code bytesPerSave} in {@code dir}'s file system (the
     * previous save is deleted only after the new one is complete).
     *
     * @throws UserInputException naming the directory, the space needed and the space free
     */
    public static void requireFreeSpace(Path dir, long bytesPerSave, String option) {
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return; // the store cannot tell: the save itself will report a full disk
        }
        long needed = 2 * bytesPerSave;
        if (free < needed) {
            throw new UserInputException(String.format(Locale.ROOT,
                    "%s has %.1f MB free but a save needs about %.1f MB (the new files are written before the old"
                            + " ones are deleted): free space or choose another %s",
                    dir, free / 1e6, needed / 1e6, option));
        }
    }
}
