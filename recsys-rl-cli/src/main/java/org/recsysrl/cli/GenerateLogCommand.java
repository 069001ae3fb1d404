package org.recsysrl.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.recsysrl.data.SyntheticLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recsys-rl generate-log}: writes a realistic synthetic interaction log of any size (power-law
 * item popularity, heavy-tailed user activity, timed sessions on topics) as a TSV file, streamed to
 * disk, the same bytes for the same settings. See {@link SyntheticLog} and docs/scale.md.
 */
@Command(name = "generate-log", mixinStandardHelpOptions = true,
        description = "Write a synthetic interaction log (user_id, item_id, timestamp; TSV) with power-law item "
                + "popularity, heavy-tailed user activity and timed sessions, deterministic per --seed.")
final class GenerateLogCommand implements Callable<Integer> {
    @Option(names = "--interactions", required = true, description = "lines to write, e.g. 5000000")
    long interactions;

    @Option(names = "--users", required = true, description = "number of users")
    int users;

    @Option(names = "--items", required = true, description = "catalog size")
    int items;

    @Option(names = "--out", required = true, paramLabel = "FILE.tsv", description = "file to write (atomically)")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default 1)")
    long seed;

    @Option(names = "--zipf", defaultValue = "1.0", description = "exponent of the item popularity power law (default 1.0)")
    double zipf;

    @Option(names = "--activity-sigma", defaultValue = "1.2",
            description = "sigma of the log-normal user activity (default 1.2)")
    double activitySigma;

    @Option(names = "--min-per-user", defaultValue = "5", description = "interactions every user has at least (default 5)")
    int minPerUser;

    @Option(names = "--session-length", defaultValue = "8", description = "mean events per session (default 8)")
    double sessionLength;

    @Option(names = "--topic-share", defaultValue = "0.5",
            description = "probability that an item comes from the session's topic (default 0.5)")
    double topicShare;

    @Option(names = "--topics", defaultValue = "0", description = "number of topics (default 0 = one per 500 items)")
    int topics;

    @Override
    public Integer call() {
        SyntheticLog.Settings s = new SyntheticLog.Settings(interactions, users, items, zipf, activitySigma, minPerUser,
                sessionLength, topicShare, topics, seed);
        s.validate();
        long start = System.nanoTime();
        long[] written = new long[1];
        OutputFiles.write(out, stream -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.US_ASCII), 1 << 16);
            written[0] = SyntheticLog.write(s, w);
            w.flush();
        }, "--out");
        System.out.println(String.format(Locale.ROOT, "wrote %,d interactions of %,d users over %,d items to %s in %.1f s",
                written[0], users, items, out, (System.nanoTime() - start) / 1e9));
        return 0;
    }
}
