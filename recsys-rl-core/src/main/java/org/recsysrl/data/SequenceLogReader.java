package org.recsysrl.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.recsysrl.util.UserInputException;

/**
 * Streams the one-sequence-per-line format of the sequential-recommendation benchmarks into an
 * {@link InteractionLog}: each line is {@code user item item …}, separated by spaces or tabs, the
 * items in chronological order. There are no times: order is time. A user on several lines has
 * the later lines' items appended. A line with a user and no items adds nothing; a line that is
 * one token holding a comma is reported (the file is probably CSV).
 */
final class SequenceLogReader {
    /**
     * The longest line: a user's whole history, about 10 million items (more can continue on
     * further lines of the same user).
     */
    static final int MAX_LINE_BYTES = 64 << 20;
    /** Bytes read before the columns are sized from the interactions per byte so far. */
    private static final long ESTIMATE_AFTER_BYTES = 1 << 20;

    private SequenceLogReader() {
    }

    static InteractionLog read(Path file) {
        long size = DataFiles.regularFileSize(file);
        MessageDigest digest = RatingDataset.Builder.sha256();
        // item ids in such files take ~5-7 bytes with their separator; the columns are sized for the
        // whole file once the first megabyte shows the density, not before (a file that is not a
        // sequence log never costs more than what its lines hold)
        LogBuilder b = new LogBuilder(false, false, (int) Math.min(1 << 16, size / 6 + 16));
        boolean sized = false;
        long bytes;
        try (InputStream in = Files.newInputStream(file); LineReader lines = new LineReader(in, digest, file,
                MAX_LINE_BYTES, "split a long history over several lines starting with the same user")) {
            while (lines.next()) {
                parse(file, lines, b);
                if (!sized && lines.position() >= ESTIMATE_AFTER_BYTES) {
                    sized = true;
                    double perByte = (double) b.size() / lines.position();
                    b.resize((int) Math.min(1L << 28, (long) (size * perByte * 1.02) + 64));
                }
            }
            bytes = lines.bytesRead();
        } catch (IOException e) {
            throw RatingsReader.cannotRead(file, e);
        }
        if (b.size() == 0) {
            throw new UserInputException(file + " holds no interactions: expected lines of the form "
                    + "\"user item item ...\" (space-separated, chronological)");
        }
        return b.build(null, Layout.SEQUENCES, file.toString(), HexFormat.of().formatHex(digest.digest()), bytes);
    }

    private static void parse(Path file, LineReader lines, LogBuilder b) {
        byte[] buf = lines.buffer();
        int i = lines.start();
        int to = lines.end();
        int userFrom = -1; // the user token, interned with the line's first item
        int userTo = -1;
        int user = -1;
        while (true) {
            while (i < to && (buf[i] == ' ' || buf[i] == '\t')) {
                i++;
            }
            if (i >= to) {
                return;
            }
            int s = i;
            while (i < to && buf[i] != ' ' && buf[i] != '\t') {
                i++;
            }
            if (userFrom < 0) {
                for (int k = s; k < i; k++) {
                    if (buf[k] == ',') {
                        throw RatingsReader.lineError(file, lines.lineNumber(), "expected \"user item item ...\" "
                                + "separated by spaces, got \"" + RatingsReader.excerpt(lines.text())
                                + "\" (a CSV file? set data.format=csv)");
                    }
                }
                userFrom = s;
                userTo = i;
            } else {
                if (user < 0) {
                    user = b.userIds.intern(buf, userFrom, userTo);
                }
                b.append(user, b.itemIds.intern(buf, s, i), 0L, 1f);
            }
        }
    }
}
