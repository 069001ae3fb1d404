package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

/** Special files, over-long lines, implausible ratings and degenerate data, each one line. */
class DataInputChecksTest {
    @TempDir
    Path dir;

    private static AbstractStringAssert<?> userError(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(UserInputException.class);
        assertThat(thrown.getMessage()).doesNotContain("\n").doesNotContain("\r");
        return assertThat(thrown.getMessage());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    // ---- special files -----------------------------------------------------------------------

    @Test
    void devNullIsReportedAsADeviceNotAsMissing() {
        Path devNull = Path.of("/dev/null");
        Assumptions.assumeTrue(Files.exists(devNull), "/dev/null exists");
        userError(() -> RatingsReader.load(devNull)).contains("/dev/null is a character device, not a data file")
                .doesNotContain("does not exist");
        userError(() -> LogReader.read(devNull, LogSpec.DEFAULT)).contains("/dev/null is a character device");
        LogSpec csv = new LogSpec(LogSpec.Format.CSV, "", "", "", "", "", Map.of(), 0, 0, 0, LogSpec.Repeats.KEEP);
        userError(() -> LogReader.read(devNull, csv)).contains("/dev/null is a character device");
        // what is really missing is still called missing
        userError(() -> RatingsReader.load(dir.resolve("nope"))).contains("does not exist");
    }

    @Test
    void aNamedPipeIsRefusedWithoutBeingOpened() throws Exception {
        Path fifo = dir.resolve("ratings.csv");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo works here");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            userError(() -> RatingsReader.load(fifo)).contains("is a named pipe (FIFO)");
            userError(() -> LogReader.read(fifo, LogSpec.DEFAULT)).contains("is a named pipe (FIFO)");
            userError(() -> RatingsReader.read(new DataSource(Layout.GENERIC_CSV, fifo, null)))
                    .contains("is a named pipe (FIFO)");
        });
    }

    // ---- line length -------------------------------------------------------------------------

    @Test
    void aLineLongerThanTheLimitNamesItsNumber() throws Exception {
        Path f = write("ratings.csv", "userId,movieId,rating,timestamp\n1,2,3.5,100\n1," + "7".repeat(2 << 20));
        userError(() -> RatingsReader.load(f)).contains(f + " line 3: longer than " + LineReader.MAX_LINE_BYTES + " bytes");
        Path log = write("log.csv", "user_id,item_id\n" + "x".repeat(LineReader.MAX_LINE_BYTES + 1) + "\n");
        userError(() -> LogReader.read(log, LogSpec.DEFAULT)).contains("line 2: longer than");
        Path items = dir.resolve("ml").resolve("u.item");
        Files.createDirectories(items.getParent());
        Files.writeString(items.resolveSibling("u.data"), "1\t2\t3\t100\n2\t3\t4\t101\n");
        Files.writeString(items, "2|T|||u" + "|0".repeat(19) + "\n" + "y".repeat(MetadataReader.MAX_LINE_CHARS + 1));
        userError(() -> RatingsReader.load(items.getParent())).contains("u.item line 2: longer than");
    }

    @Test
    void aSequenceLineMayBeLongerThanARatingsLine() throws Exception {
        StringBuilder line = new StringBuilder("u1");
        for (int i = 0; line.length() <= LineReader.MAX_LINE_BYTES + 1000; i++) {
            line.append(' ').append(i % 5000);
        }
        Path f = write("seq.txt", line + "\nu2 1 2\n");
        InteractionLog log = LogReader.read(f, LogSpec.DEFAULT);
        assertThat(log.userCount()).isEqualTo(2);
        assertThat(log.size()).isGreaterThan(100_000);
    }

    // ---- ratings -----------------------------------------------------------------------------

    @Test
    void anImplausibleRatingNamesFileAndLine() throws Exception {
        Path f = write("plain.csv", "1,10,4\n2,10,5\n3,11,-1000000\n");
        userError(() -> RatingsReader.load(f)).startsWith(f + " line 3: rating -1000000 is outside the plausible range"
                + " [-10000, 10000]");
        Path g = write("big.csv", "1,10,4\n2,11,3e38\n");
        userError(() -> RatingsReader.load(g)).contains(g + " line 2: rating 3e38 is outside");
        Path h = write("inf.csv", "1,10,4\n2,11,1e300\n");
        // a double beyond float's range is a number out of range, not "not a finite number" (issue 27)
        userError(() -> RatingsReader.load(h)).contains(h + " line 2: rating 1e300 is outside the plausible range");
        Path n = write("nan.csv", "1,10,4\n2,11,NaN\n");
        userError(() -> RatingsReader.load(n)).contains(n + " line 2: rating \"NaN\" is not a finite number");
        Path ok = write("ok.csv", "1,10,4\n2,11,-10000\n3,12,10000\n");
        assertThat(RatingsReader.load(ok).minRating()).isEqualTo(-10000f);
    }

    /** All-equal ratings used to end in "IllegalArgumentException: rating scale [4.0, 4.0] is empty". */
    @Test
    void aDegenerateRatingScaleIsOneLineNamingTheStatistic() throws Exception {
        Path f = write("flat.csv", "1,10,4\n1,11,4\n2,10,4\n2,12,4\n3,11,4\n3,12,4\n");
        RatingDataset data = RatingsReader.load(f);
        Split split = Split.chronological(data, SplitSpec.lastK(1, 2));
        FactorizationResult mf = AlsTrainer.fit(split, new FactorizationSpec(2, 2, 0.1, true, true, 0.1, 1L, 1), null);
        userError(() -> MovieLensSessions.world(split, mf.model(), 5, 0.5, 3, true))
                .contains(f + ": all 6 ratings are 4.0 (minimum = maximum)").contains("--env logs");
        // the same data is a valid interaction log (ratings as weights)
        assertThat(LogReader.read(f, LogSpec.DEFAULT).size()).isEqualTo(6);
    }

    @Test
    void fewerThanTwoUsersOrItemsIsOneLine() throws Exception {
        Path oneUser = write("one-user.csv", "1,10,4\n1,11,5\n");
        userError(() -> RatingsReader.requireRatingScale(RatingsReader.load(oneUser)))
                .contains("ratings by 1 user of 2 items").contains("at least 2 users and 2 items");
        Path oneItem = write("one-item.csv", "1,10,4\n2,10,5\n");
        userError(() -> RatingsReader.requireRatingScale(RatingsReader.load(oneItem)))
                .contains("ratings by 2 users of 1 item:");
        Path fine = write("fine.csv", "1,10,4\n2,11,5\n");
        assertThat(RatingsReader.requireRatingScale(RatingsReader.load(fine)).size()).isEqualTo(2);
    }

    @Test
    void aLogValueWhoseWeightOverflowsIsRefused() throws Exception {
        Path f = Files.write(dir.resolve("w.csv"),
                "user_id,item_id,event,value\n1,2,buy,1e30\n".getBytes(StandardCharsets.UTF_8));
        LogSpec spec = new LogSpec(LogSpec.Format.CSV, "", "", "", "event", "value",
                LogSpec.parseEventWeights("buy=1e10"), 0, 0, 0, LogSpec.Repeats.KEEP);
        userError(() -> LogReader.read(f, spec)).contains(f + " line 2: value 1e30 times the event's weight is too large");
    }
}
