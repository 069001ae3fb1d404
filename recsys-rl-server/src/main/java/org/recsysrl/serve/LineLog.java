package org.recsysrl.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.recsysrl.util.UserInputException;

/**
 * An append-only file of JSON lines (the feedback log, the access log). Each line goes to the
 * file in one {@code write} on a channel opened for appending, under a lock, so lines from
 * concurrent requests never interleave and a reader never sees half a line unless the disk fills
 * mid-write. Nothing is buffered in the process: a line is in the operating system's hands when
 * {@link #append} returns.
 */
final class LineLog implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;

    /** Opens (creating if needed) {@code file} for appending. */
    LineLog(Path file, String what) {
        this.file = file;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("cannot open the " + what + " " + file + " for appending (" + e.getMessage()
                    + "): give a writable file");
        }
    }

    /** Appends {@code json} and a newline; {@code json} must not contain a newline. */
    void append(String json) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
        synchronized (this) {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }
    }

    /** The file. */
    Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to save: every line was written when append returned
        }
    }
}
