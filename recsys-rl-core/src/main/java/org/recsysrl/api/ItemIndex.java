package org.recsysrl.api;

import java.util.function.IntPredicate;

/**
 * An index over a model's {@link Recommender#logitVectors() logit vectors} that finds, for a
 * query, items of (approximately) the largest inner product: what
 * {@link Recommender#recommend(RecommendRequest, ItemIndex)} asks instead of scoring every item.
 * The core holds none; the server module builds one (Lucene's HNSW graph). Implementations must be
 * safe for concurrent searches.
 */
public interface ItemIndex {
    /**
     * Writes into {@code out} up to {@code count} item indices (rows of the logit vectors) among
     * those {@code allowed} accepts, best first by the index's inner product with {@code query};
     * returns how many it wrote (fewer when the search met fewer allowed items).
     */
    int search(float[] query, int count, IntPredicate allowed, int[] out);
}
