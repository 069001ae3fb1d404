package org.recsysrl.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.config.DataConfig;
import org.recsysrl.config.EvalConfig;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.data.LogReader;
import org.recsysrl.data.LogSpec;
import org.recsysrl.eval.OfflineSplit;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.LogData;

class ParquetLogReaderTest {
    private static final String SCHEMA = "message log { required binary user_id (STRING); required int64 item_id;"
            + " required int64 timestamp; required double rating; }";
    private static final int ROWS = 600;

    @TempDir
    Path dir;

    /** Row k of the test log: 23 users, 41 items, times with ties, ratings 0.5 to 5. */
    private static String user(int k) {
        return "u" + (k * 7 % 23);
    }

    private static long item(int k) {
        return 1000L + (k * 13L % 41);
    }

    private static long time(int k) {
        return 500_000L - (k * 31L % 97) * 10; // out of order, with ties
    }

    private static double rating(int k) {
        return 0.5 * (1 + k % 10);
    }

    private Path csv() throws IOException {
        StringBuilder b = new StringBuilder("user_id,item_id,timestamp,rating\n");
        for (int k = 0; k < ROWS; k++) {
            b.append(user(k)).append(',').append(item(k)).append(',').append(time(k)).append(',').append(rating(k))
                    .append('\n');
        }
        return Files.writeString(dir.resolve("log.csv"), b);
    }

    private Path parquet(CompressionCodecName codec) throws IOException {
        return TestParquetFiles.write(dir.resolve("log-" + codec + ".parquet"), SCHEMA, codec, ROWS, 4096,
                (g, k) -> g.append("user_id", user(k)).append("item_id", item(k)).append("timestamp", time(k))
                        .append("rating", rating(k)));
    }

    private static LogSpec spec(String valueCol, double minValue) {
        return new LogSpec(LogSpec.Format.AUTO, "", "", "", "", valueCol, Map.of(), minValue, 0, 0,
                LogSpec.Repeats.KEEP);
    }

    private static void assertSameLog(InteractionLog actual, InteractionLog expected) {
        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(actual.offsets()).isEqualTo(expected.offsets());
        assertThat(actual.items()).isEqualTo(expected.items());
        assertThat(actual.times()).isEqualTo(expected.times());
        assertThat(actual.weights()).isEqualTo(expected.weights());
        for (int u = 0; u < expected.userCount(); u++) {
            assertThat(actual.userIds().raw(u)).isEqualTo(expected.userIds().raw(u));
        }
        for (int i = 0; i < expected.itemCount(); i++) {
            assertThat(actual.itemIds().raw(i)).isEqualTo(expected.itemIds().raw(i));
        }
    }

