package org.recsysrl.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import org.recsysrl.util.UserInputException;

/**
 * Reads a byte stream line by line without allocating per line: after {@link #next()} the current
 * line is {@code buffer()[start(), end())}, without its {@code \n} or {@code \r\n} terminator. Every
 * byte read is also fed to an optional {@link MessageDigest}, so the file's content hash is
 * computed in the same pass. A UTF-8 byte-order mark at the very start is skipped (but hashed).
 *
 * <p>A line may be at most {@code maxLineBytes} long (terminator included): the buffer grows to
 * that size and no further, so a file without line breaks (a binary file, {@code /dev/zero}
 * behind a link) costs a bounded amount of memory and ends in a {@link UserInputException} naming
 * the file and the line.
 */
final class LineReader implements Closeable {
    /** The line limit of ratings files and CSV/TSV logs: their lines hold a few dozen bytes. */
    static final int MAX_LINE_BYTES = 1 << 20;

    private final InputStream in;
    private final MessageDigest digest;
    private final Path file;
    private final int maxLineBytes;
    private final String longLineHint;
    private byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean first = true;
    private int start;
    private int end;
    private long lineNumber;
    private long bytesRead;

    /** A reader with the {@link #MAX_LINE_BYTES} limit. */
    LineReader(InputStream in, MessageDigest digest, Path file) {
        this(in, digest, file, MAX_LINE_BYTES, "is it the right file? (its lines should be short)");
    }

    /**
     * @param file the file, for messages
     * @param maxLineBytes the longest line accepted, terminator included (at least 16)
     * @param longLineHint the fix a message about a longer line suggests
     */
    LineReader(InputStream in, MessageDigest digest, Path file, int maxLineBytes, String longLineHint) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be >= 16: " + maxLineBytes);
        }
        this.in = in;
        this.digest = digest;
        this.file = file;
        this.maxLineBytes = maxLineBytes;
        this.longLineHint = longLineHint;
        this.buf = new byte[Math.min(1 << 16, maxLineBytes)];
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        while (true) {
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    setLine(pos, i);
                    pos = i + 1;
                    return true;
                }
            }
            if (eof) {
                if (pos < limit) {
                    setLine(pos, limit);
                    pos = limit;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void setLine(int from, int to) {
        lineNumber++;
        if (first) {
            first = false;
            if (to - from >= 3 && (buf[from] & 0xFF) == 0xEF && (buf[from + 1] & 0xFF) == 0xBB
                    && (buf[from + 2] & 0xFF) == 0xBF) {
                from += 3;
            }
        }
        if (to > from && buf[to - 1] == '\r') {
            to--;
        }
        start = from;
        end = to;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            if (buf.length >= maxLineBytes) {
                throw new UserInputException(file + " line " + (lineNumber + 1) + ": longer than " + maxLineBytes
                        + " bytes without a line break: " + longLineHint);
            }
            buf = Arrays.copyOf(buf, (int) Math.min(2L * buf.length, maxLineBytes));
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return;
        }
        if (digest != null) {
            digest.update(buf, limit, n);
        }
        bytesRead += n;
        limit += n;
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** 1-based number of the current line. */
    long lineNumber() {
        return lineNumber;
    }

    /** Bytes of the lines returned so far (up to the end of the current line's terminator). */
    long position() {
        return bytesRead - (limit - pos);
    }

    /** Bytes consumed from the stream so far. */
    long bytesRead() {
        return bytesRead;
    }

    /** True if the current line holds only spaces and tabs. */
    boolean blank() {
        for (int i = start; i < end; i++) {
            if (buf[i] != ' ' && buf[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The current line as text (UTF-8), for error messages only. */
    String text() {
        return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
