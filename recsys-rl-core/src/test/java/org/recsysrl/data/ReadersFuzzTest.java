package org.recsysrl.data;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.Fuzz;
import org.recsysrl.util.Mutations;

/**
 * Fuzzes every data reader: small valid files of each layout (MovieLens 100k, 1M and latest with
 * their metadata files, generic ratings CSV, CSV and TSV interaction logs, sequence files) are
 * mutated line by line (fields replaced by NaN, ±Inf, 1e300, −1e6, over-long numbers, quotes,
 * extra or missing fields, CRLF, blank and long lines) and as bytes, now and then given a line of
 * more than a megabyte, and read the way the commands read them: ratings through
 * {@link RatingsReader#load} and on to the {@code movielens} world (split, factorisation,
 * {@link MovieLensSessions#world}), logs through {@link LogReader#read}. Every case must end in a
 * value or a one-line {@link org.recsysrl.util.UserInputException}.
 */
class ReadersFuzzTest {
    private static final long SEED = 4_242L;
    private static final int CASES = 3000;
    private static final FactorizationSpec SMALL_MF = new FactorizationSpec(4, 2, 0.1, true, true, 0.1, 1L, 1);
    private static final LogSpec WEIGHTED = new LogSpec(LogSpec.Format.AUTO, "", "", "", "event", "value",
            LogSpec.parseEventWeights("view=1,cart=2,buy=5"), 0.0, 0, 0, LogSpec.Repeats.KEEP);

    @TempDir
    Path dir;

    /** A data set: files by name, the file to mutate, its field delimiter, and how to read it. */
    private record Sample(String name, Map<String, String> files, String mutated, String delimiter, Reader reader) {}

    @FunctionalInterface
    private interface Reader {
        void read(Path dir) throws Exception;
    }

    private static List<Sample> samples() {
        StringBuilder uData = new StringBuilder();
        StringBuilder ratingsDat = new StringBuilder();
        StringBuilder ratingsCsv = new StringBuilder("userId,movieId,rating,timestamp\n");
        StringBuilder plain = new StringBuilder();
        StringBuilder logCsv = new StringBuilder("user_id,item_id,timestamp,event,value\n");
        StringBuilder logTsv = new StringBuilder("user_id\titem_id\ttimestamp\n");
        StringBuilder sequences = new StringBuilder();
        Random r = new Random(1);
        String[] events = {"view", "cart", "buy"};
        for (int u = 1; u <= 6; u++) {
            sequences.append("u").append(u);
            for (int k = 0; k < 5; k++) {
                int item = 1 + r.nextInt(8);
                int rating = 1 + r.nextInt(5);
                long ts = 880_000_000L + 1000L * (u * 10 + k);
                uData.append(u).append('\t').append(item).append('\t').append(rating).append('\t').append(ts).append('\n');
                ratingsDat.append(u).append("::").append(item).append("::").append(rating).append("::").append(ts).append('\n');
                ratingsCsv.append(u).append(',').append(item).append(',').append(rating).append(".5,").append(ts).append('\n');
                plain.append(u).append(',').append(item).append(',').append(rating).append('\n');
                logCsv.append(u).append(',').append(item).append(",2019-10-0").append(1 + k).append("T08:30:00Z,")
                        .append(events[r.nextInt(3)]).append(',').append(rating).append('\n');
                logTsv.append(u).append('\t').append(item).append('\t').append(ts).append('\n');
                sequences.append(' ').append(item);
            }
            sequences.append('\n');
        }
        StringBuilder uItem = new StringBuilder();
        StringBuilder moviesDat = new StringBuilder();
        StringBuilder moviesCsv = new StringBuilder("movieId,title,genres\n");
        for (int i = 1; i <= 8; i++) {
            uItem.append(i).append("|Movie ").append(i).append(" (1995)|01-Jan-1995||http://x")
                    .append("|0".repeat(18)).append("|1\n");
            moviesDat.append(i).append("::Movie ").append(i).append(" (1995)::Comedy|Drama\n");
            moviesCsv.append(i).append(",\"Movie, ").append(i).append(" (1995)\",Comedy|Drama\n");
        }
        return List.of(
                new Sample("ml-100k", Map.of("u.data", uData.toString(), "u.item", uItem.toString()), "u.data", "\t",
                        ReadersFuzzTest::ratingsPipeline),
                new Sample("ml-100k items", Map.of("u.data", uData.toString(), "u.item", uItem.toString()), "u.item", "|",
                        ReadersFuzzTest::ratingsPipeline),
                new Sample("ml-1m", Map.of("ratings.dat", ratingsDat.toString(), "movies.dat", moviesDat.toString()),
                        "ratings.dat", "::", ReadersFuzzTest::ratingsPipeline),
                new Sample("ml-1m items", Map.of("ratings.dat", ratingsDat.toString(), "movies.dat", moviesDat.toString()),
                        "movies.dat", "::", ReadersFuzzTest::ratingsPipeline),
                new Sample("ml-latest", Map.of("ratings.csv", ratingsCsv.toString(), "movies.csv", moviesCsv.toString()),
                        "ratings.csv", ",", d -> {
                            ratingsPipeline(d);
                            LogReader.read(d, LogSpec.DEFAULT);
                        }),
                new Sample("ml-latest items", Map.of("ratings.csv", ratingsCsv.toString(), "movies.csv",
                        moviesCsv.toString()), "movies.csv", ",", ReadersFuzzTest::ratingsPipeline),
                new Sample("generic csv", Map.of("plain.csv", plain.toString()), "plain.csv", ",", d -> {
                    ratingsPipeline(d.resolve("plain.csv"));
                    LogReader.read(d.resolve("plain.csv"), LogSpec.DEFAULT);
                }),
                new Sample("log csv", Map.of("log.csv", logCsv.toString()), "log.csv", ",", d -> {
                    LogReader.read(d.resolve("log.csv"), WEIGHTED);
                    LogReader.read(d.resolve("log.csv"), LogSpec.DEFAULT);
                }),
                new Sample("log tsv", Map.of("log.tsv", logTsv.toString()), "log.tsv", "\t",
                        d -> LogReader.read(d.resolve("log.tsv"), LogSpec.DEFAULT)),
                new Sample("sequences", Map.of("seq.txt", sequences.toString()), "seq.txt", " ",
                        d -> LogReader.read(d.resolve("seq.txt"), LogSpec.DEFAULT)));
    }

