import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.recsysrl.baselines.MostPopular;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.LogReader;
import org.recsysrl.data.LogSpec;
import org.recsysrl.eval.Bootstrap;
import org.recsysrl.eval.Estimate;
import org.recsysrl.eval.FullRankingEvaluator;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.eval.OfflineSplit;
import org.recsysrl.eval.ProtocolSpec;
import org.recsysrl.eval.RankingResult;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.spark.LogPreparation;
import org.recsysrl.spark.PreparedLog;
import org.recsysrl.spark.ScoringModel;
import org.recsysrl.spark.SparkBaselines;
import org.recsysrl.spark.SparkEvaluation;

/**
 * The scaling table of docs/spark.md: one log through the same pipeline on either path — read,
 * 5-core filter, leave-one-out split, then popularity fitted and ranked against the whole catalog for
 * every test user with 1,000 bootstrap resamples — printing the time of each step, the process's CPU
 * time, the load average and the figures that must be equal on both paths: a checksum of the split
 * (every user, position, item and part; independent of row order) and the metrics to 10 digits.
 *
 * <pre>
 * scripts/spark-scale.sh jvm   LOG.tsv
 * scripts/spark-scale.sh spark LOG.tsv [SHUFFLE_PARTITIONS]
 * </pre>
 */
public class SparkScale {
    /** A 64-bit mix of one split row, summed over the rows (so the order of the rows does not matter). */
    static long rowHash(long user, long position, long item, long part) {
        long h = (user + 1) * 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 29) ^ (position + 17)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 31) ^ (item + 101)) * 0x94D049BB133111EBL;
        h = (h ^ (h >>> 30) ^ part) * 0xD6E8FEB86659FD93L;
        return h ^ (h >>> 32);
    }

    static int partCode(String part) {
        return switch (part) {
            case LogPreparation.TRAIN -> 0;
            case LogPreparation.VALID -> 1;
            case LogPreparation.TEST -> 2;
            default -> 3;
        };
    }

    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static void report(String path, long interactions, int users, int items, double prepare, double evaluate,
            long checksum, RankingResult r, Estimate[] e) {
        int hr = r.indexOf("hr@10");
        System.out.printf(Locale.ROOT, "%s: %d interactions, %d users, %d items; prepare %.1f s; popularity + evaluation "
                + "%.1f s; process CPU %.1f s; load %s%n  split checksum %016x; users %d ndcg@10 %.10f hr@10 %.10f "
                + "[%.10f, %.10f] coverage@10 %.10f gini@10 %.10f%n", path, interactions, users, items, prepare, evaluate,
                cpuSeconds(), load(), checksum, r.userCount(), r.mean("ndcg@10"), r.mean("hr@10"), e[hr].low(),
                e[hr].high(), r.catalog().get("coverage@10"), r.catalog().get("gini@10"));
    }

    public static void main(String[] args) {
        String path = args[1];
        LogSpec spec = new LogSpec(LogSpec.Format.AUTO, "", "", "", "", "", Map.of(), 0.0, 5, 5, LogSpec.Repeats.KEEP);
        OfflineBenchmark.Settings settings = new OfflineBenchmark.Settings(new int[] {1, 5, 10, 20}, 10, "ndcg", true,
                1000, 0, 0, 2);
        System.out.println("start: load " + load());
        if (args[0].equals("jvm")) {
            inJvm(path, spec, settings);
        } else {
            onSpark(path, spec, settings, args.length > 2 ? args[2] : "8");
        }
    }

    static void inJvm(String path, LogSpec spec, OfflineBenchmark.Settings settings) {
        long t0 = System.nanoTime();
        InteractionLog log = LogReader.read(Path.of(path), spec);
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        long t1 = System.nanoTime();
        long checksum = 0;
        for (int u = 0; u < log.userCount(); u++) {
            for (int p = log.start(u); p < log.end(u); p++) {
                int part = p < split.fitEnd(u) ? 0 : p < split.validEnd(u) ? 1 : p < split.testEnd(u) ? 2 : 3;
                checksum += rowHash(u, p - log.start(u), log.items()[p], part);
            }
        }
        long t2 = System.nanoTime();
        var popular = new MostPopular().prepare(split.trainPart(), new FitContext(2, 0, true, false))
                .fit(Hyperparameters.NONE);
        RankingResult r = FullRankingEvaluator.evaluate(popular, split.testTask(true), OfflineBenchmark.setup(split, settings),
                2, null);
        Estimate[] e = Bootstrap.intervals(r, settings.bootstrap(), settings.seed());
        long t3 = System.nanoTime();
        report("in-JVM " + path, log.size(), log.userCount(), log.itemCount(), (t1 - t0) / 1e9, (t3 - t2) / 1e9,
                checksum, r, e);
    }

    static void onSpark(String path, LogSpec spec, OfflineBenchmark.Settings settings, String partitions) {
        long t0 = System.nanoTime();
        SparkSession spark = SparkSession.builder().master(System.getProperty("spark.master", "local[2]"))
                .appName("recsys-rl spark-scale").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", partitions).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        long t1 = System.nanoTime();
        PreparedLog log = LogPreparation.prepare(spark, path, LogPreparation.Format.of("auto", path), spec,
                ProtocolSpec.LOO);
        long t2 = System.nanoTime();
        long checksum = 0;
        for (Iterator<Row> it = log.interactions().select(LogPreparation.USER, LogPreparation.POS, LogPreparation.ITEM,
                LogPreparation.PART).toLocalIterator(); it.hasNext();) {
            Row row = it.next();
            checksum += rowHash(row.getInt(0), row.getInt(1), row.getInt(2), partCode(row.getString(3)));
        }
        long t3 = System.nanoTime();
        ScoringModel popular = SparkBaselines.popularity(log);
        SparkEvaluation.Result result = SparkEvaluation.evaluate(spark, log, popular, SparkEvaluation.Task.TEST, settings);
        long t4 = System.nanoTime();
        System.out.printf(Locale.ROOT, "session start %.1f s; checksum pass %.1f s%n", (t1 - t0) / 1e9, (t3 - t2) / 1e9);
        report("Spark " + spark.sparkContext().master() + " " + path, log.size(), log.userCount(), log.itemCount(),
                (t2 - t1) / 1e9, (t4 - t3) / 1e9, checksum, result.ranking(), result.intervals());
        spark.stop();
    }
}
