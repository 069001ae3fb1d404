package org.recsysrl.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.LogReader;
import org.recsysrl.data.LogSpec;
import org.recsysrl.data.SplitSpec;
import org.recsysrl.eval.OfflineSplit;
import org.recsysrl.eval.ProtocolSpec;

/**
 * The Spark preparation against the in-JVM path on the same file, row for row: raw ids, dense
 * indices, chronological positions (ties in file order), times, weights and the part of the split
 * of every interaction, for leave-one-out, temporal and user-fraction splits, with repeats, value
 * filters and k-core.
 */
class LogPreparationTest {
    @TempDir
    static Path dir;

    /** One interaction as both paths describe it. */
    record Line(String userId, String itemId, int user, int item, int pos, long time, float weight, String part) {
    }

    static List<Line> inJvm(Path file, LogSpec spec, ProtocolSpec protocol) {
        InteractionLog log = LogReader.read(file, spec);
        OfflineSplit split = OfflineSplit.of(log, protocol);
        List<Line> out = new ArrayList<>();
        for (int u = 0; u < log.userCount(); u++) {
            for (int p = log.start(u); p < log.end(u); p++) {
                String part = p < split.fitEnd(u) ? LogPreparation.TRAIN : p < split.validEnd(u) ? LogPreparation.VALID
                        : p < split.testEnd(u) ? LogPreparation.TEST : LogPreparation.UNUSED;
                out.add(new Line(log.userIds().raw(u), log.itemIds().raw(log.items()[p]), u, log.items()[p],
                        p - log.start(u), log.hasTimes() ? log.times()[p] : 0L, log.weight(p), part));
            }
        }
        return out;
    }

    static List<Line> spark(Path file, LogSpec spec, ProtocolSpec protocol) {
        return spark(file.toString(), LogPreparation.Format.CSV, spec, protocol);
    }

    static List<Line> spark(String path, LogPreparation.Format format, LogSpec spec, ProtocolSpec protocol) {
        PreparedLog prepared = LogPreparation.prepare(SharedSpark.get(), path, format, spec, protocol);
        List<Line> out = new ArrayList<>();
        for (Row r : prepared.interactions().orderBy(LogPreparation.USER, LogPreparation.POS).collectAsList()) {
            out.add(new Line(r.getString(0), r.getString(1), r.getInt(2), r.getInt(3), r.getInt(4), r.getLong(5),
                    r.getFloat(6), r.getString(7)));
        }
        return out;
    }

    private static void assertSame(Path file, LogSpec spec, ProtocolSpec protocol) {
        List<Line> expected = inJvm(file, spec, protocol);
        List<Line> actual = spark(file, spec, protocol);
        assertThat(actual).hasSize(expected.size());
        for (int k = 0; k < expected.size(); k++) {
            assertThat(actual.get(k)).as("row %d of %s", k, protocol.kind()).isEqualTo(expected.get(k));
        }
        // the split holds each part (a comparison of empty parts would prove nothing)
        assertThat(expected.stream().map(Line::part).distinct()).contains(LogPreparation.TRAIN, LogPreparation.VALID,
                LogPreparation.TEST);
    }

    @Test
    void leaveOneOutWithFiveCoreAndFirstRepeatsIsTheInJvmSplitRowForRow() throws Exception {
        Path file = LogFixtures.csv(dir.resolve("loo.csv"), 7, 3000, 120, 300);
        LogSpec spec = new LogSpec(LogSpec.Format.CSV, "", "", "", "", "", Map.of(), 0.0, 5, 5, LogSpec.Repeats.FIRST);
        assertSame(file, spec, ProtocolSpec.LOO);
    }

