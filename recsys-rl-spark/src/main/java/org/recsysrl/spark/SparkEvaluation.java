package org.recsysrl.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.struct;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.recsysrl.eval.Bootstrap;
import org.recsysrl.eval.Estimate;
import org.recsysrl.eval.FullRankingEvaluator;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.eval.RankingMetrics;
import org.recsysrl.eval.RankingResult;
import org.recsysrl.eval.RankingSetup;
import org.recsysrl.eval.SparseTopK;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;
import scala.Tuple2;

/**
 * Full-ranking evaluation as a Spark job, with the figures of the in-JVM
 * {@link FullRankingEvaluator}: the model is broadcast ({@link ScoringModel}), each user's history
 * and targets are gathered by user, and every partition scores its users against the whole
 * catalog with the core's {@link RankingMetrics} (the same tie order, {@link RankingSetup#randomTieRank},
 * the same exclusion of known items and dropped targets as {@code eval.EvalTask}). The per-user
 * values come back to the driver, in user order, for the means and the bootstrap intervals of
 * {@link Bootstrap}; the exposure counts for coverage and Gini are summed by item across the cluster.
 */
public final class SparkEvaluation {
    private SparkEvaluation() {
    }

    /**
     * The figures of one model.
     *
     * @param ranking per-user values and catalog figures, as {@link FullRankingEvaluator#evaluate} gives them
     * @param intervals the mean and bootstrap interval of every metric, in {@code ranking.metrics()} order
     */
    public record Result(RankingResult ranking, Estimate[] intervals) {
    }

    /** Which targets: the validation interactions (history = training part) or the test ones (history = training and validation). */
    public enum Task {
        /** Targets labelled {@link LogPreparation#VALID}. */
        VALIDATION,
        /** Targets labelled {@link LogPreparation#TEST}. */
        TEST
    }

    /** What every executor needs besides the model. */
    private record Setup(int[] cutoffs, int mainK, int[] tieRank, int[] trainItemCounts, int trainUsers,
            boolean excludeKnown, boolean test) implements Serializable {
        RankingSetup ranking() {
            return new RankingSetup(cutoffs, mainK, tieRank, trainItemCounts, trainUsers, null, 0);
        }
    }

    /** One user's values and list. */
    private record UserResult(int user, double[] values, int[] list) implements Serializable {
    }

    /** Evaluates {@code model} on {@code log}'s {@code task} with {@code settings}' cut-offs, known-item rule, bootstrap and seed. */
    public static Result evaluate(SparkSession spark, PreparedLog log, ScoringModel model, Task task,
            OfflineBenchmark.Settings settings) {
        if (model.itemCount() != log.itemCount()) {
            throw new org.recsysrl.util.UserInputException(model.name() + " scores " + model.itemCount()
                    + " items but the prepared log has " + log.itemCount() + ": evaluate it on the log it was fitted on");
        }
        long start = System.nanoTime();
        int items = log.itemCount();
        Setup setup = new Setup(settings.cutoffs(), settings.k(), RankingSetup.randomTieRank(items, settings.seed()),
                SparkBaselines.itemCounts(log), SparkBaselines.trainUsers(log), settings.excludeKnown(),
                task == Task.TEST);
        List<String> names = FullRankingEvaluator.metricNames(setup.ranking());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ScoringModel> broadcastModel = jsc.broadcast(model);
        Broadcast<Setup> broadcastSetup = jsc.broadcast(setup);
        JavaRDD<Row> byUser = log.interactions().groupBy(LogPreparation.USER)
                .agg(collect_list(struct(col(LogPreparation.POS), col(LogPreparation.ITEM), col(LogPreparation.WEIGHT),
                        col(LogPreparation.PART))).as("rows"))
                .javaRDD();
        JavaRDD<UserResult> results = byUser.mapPartitions(
                rows -> scorePartition(rows, broadcastModel.value(), broadcastSetup.value())).cache();
        try {
            List<UserResult> collected = new ArrayList<>(results.collect());
            collected.sort((x, y) -> Integer.compare(x.user(), y.user()));
            int width = names.size();
            int[] users = new int[collected.size()];
            double[] values = new double[collected.size() * width];
            for (int k = 0; k < collected.size(); k++) {
                users[k] = collected.get(k).user();
                System.arraycopy(collected.get(k).values(), 0, values, k * width, width);
            }
            int[] cutoffs = setup.cutoffs();
            long[][] exposure = new long[cutoffs.length][items];
            for (Tuple2<Long, Long> e : results.flatMapToPair(r -> exposures(r, cutoffs, items))
                    .reduceByKey(Long::sum).collect()) {
                long key = e._1();
                exposure[(int) (key / items)][(int) (key % items)] = e._2();
            }
            Map<String, Double> catalog = new LinkedHashMap<>();
            for (int c = 0; c < cutoffs.length; c++) {
                int distinct = 0;
                for (long x : exposure[c]) {
                    if (x > 0) {
                        distinct++;
                    }
                }
                catalog.put("coverage@" + cutoffs[c], (double) distinct / items);
                catalog.put("gini@" + cutoffs[c], RankingMetrics.gini(exposure[c]));
            }
            RankingResult ranking = new RankingResult(model.name(), users, List.copyOf(names), values, catalog,
                    (System.nanoTime() - start) / 1e9);
            return new Result(ranking, Bootstrap.intervals(ranking, settings.bootstrap(), settings.seed()));
        } finally {
            results.unpersist(false);
            broadcastModel.destroy();
            broadcastSetup.destroy();
        }
    }

