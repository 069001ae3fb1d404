package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

/**
 * Format detection never guesses (a header is never read as sequences), RecBole atomic files are
 * read natively, and a forced format that the file contradicts is refused in one line.
 */
class LogFormatsTest {
    private static final String RECBOLE_HEADER = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    private static LogSpec forced(LogSpec.Format format) {
        return new LogSpec(format, "", "", "", "", "", Map.of(), 0.0, 0, 0, LogSpec.Repeats.KEEP);
    }

    private static String[] itemsOf(InteractionLog log, String rawUser) {
        int u = log.userIds().index(rawUser);
        String[] out = new String[log.count(u)];
        for (int p = log.start(u); p < log.end(u); p++) {
            out[p - log.start(u)] = log.itemIds().raw(log.items()[p]);
        }
        return out;
    }

    private static long[] timesOf(InteractionLog log, String rawUser) {
        int u = log.userIds().index(rawUser);
        return Arrays.copyOfRange(log.times(), log.start(u), log.end(u));
    }

    // ---------------------------------------------------------------- RecBole

    @Test
    void aRecBoleAtomicFileIsDetectedAndReadByItsTypedHeader() throws IOException {
        Path f = write("ml.inter", RECBOLE_HEADER
                + "196\t242\t3\t881250949\n"
                + "186\t302\t3.0\t891717742.0\n"
                + "196\t377\t1\t881250948.75\n"
                + "186\t51\t2\t891717741\n");
        assertThat(LogReader.detect(f, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.RECBOLE);
        InteractionLog log = LogReader.read(f, LogSpec.DEFAULT);
        assertThat(log.identity().layout()).isEqualTo(Layout.LOG_RECBOLE);
        assertThat(log.size()).isEqualTo(4);
        assertThat(log.userCount()).isEqualTo(2);
        // each user's items by time; 881250948.75 is floored to 881250948, before 881250949
        assertThat(itemsOf(log, "196")).containsExactly("377", "242");
        assertThat(timesOf(log, "196")).containsExactly(881250948L, 881250949L);
        assertThat(itemsOf(log, "186")).containsExactly("51", "302");
        assertThat(timesOf(log, "186")).containsExactly(891717741L, 891717742L);
        assertThat(log.weights()).isNull(); // like a TSV log: weights only with data.value_col
        // forcing the right format reads the same file identically
        assertThat(LogReader.read(f, forced(LogSpec.Format.RECBOLE)).size()).isEqualTo(4);
    }

    @Test
    void aRecBoleValueColumnIsFoundByItsNameWithoutTheType() throws IOException {
        Path f = write("r.inter", RECBOLE_HEADER + "u1\ti1\t4\t10\nu1\ti2\t2.5\t20\n");
        LogSpec rated = new LogSpec(LogSpec.Format.AUTO, "", "", "", "", "rating", Map.of(), 3.0, 0, 0,
                LogSpec.Repeats.KEEP);
        InteractionLog log = LogReader.read(f, rated);
        assertThat(itemsOf(log, "u1")).containsExactly("i1"); // 2.5 < data.min_rating 3
        assertThat(log.weights()).containsExactly(4f);
    }

    @Test
    void aRecBoleListColumnCannotBeTheUserOrItem() throws IOException {
        Path f = write("s.inter", "user_id:token\titem_id:token_seq\nu1\ta b c\n");
        assertThatThrownBy(() -> LogReader.read(f, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("item_id is a RecBole token_seq field").hasMessageContaining("data.item_col");
    }

    // ---------------------------------------------------------------- detection never guesses

    @Test
    void aHeaderOfUnusualNamesAboveNumbersIsAHeaderNotASequence() throws IOException {
        // before: read as sequences, user "shopper" with item "sku", and so on
        Path f = write("log.txt", "shopper\tsku\n1\t2\n1\t3\n");
        assertThat(LogReader.detect(f, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.TSV);
        assertThatThrownBy(() -> LogReader.read(f, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("cannot tell which column").hasMessageContaining("data.user_col");
        // an item or time alias alone also marks a header
        Path g = write("g.tsv", "who\titem_id\nx\ty\n");
        assertThat(LogReader.detect(g, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.TSV);
    }

    @Test
    void sequencesStaySequences() throws IOException {
        Path spaces = write("seq.txt", "alice apple pear plum\nbob pear\n");
        assertThat(LogReader.detect(spaces, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.SEQUENCES);
        Path tabs = write("tabs.txt", "1\t10\t11\t12\t13\n2\t10\n");
        assertThat(LogReader.detect(tabs, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.SEQUENCES);
        assertThat(LogReader.read(tabs, LogSpec.DEFAULT).size()).isEqualTo(5);
    }

    @Test
    void headerlessTabSeparatedRatingsOrSequencesAreRefusedUnlessForced() throws IOException {
        Path f = write("ratings.txt", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
        assertThatThrownBy(() -> LogReader.detect(f, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("could be headerless tab-separated ratings")
                .hasMessageContaining("--format sequences");
        // forced, it is what the user says: two users of three items each
        InteractionLog log = LogReader.read(f, forced(LogSpec.Format.SEQUENCES));
        assertThat(itemsOf(log, "196")).containsExactly("242", "3", "881250949");
    }

    @Test
    void aHeaderSeparatedBySpacesIsRefused() throws IOException {
        Path f = write("log.txt", "user_id item_id timestamp\na b 1\n");
        assertThatThrownBy(() -> LogReader.read(f, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("header row separated by spaces");
    }

    @Test
    void parquetFilesWithoutTheParquetModuleNameTheModule() throws IOException {
        // the core's tests run without recsys-rl-parquet on the classpath
        byte[] bytes = {'P', 'A', 'R', '1', 0x15, 0x04, 0, 0, 'P', 'A', 'R', '1'};
        Path f = Files.write(dir.resolve("events.parquet"), bytes);
        assertThat(LogReader.detect(f, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.PARQUET);
        for (LogSpec spec : List.of(LogSpec.DEFAULT, forced(LogSpec.Format.PARQUET))) {
            assertThatThrownBy(() -> LogReader.read(f, spec)).isInstanceOf(UserInputException.class)
                    .hasMessageContaining(f + " is a Parquet file and the Parquet reader is not on the classpath")
                    .hasMessageContaining("org.recsysrl:recsys-rl-parquet").hasMessageContaining("duckdb")
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> LogReader.read(f, forced(LogSpec.Format.TSV))).isInstanceOf(UserInputException.class)
                .hasMessageContaining("data.format=tsv (--format tsv) contradicts " + f + ": it is a Parquet file");
    }

    @Test
    void aParquetNameWithoutTheMagicBytesIsRefused() throws IOException {
        Path f = write("events.parquet", "user_id,item_id\na,b\n");
        assertThatThrownBy(() -> LogReader.read(f, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessage(f + " is named .parquet but does not start with Parquet's magic bytes PAR1 (its first line:"
                        + " \"user_id,item_id\"): it is damaged or not a Parquet file; pass the right file, or rename it"
                        + " if it is a text log");
    }

    @Test
    void forcedParquetOverAnotherFileIsRefused() throws IOException {
        Path csv = write("log.csv", "user_id,item_id\na,b\n");
        assertThatThrownBy(() -> LogReader.read(csv, forced(LogSpec.Format.PARQUET)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("data.format=parquet (--format parquet) contradicts " + csv)
                .hasMessageContaining("this one with \"user_id,item_id\"").hasMessageNotContaining("\n");
        Path blank = write("blank.parquet", "\n\n");
        assertThatThrownBy(() -> LogReader.read(blank, forced(LogSpec.Format.PARQUET)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("it is blank");
    }

    // ---------------------------------------------------------------- forced formats

    @Test
    void forcedSequencesOverAHeaderAreRefused() throws IOException {
        Path inter = write("ml.inter", RECBOLE_HEADER + "1\t2\t3\t4\n");
        assertThatThrownBy(() -> LogReader.read(inter, forced(LogSpec.Format.SEQUENCES)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("data.format=sequences (--format sequences) contradicts " + inter)
                .hasMessageContaining("a RecBole atomic file").hasMessageContaining("--format auto")
                .hasMessageNotContaining("\n");
        Path tsv = write("log.tsv", "user_id\titem_id\tts\na\tb\t1\n");
        assertThatThrownBy(() -> LogReader.read(tsv, forced(LogSpec.Format.SEQUENCES)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("a CSV/TSV log");
    }

    @Test
    void forcedCsvTsvAndRecBoleMustMatchTheSeparatorAndHeader() throws IOException {
        Path tsv = write("log.tsv", "user_id\titem_id\na\tb\n");
        assertThatThrownBy(() -> LogReader.read(tsv, forced(LogSpec.Format.CSV))).isInstanceOf(UserInputException.class)
                .hasMessageContaining("its first line has no comma");
        Path csv = write("log.csv", "user_id,item_id\na,b\n");
        assertThatThrownBy(() -> LogReader.read(csv, forced(LogSpec.Format.TSV))).isInstanceOf(UserInputException.class)
                .hasMessageContaining("its first line has no tab");
        assertThatThrownBy(() -> LogReader.read(csv, forced(LogSpec.Format.RECBOLE)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("name:type");
        Path headerless = write("plain.tsv", "1\t2\n3\t4\n");
        assertThatThrownBy(() -> LogReader.read(headerless, forced(LogSpec.Format.TSV)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("no header row");
        Path inter = write("x.inter", RECBOLE_HEADER + "1\t2\t3\t4\n");
        assertThatThrownBy(() -> LogReader.read(inter, forced(LogSpec.Format.TSV)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("--format recbole");
        // matching forced formats still read
        assertThat(LogReader.read(tsv, forced(LogSpec.Format.TSV)).size()).isEqualTo(1);
        assertThat(LogReader.read(csv, forced(LogSpec.Format.CSV)).size()).isEqualTo(1);
    }

    @Test
    void formatNamesIncludeRecBoleAndParquet() {
        assertThat(LogSpec.Format.of("recbole")).isEqualTo(LogSpec.Format.RECBOLE);
        assertThat(LogSpec.Format.of("parquet")).isEqualTo(LogSpec.Format.PARQUET);
        assertThatThrownBy(() -> LogSpec.Format.of("orc")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("recbole").hasMessageContaining("parquet");
    }
}