    @Test
    void theTestsRunWithoutHadoop() {
        assertThatThrownBy(() -> Class.forName("org.apache.hadoop.conf.Configuration"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void everyCodecReadsToTheSameInteractionsAsTheCsv() throws IOException {
        Path csv = csv();
        for (LogSpec spec : new LogSpec[] {LogSpec.DEFAULT, spec("rating", 2.0)}) {
            InteractionLog expected = LogReader.read(csv, spec);
            for (CompressionCodecName codec : TestParquetFiles.CODECS) {
                Path file = parquet(codec);
                assertThat(LogReader.detect(file, spec)).isEqualTo(LogSpec.Format.PARQUET);
                InteractionLog actual = LogReader.read(file, spec);
                assertSameLog(actual, expected);
                assertThat(actual.identity().layout()).isEqualTo(Layout.LOG_PARQUET);
                assertThat(actual.identity().bytes()).isEqualTo(Files.size(file));
            }
        }
        // the fixture is what it claims: several row groups, weights from the ratings, ties in time
        assertThat(LogReader.read(csv, spec("rating", 2.0)).weights()).contains(2.0f, 5.0f).doesNotContain(1.5f);
        assertThat(LogReader.read(csv, spec("rating", 2.0)).size()).isEqualTo(ROWS * 7 / 10);
    }

    @Test
    void theSplitIsTheCsvsSplit() throws IOException {
        EvalConfig eval = EvalConfig.defaults();
        LogData fromCsv = LogData.load(DataConfig.defaults().withPath(csv().toString()), eval);
        LogData fromParquet = LogData.load(DataConfig.defaults().withPath(parquet(CompressionCodecName.SNAPPY)
                .toString()), eval);
        assertSameLog(fromParquet.log(), fromCsv.log());
        OfflineSplit a = fromParquet.split();
        OfflineSplit b = fromCsv.split();
        assertThat(a.describe()).isEqualTo(b.describe());
        int heldOut = 0;
        for (int u = 0; u < b.log().userCount(); u++) {
            assertThat(a.fitEnd(u)).isEqualTo(b.fitEnd(u));
            assertThat(a.validEnd(u)).isEqualTo(b.validEnd(u));
            assertThat(a.testEnd(u)).isEqualTo(b.testEnd(u));
            heldOut += b.testEnd(u) - b.validEnd(u);
        }
        assertThat(heldOut).isPositive();
    }

    @Test
    void intIdsTimestampsAndStringTimesReadAsTheirCsvText() throws IOException {
        // INT32 ids, a TIMESTAMP(MILLIS) column against the same instants as ISO-8601 text in CSV
        String schema = "message log { required int32 visitor; required int32 product;"
                + " required int64 event_time (TIMESTAMP(MILLIS,true)); }";
        Path file = TestParquetFiles.write(dir.resolve("ts.parquet"), schema, CompressionCodecName.ZSTD, 50, 1 << 20,
                (g, k) -> g.append("visitor", k % 5).append("product", 7 * k % 11)
                        .append("event_time", 1_600_000_000_000L + (k % 9) * 60_000L));
        StringBuilder b = new StringBuilder("visitor,product,event_time\n");
        for (int k = 0; k < 50; k++) {
            b.append(k % 5).append(',').append(7 * k % 11).append(',')
                    .append(java.time.Instant.ofEpochMilli(1_600_000_000_000L + (k % 9) * 60_000L)).append('\n');
        }
        Path csv = Files.writeString(dir.resolve("ts.csv"), b);
        LogSpec spec = new LogSpec(LogSpec.Format.AUTO, "visitor", "product", "", "", "", Map.of(), 0, 0, 0,
                LogSpec.Repeats.KEEP);
        assertSameLog(LogReader.read(file, spec), LogReader.read(csv, spec));
        assertThat(LogReader.read(file, spec).times()[0]).isBetween(1_600_000_000_000L, 1_600_000_600_000L);

        String text = "message log { required binary user_id (STRING); required binary item_id (STRING);"
                + " required binary timestamp (STRING); }";
        Path textTimes = TestParquetFiles.write(dir.resolve("text.parquet"), text, CompressionCodecName.GZIP, 3, 1 << 20,
                (g, k) -> g.append("user_id", "a").append("item_id", "i" + k).append("timestamp", "2020-01-0" + (3 - k)));
        InteractionLog log = LogReader.read(textTimes, LogSpec.DEFAULT);
        assertThat(log.itemIds().raw(log.items()[0])).isEqualTo("i2"); // 2020-01-01 first
        assertThat(log.times()[0]).isEqualTo(java.time.Instant.parse("2020-01-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void aMissingColumnIsOneLineNamingTheSettingAndTheColumns() throws IOException {
        Path file = parquet(CompressionCodecName.UNCOMPRESSED);
        LogSpec spec = new LogSpec(LogSpec.Format.PARQUET, "visitor", "", "", "", "", Map.of(), 0, 0, 0,
                LogSpec.Repeats.KEEP);
        assertThatThrownBy(() -> LogReader.read(file, spec)).isInstanceOf(UserInputException.class)
                .hasMessage("data.user_col=visitor: " + file + " has no such column (its header: user_id, item_id,"
                        + " timestamp, rating); set data.user_col to one of them");
        Path noItem = TestParquetFiles.write(dir.resolve("noitem.parquet"),
                "message log { required binary user_id (STRING); required binary what (STRING); }",
                CompressionCodecName.UNCOMPRESSED, 1, 1 << 20, (g, k) -> g.append("user_id", "a").append("what", "b"));
        assertThatThrownBy(() -> LogReader.read(noItem, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("cannot tell which column of " + noItem + " holds the item")
                .hasMessageNotContaining("\n");
    }

    @Test
    void columnsOfOtherTypesNullsAndDamageAreOneLine() throws IOException {
        Path doubles = TestParquetFiles.write(dir.resolve("double.parquet"),
                "message log { required double user_id; required int64 item_id; }", CompressionCodecName.UNCOMPRESSED,
                2, 1 << 20, (g, k) -> g.append("user_id", 1.5).append("item_id", 3L));
        assertThatThrownBy(() -> LogReader.read(doubles, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessage(doubles + ": column user_id (data.user_col) is DOUBLE: an id column must be INT32, INT64 or"
                        + " a string (BINARY); set data.user_col to another column, or convert this one");

        Path nulls = TestParquetFiles.write(dir.resolve("nulls.parquet"),
                "message log { optional binary user_id (STRING); required int64 item_id; }",
                CompressionCodecName.SNAPPY, 3, 1 << 20, (g, k) -> {
                    if (k != 1) {
                        g.append("user_id", Binary.fromString("u" + k));
                    }
                    g.append("item_id", (long) k);
                });
        assertThatThrownBy(() -> LogReader.read(nulls, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessage(nulls + " row 2: empty user (column user_id): fix or remove the row");

        Path repeated = TestParquetFiles.write(dir.resolve("list.parquet"),
                "message log { required binary user_id (STRING); repeated int64 item_id; }",
                CompressionCodecName.UNCOMPRESSED, 1, 1 << 20, (g, k) -> g.append("user_id", "a").append("item_id", 1L)
                        .append("item_id", 2L));
        assertThatThrownBy(() -> LogReader.read(repeated, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("column item_id (data.item_col) is repeated, not one value per row");

        Path good = parquet(CompressionCodecName.SNAPPY);
        byte[] bytes = Files.readAllBytes(good);
        Path damaged = dir.resolve("damaged.parquet");
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        Files.write(damaged, cut);
        assertThatThrownBy(() -> LogReader.read(damaged, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageStartingWith(damaged + " cannot be read as Parquet (").hasMessageNotContaining("\n");
    }
}
