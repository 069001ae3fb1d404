package org.recsysrl.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLogTest {
    private static final List<String> COLUMNS = List.of("step", "reward", "loss");

    @TempDir
    Path dir;

    @Test
    void writesHeaderAndFlushedRows() throws IOException {
        Path file = dir.resolve("logs/train.csv");
        try (CsvLog log = new CsvLog(file, COLUMNS, false)) {
            log.row(1, 0.5, 1.5e-7);
            // flushed immediately: visible before close
            assertThat(Files.readAllLines(file)).containsExactly("step,reward,loss", "1,0.5,1.5e-7");
            log.row(2, -3.25, Double.NaN);
            log.row(1_000_000, 3.14159265358979, Double.NEGATIVE_INFINITY);
        }
        assertThat(Files.readString(file)).isEqualTo(
                "step,reward,loss\n1,0.5,1.5e-7\n2,-3.25,NaN\n1000000,3.14159,-Infinity\n");
    }

    @Test
    void appendKeepsOneHeader() throws IOException {
        Path file = dir.resolve("train.csv");
        try (CsvLog log = new CsvLog(file, COLUMNS, true)) {
            log.row(1, 2, 3);
        }
        try (CsvLog log = new CsvLog(file, COLUMNS, true)) {
            log.row(4, 5, 6);
        }
        assertThat(Files.readAllLines(file)).containsExactly("step,reward,loss", "1,2,3", "4,5,6");
        assertThat(Files.exists(dir.resolve("train.csv.1"))).isFalse();
    }

    @Test
    void appendDropsIncompleteLastLine() throws IOException {
        Path file = dir.resolve("train.csv");
        Files.writeString(file, "step,reward,loss\n1,2,3\n4,5");
        try (CsvLog log = new CsvLog(file, COLUMNS, true)) {
            log.row(4, 5, 6);
        }
        assertThat(Files.readAllLines(file)).containsExactly("step,reward,loss", "1,2,3", "4,5,6");
    }

    @Test
    void appendFalseOverwrites() throws IOException {
        Path file = dir.resolve("train.csv");
        try (CsvLog log = new CsvLog(file, COLUMNS, false)) {
            log.row(1, 2, 3);
        }
        try (CsvLog log = new CsvLog(file, COLUMNS, false)) {
            log.row(7, 8, 9);
        }
        assertThat(Files.readAllLines(file)).containsExactly("step,reward,loss", "7,8,9");
    }

    @Test
    void differentHeaderRotatesOldFile() throws IOException {
        Path file = dir.resolve("train.csv");
        try (CsvLog log = new CsvLog(file, List.of("a"), true)) {
            log.row(1);
        }
        try (CsvLog log = new CsvLog(file, COLUMNS, true)) {
            log.row(1, 2, 3);
        }
        assertThat(Files.readAllLines(dir.resolve("train.csv.1"))).containsExactly("a", "1");
        assertThat(Files.readAllLines(file)).containsExactly("step,reward,loss", "1,2,3");

        try (CsvLog log = new CsvLog(file, List.of("b"), true)) {
            log.row(0.25);
        }
        assertThat(Files.readAllLines(dir.resolve("train.csv.2"))).containsExactly("a", "1");
        assertThat(Files.readAllLines(dir.resolve("train.csv.1"))).containsExactly("step,reward,loss", "1,2,3");
        assertThat(Files.readAllLines(file)).containsExactly("b", "0.25");
    }

    @Test
    void rejectsWrongValueCountAndUseAfterClose() throws IOException {
        CsvLog log = new CsvLog(dir.resolve("x.csv"), COLUMNS, false);
        assertThatThrownBy(() -> log.row(1, 2)).isInstanceOf(IllegalArgumentException.class);
        log.close();
        log.close(); // idempotent
        assertThatThrownBy(() -> log.row(1, 2, 3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void quotesAwkwardColumnNames() {
        assertThat(CsvLog.headerLine(List.of("a", "b,c", "say \"hi\""))).isEqualTo("a,\"b,c\",\"say \"\"hi\"\"\"");
    }

    @Test
    void formatsNumbers() {
        assertThat(CsvLog.format(0)).isEqualTo("0");
        assertThat(CsvLog.format(-0.0)).isEqualTo("0");
        assertThat(CsvLog.format(42)).isEqualTo("42");
        assertThat(CsvLog.format(-7)).isEqualTo("-7");
        assertThat(CsvLog.format(123456789)).isEqualTo("123456789");
        assertThat(CsvLog.format(0.1f)).isEqualTo("0.1");
        assertThat(CsvLog.format(2.5)).isEqualTo("2.5");
        assertThat(CsvLog.format(-0.000123456789)).isEqualTo("-0.000123457");
        assertThat(CsvLog.format(1.0 / 3)).isEqualTo("0.333333");
        assertThat(CsvLog.format(1234567.5)).isEqualTo("1.23457e6");
        assertThat(CsvLog.format(1e-10)).isEqualTo("1e-10");
        assertThat(CsvLog.format(1e20)).isEqualTo("1e20");
        assertThat(CsvLog.format(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
    }

    @Test
    void aResumedLogDropsTheRowsAfterTheResumedStep() throws IOException {
        Path file = dir.resolve("ppo.csv");
        // rows of a run killed after logging step 300 whose last save was at step 200, with a torn last line
        Files.writeString(file, "step,reward,loss\n100,1,1\n200,2,2\n300,3,3\n40");
        try (CsvLog log = CsvLog.resumedAt(file, COLUMNS, 200)) {
            log.row(300, 4, 4);
        }
        assertThat(Files.readAllLines(file)).containsExactly("step,reward,loss", "100,1,1", "200,2,2", "300,4,4");
    }

    @Test
    void aResumedLogFromStepZeroKeepsOnlyTheHeader() throws IOException {
        Path file = dir.resolve("ppo.csv");
        Files.writeString(file, "step,reward,loss\n100,1,1\n");
        try (CsvLog log = CsvLog.resumedAt(file, COLUMNS, 0)) {
            log.row(100, 5, 5);
        }
        assertThat(Files.readAllLines(file)).containsExactly("step,reward,loss", "100,5,5");
    }
}
