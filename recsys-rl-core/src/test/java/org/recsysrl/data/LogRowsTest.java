package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

/** Rows decoded by a {@link LogFormatReader} become the log that the same rows give as CSV. */
class LogRowsTest {
    private static final List<String> COLUMNS = List.of("visitor", "sku", "when", "kind", "stars");
    /** visitor, sku, when, kind, stars: ids as numbers and text, events with weights, values below the minimum. */
    private static final Object[][] ROWS = {
        {7L, "a", "2020-01-02", "view", 4.0},
        {"x", 12L, "2020-01-01", "buy", 5.0},
        {7L, 12L, "2020-01-01T12:00:00Z", "view", 1.0},
        {"x", "a", "2020-01-03", "skip", 3.0},
        {7L, "b", "2020-01-01", "buy", 2.5},
        {"y", "b", "2020-01-05", "view", 0.5},
    };

    @TempDir
    Path dir;

    private static LogSpec spec() {
        Map<String, Float> weights = new LinkedHashMap<>();
        weights.put("view", 1f);
        weights.put("buy", 5f);
        weights.put("skip", 0f);
        return new LogSpec(LogSpec.Format.AUTO, "visitor", "sku", "when", "kind", "stars", weights, 1.0, 0, 0,
                LogSpec.Repeats.KEEP);
    }

    private InteractionLog fromRows(Path file) {
        LogRows rows = LogRows.start(file, COLUMNS, spec(), 0);
        assertThat(new int[] {rows.userColumn(), rows.itemColumn(), rows.timeColumn(), rows.eventColumn(),
            rows.valueColumn()}).containsExactly(0, 1, 2, 3, 4);
        for (int r = 0; r < ROWS.length; r++) {
            Object[] row = ROWS[r];
            if (row[0] instanceof Long l) {
                rows.user(l);
            } else {
                rows.user((String) row[0]);
            }
            if (row[1] instanceof Long l) {
                rows.item(l);
            } else {
                rows.item((String) row[1]);
            }
            rows.timeText(r + 1, (String) row[2]);
            rows.event((String) row[3]);
            rows.value((Double) row[4]);
            rows.commit(r + 1);
        }
        return LogFilters.apply(rows.build(Layout.LOG_PARQUET), spec());
    }

    @Test
    void rowsGiveTheLogOfTheSameCsv() throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Object[] row : ROWS) {
            for (int c = 0; c < row.length; c++) {
                csv.append(c == 0 ? "" : ",").append(row[c]);
            }
            csv.append('\n');
        }
        Path csvFile = Files.writeString(dir.resolve("log.csv"), csv);
        InteractionLog expected = LogReader.read(csvFile, spec());
        Path file = Files.write(dir.resolve("log.bin"), new byte[] {1, 2, 3});
        InteractionLog actual = fromRows(file);
        // skip weighs 0 and the 0.5 star is below data.min_rating: 4 of 6 rows stay, y has none
        assertThat(actual.size()).isEqualTo(4).isEqualTo(expected.size());
        assertThat(actual.offsets()).isEqualTo(expected.offsets());
        assertThat(actual.items()).isEqualTo(expected.items());
        assertThat(actual.times()).isEqualTo(expected.times());
        assertThat(actual.weights()).isEqualTo(expected.weights()).containsExactly(12.5f, 1f, 4f, 25f);
        assertThat(actual.userIds().raw(0)).isEqualTo("7");
        assertThat(actual.itemIds().raw(actual.items()[0])).isEqualTo("b"); // 7's earliest: 2020-01-01 (midnight)
        assertThat(actual.identity().layout()).isEqualTo(Layout.LOG_PARQUET);
        assertThat(actual.identity().bytes()).isEqualTo(3);
    }

    @Test
    void problemsAreOneLineNamingTheRowAndColumn() throws IOException {
        Path file = Files.write(dir.resolve("log.bin"), new byte[] {1});
        LogRows rows = LogRows.start(file, COLUMNS, spec(), 0);
        rows.item("a");
        rows.time(1);
        rows.event("view");
        rows.value(3);
        assertThatThrownBy(() -> rows.commit(4)).isInstanceOf(UserInputException.class)
                .hasMessage(file + " row 4: empty user (column visitor): fix or remove the row");
        rows.user(1);
        rows.item("a");
        rows.time(1);
        rows.event("click");
        rows.value(3);
        assertThatThrownBy(() -> rows.commit(5)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("row 5: event \"click\" has no weight in data.event_weights");
        rows.timeText(6, "123");
        assertThatThrownBy(() -> rows.timeText(7, "2020-01-01")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("row 7: time \"2020-01-01\" is a date but row 6 has an integer time");
        assertThatThrownBy(() -> LogRows.start(file, List.of("a", "b"), LogSpec.DEFAULT, 0))
                .isInstanceOf(UserInputException.class).hasMessageContaining("cannot tell which column of " + file
                        + " holds the user (its header: a, b)");
        LogRows none = LogRows.start(file, List.of("user_id", "item_id"), LogSpec.DEFAULT, 0);
        assertThatThrownBy(() -> none.build(Layout.LOG_PARQUET)).isInstanceOf(UserInputException.class)
                .hasMessage(file + " holds no interactions: expected rows with a user and an item column (its columns:"
                        + " user_id, item_id)");
    }
}