    @Test
    void temporalWithRatingsAsWeightsIsTheInJvmSplitRowForRow() throws Exception {
        Path file = LogFixtures.csv(dir.resolve("temporal.csv"), 11, 2500, 100, 200);
        LogSpec spec = new LogSpec(LogSpec.Format.CSV, "user_id", "item_id", "timestamp", "", "rating", Map.of(), 2.0,
                3, 2, LogSpec.Repeats.KEEP);
        assertSame(file, spec, ProtocolSpec.temporal(0.7, false, true));
        assertSame(file, spec, ProtocolSpec.temporal(0.6, true, false));
    }

    @Test
    void parquetWithIntegerTimesGivesTheSplitOfTheSameRowsAsCsv() throws Exception {
        Path file = LogFixtures.csv(dir.resolve("parquet.csv"), 17, 2000, 90, 150);
        String parquet = dir.resolve("log.parquet").toString();
        // the same rows in the same order, the time column a long (one partition keeps the order)
        SharedSpark.get().read().option("header", true).csv(file.toString()).coalesce(1)
                .selectExpr("user_id", "item_id", "cast(timestamp as long) as timestamp").write().parquet(parquet);
        LogSpec spec = new LogSpec(LogSpec.Format.CSV, "", "", "", "", "", Map.of(), 0.0, 3, 3, LogSpec.Repeats.FIRST);
        List<Line> expected = inJvm(file, spec, ProtocolSpec.LOO);
        assertThat(spark(parquet, LogPreparation.Format.PARQUET, spec, ProtocolSpec.LOO)).isEqualTo(expected);
        assertThat(expected).extracting(Line::part).contains(LogPreparation.TEST);
    }

    @Test
    void userFractionIsTheInJvmSplitRowForRow() throws Exception {
        Path file = LogFixtures.csv(dir.resolve("fraction.csv"), 13, 2000, 80, 150);
        LogSpec spec = new LogSpec(LogSpec.Format.CSV, "", "", "", "", "", Map.of(), 0.0, 0, 0, LogSpec.Repeats.KEEP);
        assertSame(file, spec, ProtocolSpec.userFraction(SplitSpec.lastFraction(0.25, 4)));
    }

    @Test
    void aLogReadInManyBlocksKeepsTheFileOrderWithIntegerAndDateTimes() throws Exception {
        Path integers = LogFixtures.csv(dir.resolve("blocks.csv"), 19, 3000, 100, 200);
        // the same rows with ISO-8601 date-times (parsed by TimeParser, not by the integer cast)
        List<String> lines = new ArrayList<>(java.nio.file.Files.readAllLines(integers));
        for (int k = 1; k < lines.size(); k++) {
            String line = lines.get(k);
            int comma = line.lastIndexOf(',');
            lines.set(k, line.substring(0, comma + 1)
                    + java.time.Instant.ofEpochSecond(Long.parseLong(line.substring(comma + 1))));
        }
        Path dates = java.nio.file.Files.write(dir.resolve("dates.csv"), lines);
        LogSpec spec = new LogSpec(LogSpec.Format.CSV, "", "", "", "", "", Map.of(), 0.0, 3, 3, LogSpec.Repeats.FIRST);
        org.apache.spark.sql.SparkSession spark = SharedSpark.get();
        String bytes = spark.conf().get("spark.sql.files.maxPartitionBytes");
        String open = spark.conf().get("spark.sql.files.openCostInBytes");
        spark.conf().set("spark.sql.files.maxPartitionBytes", "16k");
        spark.conf().set("spark.sql.files.openCostInBytes", "0");
        try {
            // several blocks of one file, so the order of the blocks matters
            assertThat(spark.read().csv(integers.toString()).rdd().getNumPartitions()).isGreaterThanOrEqualTo(4);
            assertSame(integers, spec, ProtocolSpec.LOO);
            assertSame(dates, spec, ProtocolSpec.temporal(0.7, false, true));
        } finally {
            spark.conf().set("spark.sql.files.maxPartitionBytes", bytes);
            spark.conf().set("spark.sql.files.openCostInBytes", open);
        }
    }
}
