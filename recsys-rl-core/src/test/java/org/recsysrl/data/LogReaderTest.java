package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

/** Reading interaction logs: CSV/TSV by column name, sequences, MovieLens, and format detection. */
class LogReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    private static LogSpec spec(LogSpec.Format format) {
        return new LogSpec(format, "", "", "", "", "", Map.of(), 0.0, 0, 0, LogSpec.Repeats.KEEP);
    }

    private static LogSpec columns(String user, String item, String time, String event, String value,
            Map<String, Float> weights, double minValue) {
        return new LogSpec(LogSpec.Format.AUTO, user, item, time, event, value, weights, minValue, 0, 0,
                LogSpec.Repeats.KEEP);
    }

    /** User {@code u}'s items as raw ids, oldest first. */
    private static String[] itemsOf(InteractionLog log, String rawUser) {
        int u = log.userIds().index(rawUser);
        assertThat(u).as("user " + rawUser).isGreaterThanOrEqualTo(0);
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

    private static float[] weightsOf(InteractionLog log, String rawUser) {
        int u = log.userIds().index(rawUser);
        return Arrays.copyOfRange(log.weights(), log.start(u), log.end(u));
    }

    // ---------------------------------------------------------------- CSV / TSV

    @Test
    void csvColumnsAreFoundByNameInAnyOrderAndExtraColumnsIgnored() throws IOException {
        Path f = write("log.csv", "ts,extra,item_id,user_id\n"
                + "30,x,apple,bob\n"
                + "10,y,pear,alice\n"
                + "20,z,plum,bob\n"
                + "5,w,apple,alice\n");
        InteractionLog log = LogReader.read(f, LogSpec.DEFAULT);
        assertThat(log.identity().layout()).isEqualTo(Layout.LOG_CSV);
        assertThat(log.size()).isEqualTo(4);
        // users in order of first appearance, each sorted by time
        assertThat(log.userIds().raw(0)).isEqualTo("bob");
        assertThat(log.userIds().raw(1)).isEqualTo("alice");
        assertThat(itemsOf(log, "bob")).containsExactly("plum", "apple");
        assertThat(timesOf(log, "bob")).containsExactly(20, 30);
        assertThat(itemsOf(log, "alice")).containsExactly("apple", "pear");
        assertThat(timesOf(log, "alice")).containsExactly(5, 10);
        assertThat(log.weights()).isNull(); // no event or value column: every weight 1
        assertThat(log.ratings()).isFalse();
    }

    @Test
    void quotedFieldsMayHoldTheDelimiterAndEscapedQuotes() throws IOException {
        Path f = write("q.csv", "user,item,time\n"
                + "u1,\"Hello, World\",1\n"
                + " u1 , \"say \"\"hi\"\"\" ,2\n"
                + "\"u2\",plain,3\n");
        InteractionLog log = LogReader.read(f, LogSpec.DEFAULT);
        assertThat(itemsOf(log, "u1")).containsExactly("Hello, World", "say \"hi\"");
        assertThat(itemsOf(log, "u2")).containsExactly("plain"); // quotes removed, spaces trimmed
        assertThat(log.userCount()).isEqualTo(2);
        // quoted header names and event names are unescaped too, so they match the settings
        Path ev = write("qe.csv", "\"user\",item,\"kind \"\"x\"\"\"\n" + "u,i,\"big \"\"deal\"\"\"\n");
        InteractionLog weighted = LogReader.read(ev, columns("", "", "", "kind \"x\"", "",
                Map.of("big \"deal\"", 7f), 0));
        assertThat(weightsOf(weighted, "u")).containsExactly(7f);
    }

    @Test
    void tsvLogsAreRead() throws IOException {
        Path f = write("events.tsv", "session_id\ttimestamp\tarticle_id\n"
                + "s1\t2\ta, b\n"
                + "s1\t1\tc\n");
        assertThat(LogReader.detect(f, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.TSV);
        InteractionLog log = LogReader.read(f, LogSpec.DEFAULT);
        assertThat(log.identity().layout()).isEqualTo(Layout.LOG_TSV);
        assertThat(itemsOf(log, "s1")).containsExactly("c", "a, b"); // a comma is data in a TSV
    }

    @Test
    void eventWeightsMultiplyAndWeightZeroDropsTheLine() throws IOException {
        Path f = write("ev.csv", "user,item,time,event\n"
                + "a,x,1,view\n"
                + "a,y,2,purchase\n"
                + "a,z,3,skip\n"
                + "b,x,4,view\n");
        Map<String, Float> w = LogSpec.parseEventWeights("view=1, purchase=5,skip=0");
        InteractionLog log = LogReader.read(f, columns("", "", "", "event", "", w, 0));
        assertThat(itemsOf(log, "a")).containsExactly("x", "y"); // the skip line is gone
        assertThat(weightsOf(log, "a")).containsExactly(1f, 5f);
        assertThat(log.itemIds().index("z")).isEqualTo(-1); // an item seen only in dropped lines does not exist
        assertThat(log.ratings()).isFalse(); // weights, but not ratings
    }

    @Test
    void anEventWithoutAWeightIsReportedWithItsLineNumber() throws IOException {
        Path f = write("ev.csv", "user,item,event\n"
                + "a,x,view\n"
                + "\n" // blank lines count in the numbering but are skipped
                + "a,y,cart\n");
        Map<String, Float> w = Map.of("view", 1f);
        assertThatThrownBy(() -> LogReader.read(f, columns("", "", "", "event", "", w, 0)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(f + " line 4")
                .hasMessageContaining("event \"cart\"")
                .hasMessageNotContaining("\n");
    }

    @Test
    void eventWeightsAreParsedAndChecked() {
        assertThat(LogSpec.parseEventWeights("view=1,cart=3.5")).containsExactly(Map.entry("view", 1f),
                Map.entry("cart", 3.5f));
        assertThat(LogSpec.parseEventWeights(" ")).isEmpty();
        assertThatThrownBy(() -> LogSpec.parseEventWeights("view")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("event=weight");
        assertThatThrownBy(() -> LogSpec.parseEventWeights("view=x")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> LogSpec.parseEventWeights("a=1,a=2")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> columns("", "", "", "", "", Map.of("a", 1f), 0))
                .isInstanceOf(UserInputException.class).hasMessageContaining("data.event_col");
        assertThatThrownBy(() -> columns("", "", "", "e", "", Map.of("a", -1f), 0))
                .isInstanceOf(UserInputException.class).hasMessageContaining(">= 0");
    }

    @Test
    void aValueColumnWeighsInteractionsAndMinRatingDropsLowOnes() throws IOException {
        Path f = write("r.csv", "user,item,stars,time\n"
                + "a,x,4.5,1\n"
                + "a,y,2,2\n"
                + "a,z,3,3\n"
                + "b,y,1,4\n"
                + "b,x,5,5\n");
        InteractionLog log = LogReader.read(f, columns("", "", "", "", "stars", Map.of(), 3.0));
        assertThat(itemsOf(log, "a")).containsExactly("x", "z"); // 2 < 3 dropped; 3 kept
        assertThat(weightsOf(log, "a")).containsExactly(4.5f, 3f);
        assertThat(itemsOf(log, "b")).containsExactly("x");
        assertThat(weightsOf(log, "b")).containsExactly(5f);
    }

    @Test
    void isoAndIntegerTimes() throws IOException {
        // 2020-01-02 is day 18263 (50·365 + 12 leap days + 1): 18263 · 86400000 ms
        Path iso = write("iso.csv", "user,item,date\n"
                + "a,late,2020-01-02T00:00:01Z\n"
                + "a,early,2020-01-02\n"
                + "a,offset,2020-01-02T01:00:00+02:00\n"); // 23:00Z the day before: earliest
        InteractionLog log = LogReader.read(iso, LogSpec.DEFAULT);
        long day = 18263L * 86_400_000L;
        assertThat(itemsOf(log, "a")).containsExactly("offset", "early", "late");
        assertThat(timesOf(log, "a")).containsExactly(day - 3_600_000L, day, day + 1000);

        Path ints = write("int.csv", "user,item,time\na,x,1577923201\na,y,-5\n");
        assertThat(timesOf(LogReader.read(ints, LogSpec.DEFAULT), "a")).containsExactly(-5, 1577923201);
    }

    @Test
    void oneFileMustUseOneKindOfTime() throws IOException {
        Path f = write("mixed.csv", "user,item,time\na,x,1577923201\na,y,2020-01-02\n");
        assertThatThrownBy(() -> LogReader.read(f, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining(f + " line 3")
                .hasMessageContaining("line 2 has an integer time");
        Path g = write("mixed2.csv", "user,item,time\na,y,2020-01-02\na,x,17\n");
        assertThatThrownBy(() -> LogReader.read(g, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining(g + " line 3").hasMessageContaining("line 2 has a date");
        Path bad = write("bad.csv", "user,item,time\na,y,yesterday\n");
        assertThatThrownBy(() -> LogReader.read(bad, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining(bad + " line 2").hasMessageContaining("\"yesterday\"");
    }

    @Test
    void aLineWithTheWrongNumberOfFieldsIsReportedWithItsNumber() throws IOException {
        Path f = write("short.csv", "user,item,time\na,x,1\na,y\n");
        assertThatThrownBy(() -> LogReader.read(f, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining(f + " line 3")
                .hasMessageContaining("expected 3 comma-separated fields")
                .hasMessageContaining("got 2");
        Path q = write("quote.csv", "user,item\na,\"open\n");
        assertThatThrownBy(() -> LogReader.read(q, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining(q + " line 2").hasMessageContaining("unbalanced double quote");
        Path empty = write("emptyitem.csv", "user,item\na,\n");
        assertThatThrownBy(() -> LogReader.read(empty, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("line 2").hasMessageContaining("empty item");
    }

    @Test
    void emptyFilesAreReported() throws IOException {
        Path f = write("empty.csv", "");
        assertThatThrownBy(() -> LogReader.read(f, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining(f + " is empty");
        assertThatThrownBy(() -> LogReader.read(f, spec(LogSpec.Format.CSV))).isInstanceOf(UserInputException.class)
                .hasMessageContaining("holds no interactions (not even a header)");
        Path headerOnly = write("header.csv", "user,item\n\n");
        assertThatThrownBy(() -> LogReader.read(headerOnly, LogSpec.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessageContaining(headerOnly + " holds no interactions");
        Path seq = write("empty.txt", "\n  \n");
        assertThatThrownBy(() -> LogReader.read(seq, spec(LogSpec.Format.SEQUENCES)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("holds no interactions");
    }

    @Test
    void aMissingUserColumnNamesTheSettingAndListsTheHeader() throws IOException {
        Path f = write("cols.csv", "who,what,when\na,x,1\n");
        assertThatThrownBy(() -> LogReader.read(f, spec(LogSpec.Format.CSV))).isInstanceOf(UserInputException.class)
                .hasMessageContaining("holds the user")
                .hasMessageContaining("(its header: who, what, when)")
                .hasMessageContaining("data.user_col");
        // a configured name that is not in the header: still a CSV log (not a headerless ratings file), and
        // the error names the setting
        assertThat(LogReader.detect(f, columns("visitor", "what", "", "", "", Map.of(), 0)))
                .isEqualTo(LogSpec.Format.CSV);
        assertThatThrownBy(() -> LogReader.read(f, columns("visitor", "what", "", "", "", Map.of(), 0)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("data.user_col=visitor")
                .hasMessageContaining("who, what, when");
        // configured names work, in any case
        InteractionLog log = LogReader.read(f, columns("WHO", "what", "when", "", "", Map.of(), 0));
        assertThat(itemsOf(log, "a")).containsExactly("x");
        assertThat(log.hasTimes()).isTrue();
    }

    @Test
    void timestampTiesKeepTheFileOrder() throws IOException {
        Path f = write("ties.csv", "user,item,time\n"
                + "u,a,10\nu,b,5\nu,c,10\nu,d,5\nv,e,7\nu,f,5\n");
        InteractionLog log = LogReader.read(f, LogSpec.DEFAULT);
        // time 5: b, d, f in file order; then time 10: a, c
        assertThat(itemsOf(log, "u")).containsExactly("b", "d", "f", "a", "c");
        assertThat(timesOf(log, "u")).containsExactly(5, 5, 5, 10, 10);
        assertThat(itemsOf(log, "v")).containsExactly("e");
    }

    @Test
    void withoutATimeColumnTheFileOrderIsTheTimeOrder() throws IOException {
        Path f = write("order.csv", "user,item\nu,c\nv,a\nu,b\n");
        InteractionLog log = LogReader.read(f, LogSpec.DEFAULT);
        assertThat(log.hasTimes()).isFalse();
        assertThat(itemsOf(log, "u")).containsExactly("c", "b");
    }

    // ---------------------------------------------------------------- sequences

    @Test
    void sequencesAppendTheItemsOfAUserOnSeveralLines() throws IOException {
        Path f = write("seq.txt", "u1 a b c\nu2\tx  y\n\nu1 d\nu3\n");
        InteractionLog log = LogReader.read(f, LogSpec.DEFAULT);
        assertThat(log.identity().layout()).isEqualTo(Layout.SEQUENCES);
        assertThat(log.hasTimes()).isFalse();
        assertThat(itemsOf(log, "u1")).containsExactly("a", "b", "c", "d");
        assertThat(itemsOf(log, "u2")).containsExactly("x", "y");
        assertThat(log.userIds().index("u3")).isEqualTo(-1); // a user without items adds nothing
        assertThat(log.size()).isEqualTo(6);
    }

    @Test
    void aCsvLineInASequenceFileIsReported() throws IOException {
        Path f = write("seq.txt", "u1 a b\nu2,x,y\n");
        assertThatThrownBy(() -> LogReader.read(f, spec(LogSpec.Format.SEQUENCES)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(f + " line 2")
                .hasMessageContaining("data.format=csv");
    }

    // ---------------------------------------------------------------- detection and MovieLens

    @Test
    void detectRecognisesEveryFormat() throws IOException {
        Path ml = Files.createDirectory(dir.resolve("ml"));
        Files.writeString(ml.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,10,4.0,100\n");
        assertThat(LogReader.detect(ml, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.MOVIELENS);
        assertThat(LogReader.detect(ml.resolve("ratings.csv"), LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.MOVIELENS);
        Path headerless = write("plain.csv", "1,10,4.0,100\n2,10,3.0,101\n");
        assertThat(LogReader.detect(headerless, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.MOVIELENS);
        Path csv = write("log.csv", "\uFEFF\"user_id\",item_id\na,b\n");
        assertThat(LogReader.detect(csv, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.CSV);
        Path tsv = write("log.tsv", "visitorid\titemid\tnote, with comma\na\tb\tc\n");
        assertThat(LogReader.detect(tsv, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.TSV);
        Path seq = write("seq.txt", "\nu1 a b c\n");
        assertThat(LogReader.detect(seq, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.SEQUENCES);
        // a header whose user column is no usual name, once data.user_col names it
        Path custom = write("custom.csv", "shopper,sku\na,b\n");
        assertThat(LogReader.detect(custom, columns("shopper", "sku", "", "", "", Map.of(), 0)))
                .isEqualTo(LogSpec.Format.CSV);
        // a folder with a single log CSV is that CSV
        Path folder = Files.createDirectory(dir.resolve("one"));
        Files.writeString(folder.resolve("events.csv"), "user,item\na,b\n");
        assertThat(LogReader.detect(folder, LogSpec.DEFAULT)).isEqualTo(LogSpec.Format.CSV);
        assertThatThrownBy(() -> LogReader.detect(dir.resolve("nope.csv"), LogSpec.DEFAULT))
                .isInstanceOf(UserInputException.class).hasMessageContaining("does not exist");
    }

    @Test
    void movieLensIsReadAsRatingsWithMinRatingAndMetadataFollowingTheRenumbering() throws IOException {
        Path ml = Files.createDirectory(dir.resolve("ml-latest-small"));
        Files.writeString(ml.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n"
                + "1,10,4.0,300\n1,20,2.0,100\n1,30,5.0,200\n2,20,1.0,50\n2,10,3.5,60\n");
        Files.writeString(ml.resolve("movies.csv"), "movieId,title,genres\n"
                + "10,Ten (1990),Comedy\n20,Twenty (1991),Drama|Horror\n30,\"Thirty, The (1992)\",Comedy|Drama\n");
        LogSpec atLeast3 = new LogSpec(LogSpec.Format.AUTO, "", "", "", "", "", Map.of(), 3.0, 0, 0,
                LogSpec.Repeats.KEEP);
        InteractionLog log = LogReader.read(ml, atLeast3);
        assertThat(log.ratings()).isTrue();
        // item 20 is rated 2 and 1 only: it disappears; user 1 keeps 30 (t 200) then 10 (t 300)
        assertThat(log.itemCount()).isEqualTo(2);
        assertThat(log.itemIds().index("20")).isEqualTo(-1);
        assertThat(itemsOf(log, "1")).containsExactly("30", "10");
        assertThat(weightsOf(log, "1")).containsExactly(5f, 4f);
        assertThat(itemsOf(log, "2")).containsExactly("10");
        // titles and genres moved with the items
        for (int i = 0; i < log.itemCount(); i++) {
            String raw = log.itemIds().raw(i);
            assertThat(log.metadata().title(i)).isEqualTo(raw.equals("10") ? "Ten (1990)" : "Thirty, The (1992)");
        }
        int thirty = log.itemIds().index("30");
        assertThat(log.metadata().genres(thirty)).containsExactly("Comedy", "Drama");
        assertThat(log.identity().items()).isEqualTo(2);
        assertThat(log.identity().ratings()).isEqualTo(3); // 4.0, 5.0 of user 1 and 3.5 of user 2
        // everything below the threshold: a clear error
        LogSpec atLeast9 = new LogSpec(LogSpec.Format.AUTO, "", "", "", "", "", Map.of(), 9.0, 0, 0,
                LogSpec.Repeats.KEEP);
        assertThatThrownBy(() -> LogReader.read(ml, atLeast9)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("data.min_rating=9.0");
    }

    @Test
    void aFolderNeedsAutoDetection() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("f"));
        Files.writeString(folder.resolve("events.csv"), "user,item\na,b\n");
        assertThatThrownBy(() -> LogReader.read(folder, spec(LogSpec.Format.CSV)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("is a folder");
        assertThat(LogReader.read(folder, LogSpec.DEFAULT).size()).isEqualTo(1);
    }
}