    /** (cut-off index · items + item, 1) for every list entry within each cut-off. */
    private static Iterator<Tuple2<Long, Long>> exposures(UserResult r, int[] cutoffs, int items) {
        List<Tuple2<Long, Long>> out = new ArrayList<>();
        for (int c = 0; c < cutoffs.length; c++) {
            for (int q = 0; q < Math.min(r.list().length, cutoffs[c]); q++) {
                out.add(new Tuple2<>((long) c * items + r.list()[q], 1L));
            }
        }
        return out.iterator();
    }

    /** Scores the users of one partition: one scorer and one score buffer for all of them. */
    private static Iterator<UserResult> scorePartition(Iterator<Row> rows, ScoringModel model, Setup setup) {
        Recommender recommender = model.recommender();
        Recommender.Scorer scorer = recommender.newScorer();
        RankingSetup ranking = setup.ranking();
        int items = recommender.itemCount();
        // scores that are one shared base plus a few touched items (popularity, item-kNN): the core's
        // sparse top-K, the same lists as the dense path without a pass over the catalog per user
        SparseTopK.Workspace sparse = scorer instanceof Recommender.SparseScorer s
                ? SparseTopK.of(s.base(), items, ranking.tieRank()).workspace(s, items, ranking.maxK()) : null;
        int[] cutoffs = setup.cutoffs();
        int maxK = ranking.maxK();
        int perCutoff = RankingMetrics.PER_CUTOFF * cutoffs.length;
        int width = perCutoff + 1;
        float[] scores = sparse != null ? null : new float[items];
        int[] list = new int[maxK];
        List<UserResult> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            int user = row.getInt(0);
            List<Row> events = new ArrayList<>(row.getList(1));
            events.sort((x, y) -> Integer.compare(x.getInt(0), y.getInt(0)));
            int n = events.size();
            int[] history = new int[n];
            float[] weights = new float[n];
            boolean weighted = false;
            int h = 0;
            int[] targets = new int[n];
            int t = 0;
            for (Row e : events) {
                String part = e.getString(3);
                boolean known = part.equals(LogPreparation.TRAIN) || (setup.test() && part.equals(LogPreparation.VALID));
                boolean target = part.equals(setup.test() ? LogPreparation.TEST : LogPreparation.VALID);
                if (known) {
                    history[h] = e.getInt(1);
                    weights[h] = e.getFloat(2);
                    weighted |= weights[h] != 1f;
                    h++;
                } else if (target) {
                    targets[t++] = e.getInt(1);
                }
            }
            int[] relevant = targets(history, h, targets, t, setup.excludeKnown());
            if (relevant.length == 0) {
                continue;
            }
            History hist = new History(user, history, weighted ? weights : null, 0, h);
            int m;
            if (sparse != null) {
                m = sparse.topK(hist, setup.excludeKnown(), maxK, list);
            } else {
                scorer.score(hist, scores);
                if (setup.excludeKnown()) {
                    for (int p = 0; p < h; p++) {
                        scores[history[p]] = Float.NEGATIVE_INFINITY;
                    }
                }
                m = RankingMetrics.topK(scores, items, maxK, ranking.tieRank(), list);
            }
            double[] values = new double[width];
            RankingMetrics.atCutoffs(list, m, relevant, 0, relevant.length, cutoffs, values, 0);
            values[perCutoff] = RankingMetrics.novelty(list, Math.min(m, ranking.mainK()), ranking.trainItemCounts(),
                    ranking.trainUsers());
            out.add(new UserResult(user, values, Arrays.copyOf(list, m)));
        }
        return out.iterator();
    }

    /**
     * The distinct targets, sorted, without those already in the history when known items are
     * excluded (they could never be recommended), as {@code eval.EvalTask} keeps them.
     */
    static int[] targets(int[] history, int h, int[] targets, int t, boolean excludeKnown) {
        int[] known = Arrays.copyOf(history, h);
        Arrays.sort(known);
        int[] out = new int[t];
        int n = 0;
        for (int k = 0; k < t; k++) {
            if (excludeKnown && Arrays.binarySearch(known, targets[k]) >= 0) {
                continue;
            }
            out[n++] = targets[k];
        }
        int[] sorted = Arrays.stream(out, 0, n).sorted().distinct().toArray();
        return sorted;
    }
}
