package org.recsysrl.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of the training logs: where a torn last line is cut in a log longer than one read
 * chunk, a header without a line end, an empty file, rows whose step is not a number, the formats
 * at 10^15, header quoting at a name's first character; TensorBoard file names and frames.
 */
class LogEdgesTest {
    private static final List<String> COLUMNS = List.of("step", "reward");
    @TempDir
    Path dir;

    @Test
    void aTornLineIsCutAtTheLastLineEndEvenWhenThatEndStartsAReadChunk() throws IOException {
        Path file = dir.resolve("long.csv");
        StringBuilder text = new StringBuilder("step,reward\n");
        for (int i = 1; text.length() < 20_000; i++) {
            text.append(i).append(",1\n");
        }
        String kept = text.toString();
        // 8,191 bytes of a torn line after the last line end: that line end is the first byte of the last 8 KiB
        Files.writeString(file, kept + "9".repeat(8191), StandardCharsets.US_ASCII);
        try (CsvLog log = new CsvLog(file, COLUMNS, true)) {
            log.row(-1, 0);
        }
        assertThat(Files.readString(file)).isEqualTo(kept + "-1,0\n");
    }

    @Test
    void aHeaderWithoutALineEndIsWrittenAgainWhole() throws IOException {
        Path file = dir.resolve("h.csv");
        Files.writeString(file, "step,reward");
        try (CsvLog log = new CsvLog(file, COLUMNS, true)) {
            log.row(1, 2);
        }
        assertThat(Files.readAllLines(file)).containsExactly("step,reward", "1,2");
        assertThat(dir.resolve("h.csv.1")).doesNotExist();
    }

    @Test
    void anEmptyFileIsReusedNotRotatedAndTheHeaderIsOnDiskAtOnce() throws IOException {
        Path file = Files.createFile(dir.resolve("e.csv"));
        try (CsvLog log = new CsvLog(file, COLUMNS, true)) {
            assertThat(Files.readAllLines(file)).as("before any row").containsExactly("step,reward");
            assertThat(log.file()).isEqualTo(file);
            assertThat(log.columns()).isEqualTo(COLUMNS);
        }
        assertThat(dir.resolve("e.csv.1")).doesNotExist();
    }

    @Test
    void aResumedLogKeepsEveryRowUpToTheStepAndStopsAtOneThatIsNotANumber() throws IOException {
        Path all = dir.resolve("all.csv");
        Files.writeString(all, "step,reward\n1,1\n2,2\n");
        try (CsvLog log = CsvLog.resumedAt(all, COLUMNS, 1000)) {
            log.row(3, 3);
        }
        assertThat(Files.readAllLines(all)).containsExactly("step,reward", "1,1", "2,2", "3,3");
        Path odd = dir.resolve("odd.csv");
        Files.writeString(odd, "step,reward\n1,1\nx,2\n2,2\n");
        try (CsvLog log = CsvLog.resumedAt(odd, COLUMNS, 1000)) {
            log.row(5, 5);
        }
        assertThat(Files.readAllLines(odd)).containsExactly("step,reward", "1,1", "5,5");
        Path single = dir.resolve("single.csv");
        Files.writeString(single, "step\n4\n");
        try (CsvLog log = CsvLog.resumedAt(single, List.of("step"), 4)) {
            log.row(5);
        }
        assertThat(Files.readAllLines(single)).containsExactly("step", "4", "5");
    }

    @Test
    void wholeNumbersBelow10To15AreWrittenInFull() {
        assertThat(CsvLog.format(999_999_999_999_999.0)).isEqualTo("999999999999999");
        assertThat(CsvLog.format(1e15)).isEqualTo("1e15");
        assertThat(CsvLog.format(-1e15)).isEqualTo("-1e15");
        assertThat(CsvLog.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(CsvLog.format(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void aNameStartingWithACommaQuoteOrLineBreakIsQuoted() {
        assertThat(CsvLog.headerLine(List.of(",a", "\"b", "\nc", "\rd", "e"))).isEqualTo(
                "\",a\",\"\"\"b\",\"\nc\",\"\rd\",e");
    }

    @Test
    void mirroringReturnsTheLogAndEveryWriterInOneSecondGetsItsOwnFile() throws IOException {
        try (TensorBoardWriter a = TensorBoardWriter.create(dir, -1, () -> 7.0);
                TensorBoardWriter b = TensorBoardWriter.create(dir, -1, () -> 7.0);
                TensorBoardWriter c = TensorBoardWriter.create(dir, -1, () -> 7.0)) {
            String base = a.file().getFileName().toString();
            assertThat(base).startsWith("events.out.tfevents.7.recsys-rl.");
            assertThat(b.file().getFileName().toString()).isEqualTo(base + ".1");
            assertThat(c.file().getFileName().toString()).isEqualTo(base + ".2");
            try (CsvLog log = new CsvLog(dir.resolve("m.csv"), COLUMNS, false)) {
                assertThat(log.mirrorTo(TensorBoardWriter.create(dir.resolve("m"), -1, () -> 7.0))).isSameAs(log);
            }
        }
    }

    @Test
    void aRunResumedAtStepZeroStillMarksItsStart() throws IOException {
        long plain;
        try (TensorBoardWriter w = TensorBoardWriter.create(dir.resolve("fresh"), -1, () -> 1.0)) {
            plain = Files.size(w.file());
        }
        try (TensorBoardWriter w = TensorBoardWriter.create(dir.resolve("resumed"), 0, () -> 1.0)) {
            // one more record: the START event at step 0 (time, no step field, SessionLog) and its 16 framing bytes
            assertThat(Files.size(w.file()) - plain).isEqualTo(TensorBoardWriter.frame(
                    TensorBoardWriter.sessionStartEvent(1.0, 0)).length);
        }
    }

    @Test
    void eventDirectoriesAreNamedAfterTheLogWithoutItsExtension() {
        assertThat(TensorBoardWriter.dirBeside(Path.of("logs", "ppo.csv"))).isEqualTo(Path.of("logs", "ppo"));
        assertThat(TensorBoardWriter.dirBeside(Path.of("logs", ".csv"))).isEqualTo(Path.of("logs", ".csv.tb"));
        assertThat(TensorBoardWriter.dirBeside(Path.of("logs", "plain"))).isEqualTo(Path.of("logs", "plain.tb"));
    }

    @Test
    void aFrameGivesItsLengthInEightLittleEndianBytes() {
        byte[] framed = TensorBoardWriter.frame(new byte[300]);
        assertThat(framed).hasSize(300 + 16);
        assertThat(java.util.Arrays.copyOf(framed, 8)).containsExactly(44, 1, 0, 0, 0, 0, 0, 0);
    }
}