    /** What {@code train --env movielens} does with the data: read, check, split, factorise, build the world. */
    private static void ratingsPipeline(Path path) {
        RatingDataset data = RatingsReader.load(path);
        Split split = Split.chronological(data, SplitSpec.lastK(1, 2));
        FactorizationResult mf = AlsTrainer.fit(split, SMALL_MF, null);
        MovieLensSessions.world(split, mf.model(), 5, 0.5, 3, true);
    }

    @Test
    void mutatedDataFilesEndInAValueOrOneUserError() throws Exception {
        List<Sample> samples = samples();
        List<Path> dirs = new java.util.ArrayList<>();
        for (Sample s : samples) { // the starting points are valid
            Path d = write(dir.resolve(s.name().replace(' ', '-')), s.files());
            s.reader().read(d);
            dirs.add(d);
        }
        Fuzz fuzz = new Fuzz("data readers", SEED);
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            Random rng = new Random(SEED);
            for (int i = 0; i < CASES; i++) {
                int k = rng.nextInt(samples.size());
                Sample s = samples.get(k);
                Path d = dirs.get(k);
                // deleted and created anew, not rewritten in place: ext4 flushes a file truncated and rewritten
                Path file = d.resolve(s.mutated());
                Files.delete(file);
                Files.write(file, mutate(s, rng));
                fuzz.run(i, () -> s.reader().read(d));
            }
        });
        fuzz.assertNoFailures();
    }

    private static byte[] mutate(Sample s, Random rng) {
        String text = s.files().get(s.mutated());
        int kind = rng.nextInt(100);
        if (kind == 0) { // a line of more than a megabyte, without a line break
            return (text + "9".repeat(LineReader.MAX_LINE_BYTES + 10)).getBytes(StandardCharsets.UTF_8);
        }
        byte[] out = kind < 80 ? Mutations.lines(text, s.delimiter(), rng)
                : Mutations.bytes(text.getBytes(StandardCharsets.UTF_8), rng);
        if (rng.nextInt(4) == 0) { // a second mutation on top
            out = Mutations.lines(new String(out, StandardCharsets.UTF_8), s.delimiter(), rng);
        }
        return out;
    }

    private static Path write(Path d, Map<String, String> files) throws IOException {
        Files.createDirectories(d);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(d.resolve(f.getKey()), f.getValue());
        }
        return d;
    }

}
