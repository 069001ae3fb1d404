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
}
