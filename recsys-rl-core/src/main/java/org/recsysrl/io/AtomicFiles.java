package org.recsysrl.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.recsysrl.util.UserInputException;

/**
 * Writes files atomically: the content goes to a temporary file in the same directory, is flushed
 * to disk (fsync), and is then renamed over the target with {@code ATOMIC_MOVE} (falling back to
 * {@code REPLACE_EXISTING} where atomic moves are not supported). Readers therefore see either the
 * old file or the complete new one, never a half-written file, even if the process is killed.
 * Parent directories are created as needed.
 *
 * <p>Problems the user can fix (the target is a directory, a parent path is a file, permission
 * denied, read-only file system) are reported as {@link UserInputException}; an {@link IOException}
 * thrown while writing the data (e.g. disk full) propagates unchanged. The temporary file is
 * removed whenever the write fails.
 */
public final class AtomicFiles {
    private static final String ADVICE = "choose a writable output path";

    private AtomicFiles() {}

    /** Something that consumes a value and may throw {@link IOException}. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T t) throws IOException;
    }

    /** Atomically replaces {@code target} with {@code content}. */
    public static void write(Path target, byte[] content) throws IOException {
        Objects.requireNonNull(content, "content");
        write(target, out -> out.write(content));
    }

    /** Atomically replaces {@code target} with {@code content} encoded as UTF-8. */
    public static void writeString(Path target, String content) throws IOException {
        Objects.requireNonNull(content, "content");
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Calls {@code writer} with a (buffered) stream to a temporary file, then syncs and renames it
     * to {@code target}. The writer may close the stream or not; either way is fine.
     */
    public static void write(Path target, IOConsumer<OutputStream> writer) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(writer, "writer");
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.getFileName() == null) {
            throw new UserInputException("cannot write " + target + ": it is not a file path; " + ADVICE);
        }
        if (Files.isDirectory(absolute)) {
            throw new UserInputException(
                    IoMessages.oneLine("cannot write " + target + ": it is a directory; pass a file path instead"));
        }
        Path dir = absolute.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw IoMessages.cannot("create directory " + dir + " for", target, e, ADVICE);
        }

        Path temp = createTemp(dir, absolute.getFileName().toString(), target);
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                BufferedOutputStream buffered =
                        new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writer.accept(new NonClosingStream(buffered));
                buffered.flush();
                channel.force(true);
            }
            moveIntoPlace(temp, absolute, target);
            done = true;
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the original failure is more useful to the caller
                }
            }
        }
        syncDirectory(dir);
    }

    private static Path createTemp(Path dir, String fileName, Path target) {
        // Keep the temp name within common file-name limits (255 bytes).
        String base = fileName.length() > 100 ? fileName.substring(0, 100) : fileName;
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            Path temp = dir.resolve("." + base + "." + suffix + ".tmp");
            try {
                // Not Files.createTempFile: that forces owner-only permissions onto the final file.
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw IoMessages.cannot("create a temporary file next to", target, e, ADVICE);
                }
            } catch (IOException e) {
                throw IoMessages.cannot("write", target, e, ADVICE);
            }
        }
    }

    private static void moveIntoPlace(Path temp, Path absolute, Path target) {
        try {
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw IoMessages.cannot("replace", target, e, ADVICE);
        }
    }

    /** Makes the rename itself durable where the platform allows syncing a directory (not Windows). */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException ignored) {
            // not supported on this platform or file system; the data itself is already synced
        }
    }

    /** Lets writers close "their" stream without closing the channel before we sync it. */
    private static final class NonClosingStream extends FilterOutputStream {
        NonClosingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
