package org.recsysrl.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.recsysrl.util.Rng;

/**
 * Seeded CSV logs for comparing the Spark path with the in-JVM one: string ids, users interleaved
 * in the file (so first appearance decides the numbering), times drawn from a small range (so a
 * user has ties, broken by file order), repeated (user, item) pairs, ratings 1..5 and popular
 * items (so k-core keeps something).
 */
final class LogFixtures {
    private LogFixtures() {
    }

    /**
     * Writes {@code rows} interactions of {@code users} users over {@code items} items to {@code file}
     * ({@code user_id,item_id,rating,timestamp}) and returns it.
     */
    static Path csv(Path file, long seed, int rows, int users, int items) throws IOException {
        Rng rng = new Rng(seed);
        List<String> lines = new ArrayList<>(rows + 1);
        lines.add("user_id,item_id,rating,timestamp");
        for (int k = 0; k < rows; k++) {
            int u = rng.nextInt(users);
            // a skewed catalog: the square of a uniform draw favours low item numbers
            double x = rng.nextDouble();
            int i = (int) (x * x * items);
            long t = 1_000_000L + u * 7L + rng.nextInt(60); // per-user clock, many equal times
            int rating = 1 + rng.nextInt(5);
            lines.add("U" + (u * 7919 % 1000) + "-" + u + ",item" + (items - i) + "," + rating + "," + t);
        }
        Files.write(file, lines);
        return file;
    }

    /**
     * A log with structure a factorisation can find: {@code groups} groups of users, each drawing
     * four in five interactions from its own slice of the catalog (skewed within the slice) and the
     * rest from anywhere; times increase per user.
     */
    static Path clustered(Path file, long seed, int users, int items, int groups, int perUser) throws IOException {
        Rng rng = new Rng(seed);
        List<String> lines = new ArrayList<>();
        lines.add("user_id,item_id,timestamp");
        int slice = items / groups;
        for (int k = 0; k < users * perUser; k++) {
            int u = rng.nextInt(users);
            int g = u % groups;
            double x = rng.nextDouble();
            int i = rng.nextInt(5) < 4 ? g * slice + (int) (x * x * slice) : rng.nextInt(items);
            lines.add("u" + u + ",i" + i + "," + (10_000L + k));
        }
        Files.write(file, lines);
        return file;
    }
}
