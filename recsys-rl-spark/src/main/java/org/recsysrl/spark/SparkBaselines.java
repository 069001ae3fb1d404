package org.recsysrl.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;

import java.util.List;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.recsysrl.util.UserInputException;

/**
 * Baselines fitted as Spark jobs on the training part of a {@link PreparedLog}, each returned as a
 * {@link ScoringModel} for {@link SparkEvaluation}:
 *
 * <ul>
 *   <li>{@link #popularity}: training interactions per item, repeats counted (the core's
 *       {@code baselines.MostPopular});</li>
 *   <li>{@link #itemKnn}: co-occurrence counts of the binary user–item matrix by a self-join on the
 *       user, the shrunk cosine {@code s_ij = c_ij / (sqrt(c_i · c_j) + shrink)} in double precision
 *       rounded to float, and each item's top-k neighbours, most similar first, equal similarities
 *       by the lower item index: the same neighbours and similarities as the core's
 *       {@code baselines.ItemKnn};</li>
 *   <li>{@link #als}: implicit ALS by MLlib ({@code ALS} with {@code implicitPrefs}) on the summed
 *       weight of each (user, item) pair, the confidence {@code 1 + alpha · r} of Hu, Koren &amp;
 *       Volinsky as in the core's {@code baselines.ImplicitAls}. MLlib scales the regularisation by
 *       each row's count and scores known users by their fitted factors (the core folds the history
 *       in), so the two are compared by quality, not equality.</li>
 * </ul>
 */
public final class SparkBaselines {
    private SparkBaselines() {
    }

    /** The training part: (user, item, weight) of the interactions labelled {@link LogPreparation#TRAIN}. */
    static Dataset<Row> trainPart(PreparedLog log) {
        return log.interactions().filter(col(LogPreparation.PART).equalTo(LogPreparation.TRAIN))
                .select(LogPreparation.USER, LogPreparation.ITEM, LogPreparation.WEIGHT);
    }

    /** Training interactions per item (repeats counted), one entry per item of the catalog. */
    static int[] itemCounts(PreparedLog log) {
        int[] counts = new int[log.itemCount()];
        for (Row r : trainPart(log).groupBy(LogPreparation.ITEM).agg(count(lit(1))).collectAsList()) {
            counts[r.getInt(0)] = (int) r.getLong(1);
        }
        return counts;
    }

    /** Number of users with at least one training interaction. */
    static int trainUsers(PreparedLog log) {
        return (int) trainPart(log).agg(countDistinct(col(LogPreparation.USER))).first().getLong(0);
    }

    /** Most popular: the same scores, the training counts, for every history. */
    public static ScoringModel popularity(PreparedLog log) {
        int[] counts = itemCounts(log);
        float[] scores = new float[counts.length];
        for (int i = 0; i < counts.length; i++) {
            scores[i] = counts[i];
        }
        return ScoringModels.fixed("popular", scores);
    }

    /** Item-kNN with {@code k} neighbours per item and the shrink term {@code shrink} (see the class documentation). */
    public static ScoringModel itemKnn(PreparedLog log, int k, double shrink) {
        if (k < 1 || !(shrink >= 0)) {
            throw new UserInputException("item-knn needs k >= 1 and shrink >= 0 (got k=" + k + ", shrink=" + shrink + ")");
        }
        Dataset<Row> pairs = trainPart(log).select(LogPreparation.USER, LogPreparation.ITEM).distinct();
        Dataset<Row> degree = pairs.groupBy(LogPreparation.ITEM).agg(count(lit(1)).as("c"));
        Dataset<Row> a = pairs.toDF("u", "j");
        Dataset<Row> b = pairs.toDF("u2", "i");
        Dataset<Row> co = a.join(b, a.col("u").equalTo(b.col("u2")).and(a.col("j").notEqual(b.col("i"))))
                .groupBy("j", "i").agg(count(lit(1)).as("co"));
        Dataset<Row> cj = degree.toDF("j", "cj");
        Dataset<Row> ci = degree.toDF("i", "ci");
        Dataset<Row> sims = co.join(cj, "j").join(ci, "i")
                .withColumn("sim", col("co").cast(DataTypes.DoubleType)
                        .divide(sqrt(col("cj").cast(DataTypes.DoubleType).multiply(col("ci").cast(DataTypes.DoubleType)))
                                .plus(lit(shrink)))
                        .cast(DataTypes.FloatType))
                .withColumn("rank", row_number().over(Window.partitionBy("j").orderBy(col("sim").desc(), col("i").asc())))
                .filter(col("rank").leq(k)).select("j", "rank", "i", "sim");
        int n = log.itemCount();
        List<Row> rows = sims.orderBy("j", "rank").collectAsList();
        int[] offsets = new int[n + 1];
        int[] ids = new int[rows.size()];
        float[] values = new float[rows.size()];
        for (int q = 0; q < rows.size(); q++) {
            Row r = rows.get(q);
            offsets[r.getInt(0) + 1]++;
            ids[q] = r.getInt(2);
            values[q] = r.getFloat(3);
        }
        for (int j = 0; j < n; j++) {
            offsets[j + 1] += offsets[j];
        }
        return ScoringModels.neighbours("item-knn", offsets, ids, values, k);
    }

    /**
     * MLlib's implicit ALS, with as many user and item blocks as the application has cores.
     *
     * @param rank factors per user and item
     * @param iterations alternating sweeps
     * @param alpha confidence scale
     * @param regularisation MLlib's {@code regParam}
     * @param seed the factors' initial draw
     */
    public static ScoringModel als(PreparedLog log, int rank, int iterations, double alpha, double regularisation,
            long seed) {
        Dataset<Row> ratings = trainPart(log).groupBy(LogPreparation.USER, LogPreparation.ITEM)
                .agg(sum(col(LogPreparation.WEIGHT).cast(DataTypes.DoubleType)).cast(DataTypes.FloatType).as("r"));
        // one block per core of the application (MLlib's default, 10, is too many for local runs, too few for clusters)
        int blocks = Math.max(1, log.interactions().sparkSession().sparkContext().defaultParallelism());
        ALSModel model = new ALS().setNumBlocks(blocks).setRank(rank).setMaxIter(iterations).setAlpha(alpha).setRegParam(regularisation)
                .setImplicitPrefs(true).setSeed(seed).setNonnegative(false).setUserCol(LogPreparation.USER)
                .setItemCol(LogPreparation.ITEM).setRatingCol("r").fit(ratings);
        float[] users = collectFactors(model.userFactors(), log.userCount(), rank);
        float[] items = collectFactors(model.itemFactors(), log.itemCount(), rank);
        return ScoringModels.factors("spark-als", rank, users, items);
    }

    private static float[] collectFactors(Dataset<Row> factors, int rows, int rank) {
        float[] out = new float[rows * rank];
        for (Row r : factors.collectAsList()) {
            int id = r.getInt(0);
            List<Object> f = r.getList(1);
            for (int d = 0; d < rank; d++) {
                out[id * rank + d] = ((Number) f.get(d)).floatValue();
            }
        }
        return out;
    }
}
