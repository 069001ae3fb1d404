package org.recsysrl.data;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * A generator of realistic interaction logs of any size, written as a stream (one user at a time,
 * so 25 million lines need no more memory than 2 million): item popularity follows a power law,
 * user activity is heavy-tailed, and each user's interactions come in timed sessions that stay
 * on a topic, so neighbourhood and sequence models have something to find.
 *
 * <ul>
 *   <li><b>Items.</b> Popularity rank r (0 = most popular) is drawn with probability proportional
 *       to {@code 1 / (r + 1)^s} (Zipf, {@link Settings#zipfExponent()}); ranks are mapped to item
 *       ids by a seeded permutation, so an id says nothing about popularity. Item rank r belongs to
 *       topic {@code r mod T}, so every topic has popular and rare items.</li>
 *   <li><b>Users.</b> User u's number of interactions is {@code minPerUser} plus a share of the rest
 *       proportional to a log-normal weight {@code exp(σ·z)} ({@link Settings#activitySigma()}),
 *       rounded so that the total is exactly {@link Settings#interactions()}.</li>
 *   <li><b>Sessions.</b> Session lengths are geometric with mean {@link Settings#meanSessionLength()};
 *       within a session consecutive events are seconds to minutes apart (exponential, mean 90 s),
 *       sessions are hours to weeks apart (exponential, mean 3 days); a user starts at a uniform time
 *       in 2019–2023. A session has a topic (the user's favourite with probability 0.7, otherwise
 *       a uniform one); each item is drawn within the session's topic with probability
 *       {@link Settings#topicShare()}, otherwise from the whole catalog.</li>
 * </ul>
 *
 * <p>The output is a TSV file with the header {@code user_id item_id timestamp} (Unix seconds),
 * users in order, each user's events in time order. The same settings give the same bytes.
 */
public final class SyntheticLog {
    /** 2019-01-01T00:00:00Z. */
    static final long START = 1_546_300_800L;
    /** Five years of seconds: users start uniformly in [START, START + SPAN). */
    static final long SPAN = 5L * 365 * 86_400;
    private static final double WITHIN_SESSION_GAP = 90;
    private static final double BETWEEN_SESSIONS_GAP = 3 * 86_400;
    private static final double FAVOURITE_TOPIC = 0.7;

    private SyntheticLog() {
    }

    /**
     * What to generate.
     *
     * @param interactions lines to write (at least {@code users × minPerUser})
     * @param users number of users (each gets at least {@code minPerUser} lines)
     * @param items catalog size (ids {@code 0..items-1}; the rarest may never be drawn)
     * @param zipfExponent exponent s of item popularity (1.0 is close to MovieLens and retail logs)
     * @param activitySigma σ of the log-normal user activity (1.2: the most active user has about
     *     a hundred times the mean)
     * @param minPerUser interactions every user has at least (5 survives a 5-core filter of users)
     * @param meanSessionLength mean events per session
     * @param topicShare probability that an item comes from the session's topic
     * @param topics number of topics (0 = one per 500 items, at least 1)
     * @param seed seed of everything
     */
    public record Settings(long interactions, int users, int items, double zipfExponent, double activitySigma,
            int minPerUser, double meanSessionLength, double topicShare, int topics, long seed) {
        /** Defaults for the sizes: Zipf 1.0, σ 1.2, at least 5 per user, sessions of 8, topic share 0.5. */
        public static Settings of(long interactions, int users, int items, long seed) {
            return new Settings(interactions, users, items, 1.0, 1.2, 5, 8, 0.5, 0, seed);
        }

        /**
         * Checks the settings.
         *
         * @throws UserInputException naming the setting and the fix
         */
        public void validate() {
            if (users < 1 || items < 1) {
                throw new UserInputException("--users and --items must be at least 1 (got " + users + " and " + items
                        + ")");
            }
            if (minPerUser < 1) {
                throw new UserInputException("--min-per-user must be at least 1 (got " + minPerUser + ")");
            }
            if (interactions < (long) users * minPerUser) {
                throw new UserInputException(String.format(Locale.ROOT, "--interactions %,d is less than --users %,d"
                        + " × --min-per-user %d: raise --interactions or lower --users", interactions, users, minPerUser));
            }
            if (!(zipfExponent >= 0 && zipfExponent <= 5)) {
                throw new UserInputException("--zipf must be in [0, 5] (got " + zipfExponent + ")");
            }
            if (!(activitySigma >= 0 && activitySigma <= 5)) {
                throw new UserInputException("--activity-sigma must be in [0, 5] (got " + activitySigma + ")");
            }
            if (!(meanSessionLength >= 1)) {
                throw new UserInputException("--session-length must be at least 1 (got " + meanSessionLength + ")");
            }
            if (!(topicShare >= 0 && topicShare <= 1)) {
                throw new UserInputException("--topic-share must be in [0, 1] (got " + topicShare + ")");
            }
            if (topics < 0 || topics > items) {
                throw new UserInputException("--topics must be in [0, --items] (got " + topics + ")");
            }
        }

        int topicCount() {
            return topics > 0 ? topics : Math.max(1, items / 500);
        }
    }

    /**
     * How many interactions each user gets: {@code minPerUser} plus a log-normal share of the rest,
     * summing exactly to {@code interactions}.
     */
    static long[] activity(Settings s) {
        int u = s.users();
        double[] w = new double[u];
        double sum = 0;
        Rng rng = Rng.stream(s.seed(), 1);
        for (int i = 0; i < u; i++) {
            w[i] = Math.exp(s.activitySigma() * rng.nextGaussian());
            sum += w[i];
        }
        long rest = s.interactions() - (long) u * s.minPerUser();
        long[] counts = new long[u];
        long given = 0;
        for (int i = 0; i < u; i++) {
            long extra = (long) Math.floor(rest * (w[i] / sum));
            counts[i] = s.minPerUser() + extra;
            given += extra;
        }
        // the rounding remainder (fewer than u lines): one more each to users in a seeded order
        long left = rest - given;
        for (int i = 0; left > 0; i = (i + 1) % u) {
            counts[i]++;
            left--;
        }
        return counts;
    }

    /** Cumulative Zipf weights of ranks {@code 0..n-1}, normalised to end at 1. */
    static double[] zipfCdf(int n, double exponent) {
        double[] cdf = new double[n];
        double acc = 0;
        for (int r = 0; r < n; r++) {
            acc += Math.pow(r + 1, -exponent);
            cdf[r] = acc;
        }
        for (int r = 0; r < n; r++) {
            cdf[r] /= acc;
        }
        cdf[n - 1] = 1.0;
        return cdf;
    }

    /** A draw from {@code cdf}: the first rank whose cumulative weight exceeds a uniform. */
    static int draw(double[] cdf, int n, Rng rng) {
        double x = rng.nextDouble();
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * Writes the log to {@code out} (header included) and returns the number of lines written
     * after the header.
     */
    public static long write(Settings s, Writer out) throws IOException {
        s.validate();
        int items = s.items();
        int topics = s.topicCount();
        // popularity rank -> item id
        int[] idOfRank = new int[items];
        for (int r = 0; r < items; r++) {
            idOfRank[r] = r;
        }
        Rng.stream(s.seed(), 2).shuffle(idOfRank, items);
        double[] global = zipfCdf(items, s.zipfExponent());
        // topic t holds ranks t, t + T, t + 2T, ...: within-topic rank j is global rank j·T + t
        int perTopic = (items + topics - 1) / topics;
        double[] withinTopic = zipfCdf(perTopic, s.zipfExponent());
        long[] counts = activity(s);
        out.write("user_id\titem_id\ttimestamp\n");
        StringBuilder line = new StringBuilder(40);
        long written = 0;
        double endSession = 1.0 / s.meanSessionLength();
        for (int u = 0; u < s.users(); u++) {
            Rng rng = Rng.stream(s.seed(), 1_000L + u);
            int favourite = rng.nextInt(topics);
            long time = START + (long) (rng.nextDouble() * SPAN);
            int topic = favourite;
            boolean newSession = true;
            for (long e = 0; e < counts[u]; e++) {
                if (newSession) {
                    if (e > 0) {
                        time += 1 + (long) exponential(rng, BETWEEN_SESSIONS_GAP);
                    }
                    topic = rng.nextDouble() < FAVOURITE_TOPIC ? favourite : rng.nextInt(topics);
                } else {
                    time += 1 + (long) exponential(rng, WITHIN_SESSION_GAP);
                }
                int rank;
                if (rng.nextDouble() < s.topicShare()) {
                    int topicSize = (items - topic + topics - 1) / topics; // ranks r < items with r mod T = topic
                    rank = draw(withinTopic, topicSize, rng) * topics + topic;
                } else {
                    rank = draw(global, items, rng);
                }
                line.setLength(0);
                line.append(u).append('\t').append(idOfRank[rank]).append('\t').append(time).append('\n');
                out.append(line);
                written++;
                newSession = rng.nextDouble() < endSession;
            }
        }
        out.flush();
        return written;
    }

    private static double exponential(Rng rng, double mean) {
        return -mean * Math.log(1.0 - rng.nextDouble());
    }
}
