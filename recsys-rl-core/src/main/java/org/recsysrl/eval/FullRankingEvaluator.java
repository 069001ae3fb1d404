package org.recsysrl.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.util.Parallel;

/**
 * Full-ranking offline evaluation: for every user of an {@link EvalTask}, the model scores the
 * whole catalog (never a sample of negatives: sampled metrics can reorder models, Krichene &amp;
 * Rendle, KDD 2020), the user's known items are excluded if the task says so, the top
 * {@code maxK} items are taken with ties broken by {@link RankingSetup#tieRank()}, and every
 * metric of {@link RankingMetrics#atCutoffs} is computed at every cut-off, plus novelty and (with
 * item features) intra-list diversity at the main cut-off.
 *
 * <p>A model whose scorer is a {@link Recommender.SparseScorer} (popularity, item-kNN, Markov) is
 * ranked by {@link SparseTopK}, from the items a history touches and the head of one shared order,
 * with exactly the same lists; the others fill one score per item and keep the best {@code maxK}
 * in a bounded insertion list. No users × items matrix is ever held.
 *
 * <p>Users are spread over threads, each with its own {@link Recommender.Scorer} and buffers; each
 * user's values go to their own slots and catalog counts are integer sums, so the result does not
 * depend on the thread count.
 */
public final class FullRankingEvaluator {
    private static final int CHUNK = 64;

    private FullRankingEvaluator() {
    }

    /** The metric names produced for {@code setup}, in order. */
    public static List<String> metricNames(RankingSetup setup) {
        List<String> names = new ArrayList<>();
        for (int k : setup.cutoffs()) {
            for (String n : RankingMetrics.NAMES) {
                names.add(n + "@" + k);
            }
        }
        names.add("novelty@" + setup.mainK());
        if (setup.itemFeatures() != null) {
            names.add("ild@" + setup.mainK());
        }
        return names;
    }

    /**
     * Evaluates {@code model} on {@code task}.
     *
     * @param progress called with the number of users done so far (from any thread; may be null)
     */
    public static RankingResult evaluate(Recommender model, EvalTask task, RankingSetup setup, int threads,
            IntConsumer progress) {
        if (model.itemCount() != task.itemCount()) {
            throw new IllegalArgumentException(model.name() + " scores " + model.itemCount() + " items, the task has "
                    + task.itemCount());
        }
        long start = System.nanoTime();
        List<String> names = metricNames(setup);
        int width = names.size();
        int users = task.size();
        int items = task.itemCount();
        int[] cutoffs = setup.cutoffs();
        double[] values = new double[users * width];
        int chunks = (users + CHUNK - 1) / CHUNK;
        int workers = Math.max(1, Math.min(threads, chunks));
        long[][] exposure = new long[workers][items * cutoffs.length];
        AtomicInteger done = new AtomicInteger();
        // a model whose scores are a shared base plus a few touched items is ranked without a dense score vector
        SparseTopK sparse = model.newScorer() instanceof Recommender.SparseScorer probe
                ? SparseTopK.of(probe.base(), items, setup.tieRank()) : null;
        Parallel.forChunks(chunks, workers, (worker, chunkSource) -> {
            Recommender.Scorer scorer = model.newScorer();
            SparseTopK.Workspace sparseTopK = sparse == null ? null
                    : sparse.new Workspace((Recommender.SparseScorer) scorer, items, setup.maxK());
            float[] scores = sparse == null ? new float[items] : null;
            int[] list = new int[setup.maxK()];
            long[] myExposure = exposure[worker];
            for (int c = chunkSource.getAsInt(); c >= 0; c = chunkSource.getAsInt()) {
                int from = c * CHUNK;
                int to = Math.min(users, from + CHUNK);
                for (int k = from; k < to; k++) {
                    rankUser(task, setup, k, scorer, sparseTopK, scores, list, values, k * width, myExposure);
                }
                int d = done.addAndGet(to - from);
                if (progress != null) {
                    progress.accept(d);
                }
            }
        });
        return new RankingResult(model.name(), task.users(), List.copyOf(names), values, catalog(exposure, cutoffs, items),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Ranks the catalog for test user {@code k} and writes that user's metrics at {@code values[off..]};
     * counts the items shown at each cut-off in {@code exposure}.
     */
    private static void rankUser(EvalTask task, RankingSetup setup, int k, Recommender.Scorer scorer,
            SparseTopK.Workspace sparseTopK, float[] scores, int[] list, double[] values, int off, long[] exposure) {
        int items = task.itemCount();
        int[] cutoffs = setup.cutoffs();
        int perCutoff = RankingMetrics.PER_CUTOFF * cutoffs.length;
        History h = task.history(k);
        int n;
        if (sparseTopK != null) {
            // a model whose scores are a shared base plus a few touched items: no dense score vector
            n = sparseTopK.topK(h, task.excludeKnown(), setup.maxK(), list);
        } else {
            scorer.score(h, scores);
            if (task.excludeKnown()) {
                for (int p = h.from(); p < h.to(); p++) {
                    scores[h.items()[p]] = Float.NEGATIVE_INFINITY;
                }
            }
            n = RankingMetrics.topK(scores, items, setup.maxK(), setup.tieRank(), list);
        }
        RankingMetrics.atCutoffs(list, n, task.targets(), task.targetOffsets()[k], task.targetOffsets()[k + 1], cutoffs,
                values, off);
        int nMain = Math.min(n, setup.mainK());
        values[off + perCutoff] = RankingMetrics.novelty(list, nMain, setup.trainItemCounts(), setup.trainUsers());
        if (setup.itemFeatures() != null) {
            values[off + perCutoff + 1] = RankingMetrics.intraListDiversity(list, nMain, setup.itemFeatures(),
                    setup.featureDim());
        }
        for (int ci = 0; ci < cutoffs.length; ci++) {
            int len = Math.min(n, cutoffs[ci]);
            for (int r = 0; r < len; r++) {
                exposure[ci * items + list[r]]++;
            }
        }
    }

    /** Coverage and Gini of exposure at each cut-off, from the workers' exposure counts. */
    private static Map<String, Double> catalog(long[][] exposure, int[] cutoffs, int items) {
        Map<String, Double> catalog = new LinkedHashMap<>();
        for (int ci = 0; ci < cutoffs.length; ci++) {
            long[] e = new long[items];
            int distinct = 0;
            for (int i = 0; i < items; i++) {
                for (long[] w : exposure) {
                    e[i] += w[ci * items + i];
                }
                if (e[i] > 0) {
                    distinct++;
                }
            }
            catalog.put("coverage@" + cutoffs[ci], (double) distinct / items);
            catalog.put("gini@" + cutoffs[ci], RankingMetrics.gini(e));
        }
        return catalog;
    }
}
