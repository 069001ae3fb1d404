package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

class RatingsReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    private Path writeLatin1(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String uItemLine(String id, String title, int... genres) {
        StringBuilder s = new StringBuilder(id + "|" + title + "|01-Jan-1995||http://us.imdb.com/M/x");
        for (int g = 0; g < 19; g++) {
            boolean on = false;
            for (int x : genres) {
                on |= x == g;
            }
            s.append(on ? "|1" : "|0");
        }
        return s.append('\n').toString();
    }

    // ---------------------------------------------------------------- well-formed files

    @Test
    void readsMovieLens100kWithLatin1Titles() throws IOException {
        write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t5\t881251000\n22\t377\t1\t878887116\n");
        writeLatin1("u.item", uItemLine("242", "Kolya (1996)", 5)
                + uItemLine("302", "L.A. Confidential (1997)", 6, 10, 13, 16)
                + uItemLine("999", "Never Rated (1990)", 1)
                + uItemLine("377", "Café au lait (1993)", 5));
        // the é really is one Latin-1 byte
        assertThat(Files.readAllBytes(dir.resolve("u.item"))).contains((byte) 0xE9);

        RatingDataset d = RatingsReader.load(dir);
        assertThat(d.identity().layout()).isEqualTo(Layout.ML_100K);
        assertThat(d.size()).isEqualTo(4);
        assertThat(d.userCount()).isEqualTo(3);
        assertThat(d.itemCount()).isEqualTo(3);
        assertThat(d.users()).containsExactly(0, 1, 0, 2);
        assertThat(d.items()).containsExactly(0, 1, 1, 2);
        assertThat(d.ratings()).containsExactly(3f, 3f, 5f, 1f);
        assertThat(d.timestamps()).containsExactly(881250949L, 891717742L, 881251000L, 878887116L);
        assertThat(d.hasTimestamps()).isTrue();
        assertThat(d.userIds().raw(2)).isEqualTo("22");
        assertThat(d.itemIds().index("377")).isEqualTo(2);
        assertThat(d.minRating()).isEqualTo(1f);
        assertThat(d.maxRating()).isEqualTo(5f);
        assertThat(d.meanRating()).isEqualTo(3.0);

        ItemMetadata meta = d.itemMetadata();
        assertThat(meta.itemCount()).isEqualTo(3);
        assertThat(meta.describedCount()).isEqualTo(3); // "Never Rated" is skipped
        assertThat(meta.title(0)).isEqualTo("Kolya (1996)");
        assertThat(meta.title(2)).isEqualTo("Café au lait (1993)");
        assertThat(meta.genres(0)).containsExactly("Comedy");
        assertThat(meta.genres(1)).containsExactly("Crime", "Film-Noir", "Mystery", "Thriller");
        assertThat(meta.genreCount()).isEqualTo(19);
        assertThat(meta.hasGenre(1, 10)).isTrue();
        assertThat(meta.hasGenre(1, 5)).isFalse();
    }

    @Test
    void readsMovieLens1mWithDoubleColonFields() throws IOException {
        write("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n");
        writeLatin1("movies.dat", "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n"
                + "661::James and the Giant Peach (1996)::Animation|Children's|Musical\n"
                + "2::Jumanji (1995)::Adventure|Children's|Fantasy\n"
                + "3::Ça va (1999)::Comedy\n");
        RatingDataset d = RatingsReader.load(dir);
        assertThat(d.identity().layout()).isEqualTo(Layout.ML_1M);
        assertThat(d.users()).containsExactly(0, 0, 1);
        assertThat(d.items()).containsExactly(0, 1, 0);
        assertThat(d.ratings()).containsExactly(5f, 3f, 4f);
        assertThat(d.timestamp(2)).isEqualTo(978298413L);
        ItemMetadata meta = d.itemMetadata();
        assertThat(meta.title(0)).isEqualTo("One Flew Over the Cuckoo's Nest (1975)");
        assertThat(meta.genres(1)).containsExactly("Animation", "Children's", "Musical");
        assertThat(meta.genreNames()).containsExactly("Drama", "Animation", "Children's", "Musical");
    }

    @Test
    void readsMovieLensLatestWithQuotedTitlesCommasAndDoubledQuotes() throws IOException {
        write("ratings.csv", "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,31,2.5,964982224\r\n"
                + "2,6,0.5,1445714835\r\n2,7,3.5,1445714836\r\n2,8,5,1445714837\r\n");
        write("movies.csv", "movieId,title,genres\n"
                + "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n"
                + "31,\"American President, The (1995)\",Comedy|Drama|Romance\n"
                + "6,\"Cheech & Chong's \"\"Up in Smoke\"\" (1978)\",Comedy\n"
                + "7,\"\"\"Great Performances\"\" Cats (1998)\",Musical\n"
                + "8,\"Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)\",(no genres listed)\n");
        RatingDataset d = RatingsReader.load(dir);
        assertThat(d.identity().layout()).isEqualTo(Layout.ML_LATEST);
        assertThat(d.size()).isEqualTo(5);
        assertThat(d.ratings()).containsExactly(4f, 2.5f, 0.5f, 3.5f, 5f);
        assertThat(d.minRating()).isEqualTo(0.5f);
        ItemMetadata meta = d.itemMetadata();
        int president = d.itemIds().index("31");
        assertThat(meta.title(president)).isEqualTo("American President, The (1995)");
        assertThat(meta.genres(president)).containsExactly("Comedy", "Drama", "Romance");
        assertThat(meta.title(d.itemIds().index("6"))).isEqualTo("Cheech & Chong's \"Up in Smoke\" (1978)");
        assertThat(meta.title(d.itemIds().index("7"))).isEqualTo("\"Great Performances\" Cats (1998)");
        int amelie = d.itemIds().index("8");
        assertThat(meta.title(amelie)).isEqualTo("Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)");
        assertThat(meta.genreCountOf(amelie)).isZero();
    }

    @Test
    void movieCsvQuotedFieldMaySpanLines() throws IOException {
        write("ratings.csv", "userId,movieId,rating,timestamp\n1,5,4.0,1\n");
        write("movies.csv", "movieId,title,genres\n5,\"Two\nLines\",Drama\n");
        assertThat(RatingsReader.load(dir).itemMetadata().title(0)).isEqualTo("Two\nLines");
    }

    @Test
    void readsGenericCsvWithAndWithoutHeaderAndTimestamps() throws IOException {
        Path withHeader = write("log.csv", "\uFEFFuser,item,rating,timestamp\n alice , \"m-1\" ,4,100\n\nbob,m-2,2.5,50\n   \nalice,m-2,1,101\n");
        RatingDataset a = RatingsReader.load(withHeader);
        assertThat(a.identity().layout()).isEqualTo(Layout.GENERIC_CSV);
        assertThat(a.size()).isEqualTo(3);
        assertThat(a.userIds().raw(0)).isEqualTo("alice");
        assertThat(a.itemIds().raw(0)).isEqualTo("m-1");
        assertThat(a.users()).containsExactly(0, 1, 0);
        assertThat(a.items()).containsExactly(0, 1, 1);
        assertThat(a.timestamps()).containsExactly(100L, 50L, 101L);
        assertThat(a.itemMetadata().describedCount()).isZero();

        Files.delete(withHeader);
        Path plain = write("plain.csv", "10,20,3\n11,20,4\n");
        RatingDataset b = RatingsReader.load(dir); // the single .csv in the directory
        assertThat(b.identity().path()).isEqualTo(plain.toString());
        assertThat(b.hasTimestamps()).isFalse();
        assertThat(b.timestamps()).containsExactly(0L, 0L);
        assertThat(b.ratings()).containsExactly(3f, 4f);
    }

    @Test
    void identityIsTheSha256OfTheRatingsFileAndChangesWithIt() throws Exception {
        Path f = write("ratings.dat", "1::10::5::100\n2::10::3::200\n");
        RatingDataset d = RatingsReader.load(dir);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        DataIdentity id = d.identity();
        assertThat(id.sha256()).isEqualTo(expected);
        assertThat(id.bytes()).isEqualTo(Files.size(f));
        assertThat(id.ratings()).isEqualTo(2);
        assertThat(id.users()).isEqualTo(2);
        assertThat(id.items()).isEqualTo(1);
        assertThat(DataIdentity.fromMetadata(id.toMetadata(), "ckpt")).isEqualTo(id);
        DataIdentity again = RatingsReader.load(f).identity();
        assertThat(again).isEqualTo(id);
        id.requireSame(again, "checkpoint c"); // same data: no exception

        write("ratings.dat", "1::10::5::100\n2::10::4::200\n");
        DataIdentity changed = RatingsReader.load(dir).identity();
        assertThat(changed.sha256()).isNotEqualTo(id.sha256());
        assertThat(changed.sameData(id)).isFalse();
        assertThatThrownBy(() -> id.requireSame(changed, "checkpoint c.safetensors"))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("checkpoint c.safetensors")
                .hasMessageContaining(id.sha256().substring(0, 12))
                .hasMessageContaining(changed.sha256().substring(0, 12))
                .hasMessageContaining("--data");
    }

    @Test
    void inMemoryBuilderGivesADeterministicIdentity() {
        RatingDataset a = new RatingDataset.Builder().add("u", "i", 4f, 1).add("v", "i", 2f, 2).build();
        RatingDataset b = new RatingDataset.Builder().add("u", "i", 4f, 1).add("v", "i", 2f, 2).build();
        RatingDataset c = new RatingDataset.Builder().add("u", "i", 4f, 1).add("v", "i", 3f, 2).build();
        assertThat(a.identity().layout()).isEqualTo(Layout.IN_MEMORY);
        assertThat(a.identity()).isEqualTo(b.identity());
        assertThat(a.identity().sameData(c.identity())).isFalse();
        assertThat(a.users()).containsExactly(0, 1);
        assertThatThrownBy(() -> new RatingDataset.Builder().add("u", "i", Float.NaN, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- malformed files

    private static void assertOneLineError(Throwable e, String... parts) {
        assertThat(e).isInstanceOf(UserInputException.class);
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
        for (String p : parts) {
            assertThat(e.getMessage()).contains(p);
        }
    }

    private Throwable loadError(Path p) {
        return org.assertj.core.api.Assertions.catchThrowable(() -> RatingsReader.load(p));
    }

    @Test
    void latestRatingsLineWithTooFewFieldsNamesFileLineAndExpectation() throws IOException {
        Path f = write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,31,2.5\n");
        Throwable e = loadError(dir);
        assertOneLineError(e, f + " line 3: expected 4 comma-separated fields userId,movieId,rating,timestamp, got 3",
                "1,31,2.5", "fix or remove the line");
    }

    @Test
    void eachLayoutNamesItsOwnFieldsInErrors() throws IOException {
        write("u.data", "1\t2\t3\t4\n1\t2\t3\n");
        assertOneLineError(loadError(dir), "u.data line 2: expected 4 tab-separated fields user_id item_id rating timestamp, got 3");
        Files.delete(dir.resolve("u.data"));

        write("ratings.dat", "1::2::3::4\n\n1::2::3::4::5\n");
        assertOneLineError(loadError(dir), "ratings.dat line 3: expected 4 ::-separated fields UserID::MovieID::Rating::Timestamp, got 5");
        Files.delete(dir.resolve("ratings.dat"));

        Path g = write("g.csv", "u,i,3,10\nu,j,4\n");
        assertOneLineError(loadError(g), "g.csv line 2: expected 4 comma-separated fields user,item,rating,timestamp (as on line 1), got 3");
        write("g.csv", "u,i\n");
        assertOneLineError(loadError(g), "g.csv line 1: expected 3 or 4 comma-separated fields user,item,rating[,timestamp], got 2");
    }

    @Test
    void badValuesAreReportedWithTheirLine() throws IOException {
        Path f = write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,1\n1,2,four,2\n");
        assertOneLineError(loadError(f), "line 3: rating \"four\" is not a finite number");
        write("ratings.csv", "1,1,4.0,1\n1,2,NaN,2\n");
        assertOneLineError(loadError(f), "line 2: rating \"NaN\" is not a finite number");
        write("ratings.csv", "1,1,4.0,1\n1,2,3.0,yesterday\n");
        assertOneLineError(loadError(f), "line 2: timestamp \"yesterday\" is not an integer");
        write("ratings.csv", "1,1,4.0,1\n,2,3.0,5\n");
        assertOneLineError(loadError(f), "line 2: empty userId");
        write("ratings.csv", "userId,movieId,rating,timestamp\n");
        assertOneLineError(loadError(f), f + " holds no ratings");
    }

    @Test
    void malformedMetadataLinesAreReportedToo() throws IOException {
        write("u.data", "1\t2\t3\t4\n");
        writeLatin1("u.item", uItemLine("2", "Fine (1995)") + "3|Short|x\n");
        assertOneLineError(loadError(dir), "u.item line 2: expected 24 |-separated fields", "got 3");
        writeLatin1("u.item", uItemLine("2", "Fine (1995)").replace("|0|0\n", "|0|7\n"));
        assertOneLineError(loadError(dir), "u.item line 1: genre flag 19 (Western) is \"7\", expected 0 or 1");
        Files.delete(dir.resolve("u.data"));
        Files.delete(dir.resolve("u.item"));

        write("ratings.csv", "userId,movieId,rating,timestamp\n1,5,4.0,1\n");
        write("movies.csv", "movieId,title,genres\n5,\"Open quote (1999),Drama\n6,Next,Drama\n");
        assertOneLineError(loadError(dir), "movies.csv line 2: a quoted field is never closed");
        write("movies.csv", "movieId,title,genres\n5,\"Bad\"x,Drama\n");
        assertOneLineError(loadError(dir), "movies.csv line 2: unexpected character 'x' after a closing quote");
        write("movies.csv", "movieId,title,genres\n5,Comma, The (1999),Drama\n");
        assertOneLineError(loadError(dir), "movies.csv line 2: expected 3 comma-separated fields movieId,title,genres", "got 4");
        Files.delete(dir.resolve("ratings.csv"));
        Files.delete(dir.resolve("movies.csv"));

        write("ratings.dat", "1::5::4::1\n");
        writeLatin1("movies.dat", "5 Title Drama\n");
        assertOneLineError(loadError(dir), "movies.dat line 1: expected 3 ::-separated fields MovieID::Title::Genres");
    }

    @Test
    void missingFileIsAUserError() {
        Throwable e = loadError(dir.resolve("nope"));
        assertOneLineError(e, "nope", "does not exist");
    }

    @Test
    void longMalformedLinesAreShortenedInTheMessage() throws IOException {
        String longField = "x".repeat(500);
        write("ratings.dat", "1::2::3\t" + longField + "\n");
        Throwable e = loadError(dir);
        assertOneLineError(e, "ratings.dat line 1", "got 3");
        assertThat(e.getMessage().length()).isLessThan(300);
    }

    @Test
    void parsesNumbersFromBytes() {
        for (String s : List.of("4", "4.0", "3.5", "0.5", "-1.25", "+2", "5.", "1e1", "12345678901234567")) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            assertThat(RatingsReader.parseRating(b, 0, b.length)).as(s).isEqualTo(Double.parseDouble(s));
        }
        for (String s : List.of("", ".", "-", "abc", "NaN", "Infinity", "4,5", "0x1p3", "5f")) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            assertThat(RatingsReader.parseRating(b, 0, b.length)).as(s).isNaN();
        }
        byte[] ts = "-964982703".getBytes(StandardCharsets.US_ASCII);
        assertThat(RatingsReader.parseLong(ts, 0, ts.length)).isEqualTo(-964982703L);
        byte[] bad = "12a".getBytes(StandardCharsets.US_ASCII);
        assertThat(RatingsReader.parseLong(bad, 0, bad.length)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void readsLinesLongerThanTheBufferAndManyLinesAcrossBufferBoundaries() throws IOException {
        StringBuilder s = new StringBuilder();
        int n = 20_000; // ~ 300 KB, several 64 KB buffer refills
        for (int k = 0; k < n; k++) {
            s.append(k % 97).append(',').append(k % 89).append(',').append(1 + k % 5).append(',').append(k).append('\n');
        }
        String big = "u" + "x".repeat(200_000);
        s.append(big).append(",1,2,3"); // last line without newline and longer than the buffer
        Path f = write("big.csv", s.toString());
        RatingDataset d = RatingsReader.load(f);
        assertThat(d.size()).isEqualTo(n + 1);
        assertThat(d.timestamp(12_345)).isEqualTo(12_345L);
        assertThat(d.rating(12_345)).isEqualTo(1 + 12_345 % 5);
        assertThat(d.userIds().raw(d.user(n))).isEqualTo(big);
    }
}
