package org.recsysrl.serve;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.recsysrl.api.ItemIndex;
import org.recsysrl.api.LogitVectors;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.ScoredItem;
import org.recsysrl.util.UserInputException;

/**
 * The model being served with what the server derives from it; swapped as one on a reload.
 *
 * @param model the library's recommender
 * @param popular the ranking for unknown users
 * @param index the approximate top-k index, or null (every item scored)
 * @param indexBuildSeconds how long building the index took (0 without one)
 */
record ServedModel(Recommender model, PopularItems popular, ItemIndex index, double indexBuildSeconds) {
    static ServedModel of(Recommender model) {
        return new ServedModel(model, PopularItems.of(model), null, 0);
    }

    /** The top k for {@code request}: through the index when there is one (scores are then logits). */
    java.util.List<ScoredItem> recommend(RecommendRequest request) {
        return index == null ? model.recommend(request) : model.recommend(request, index);
    }

    /** What the answers' scores are: {@code log-probability}, or {@code logit} through the index. */
    String scoreKind() {
        return index == null ? "log-probability" : "logit";
    }

    /**
     * The server's way to load a checkpoint into a {@code ServedModel} (at start and on every
     * reload): the model, its popular items and, when asked for, its index.
     */
    interface Loader {
        ServedModel load(Path checkpoint, Path data);
    }

    /**
     * The loader for {@code --index} value {@code index} (null or {@code exact}: no index), logging
     * each index's build.
     *
     * @throws UserInputException for a value that is neither exact nor hnsw[:…] (before any model is read)
     */
    static Loader loader(String index, Consumer<String> log) {
        if (index == null || index.equals("exact")) {
            return (checkpoint, data) -> of(Recommender.load(checkpoint, data));
        }
        HnswItemIndex.Settings settings = HnswItemIndex.Settings.parse("--index", index);
        return (checkpoint, data) -> {
            Recommender model = Recommender.load(checkpoint, data);
            LogitVectors vectors = model.logitVectors();
            if (vectors == null) {
                throw new UserInputException("--index hnsw needs a model whose scores are inner products of item"
                        + " vectors (a simulator, platform or MovieLens policy with the embedding or logits head); "
                        + checkpoint + " (" + model.info().kind() + ", " + model.info().algorithm() + ") has none:"
                        + " serve it with --index exact");
            }
            long start = System.nanoTime();
            int threads = HnswItemIndex.buildThreads(vectors.items(), Runtime.getRuntime().availableProcessors());
            HnswItemIndex built = HnswItemIndex.build(vectors, settings, threads);
            double seconds = (System.nanoTime() - start) / 1e9;
            log.accept(String.format(java.util.Locale.ROOT, "index %s built over %d items of %d dimensions in %.1f s"
                    + " (%d threads)", settings, vectors.items(), vectors.dimension(), seconds, threads));
            return new ServedModel(model, PopularItems.of(model), built, seconds);
        };
    }
}
