package org.recsysrl.serve;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.recsysrl.api.Int8ItemIndex;
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
 * @param index the top-k index (int8, exact; or HNSW, approximate), or null (every item scored)
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
     * The loader for {@code --index} value {@code index} (null or {@code exact}: no index;
     * {@code int8}: the exact {@link Int8ItemIndex}; {@code hnsw[:…]}: Lucene's graph), logging
     * each index's build.
     *
     * @throws UserInputException for a value that is none of these (before any model is read)
     */
    static Loader loader(String index, Consumer<String> log) {
        if (index == null || index.equals("exact")) {
            return (checkpoint, data) -> of(Recommender.load(checkpoint, data));
        }
        if (index.equals("int8")) {
            return (checkpoint, data) -> indexed(checkpoint, data, "int8", log, vectors -> {
                Int8ItemIndex built = Int8ItemIndex.of(vectors);
                if (built == null) {
                    throw new UserInputException("--index int8: " + checkpoint + " has item vectors that are not"
                            + " finite or too large for the int8 table's error bound: serve it with --index exact");
                }
                return built;
            });
        }
        HnswItemIndex.Settings settings = HnswItemIndex.Settings.parse("--index", index);
        return (checkpoint, data) -> indexed(checkpoint, data, settings.toString(), log, vectors -> HnswItemIndex.build(
                vectors, settings, HnswItemIndex.buildThreads(vectors.items(), Runtime.getRuntime().availableProcessors())));
    }

    /** Loads the model and builds its index with {@code build}, logging how long the build took. */
    private static ServedModel indexed(Path checkpoint, Path data, String name, Consumer<String> log,
            java.util.function.Function<LogitVectors, ItemIndex> build) {
        Recommender model = Recommender.load(checkpoint, data);
        LogitVectors vectors = model.logitVectors();
        if (vectors == null) {
            throw new UserInputException("--index " + name + " needs a model whose scores are inner products of item"
                    + " vectors (a simulator, platform or MovieLens policy with the embedding or logits head); "
                    + checkpoint + " (" + model.info().kind() + ", " + model.info().algorithm() + ") has none:"
                    + " serve it with --index exact");
        }
        long start = System.nanoTime();
        ItemIndex built = build.apply(vectors);
        double seconds = (System.nanoTime() - start) / 1e9;
        log.accept(String.format(java.util.Locale.ROOT, "index %s built over %d items of %d dimensions in %.1f s",
                name, vectors.items(), vectors.dimension(), seconds));
        return new ServedModel(model, PopularItems.of(model), built, seconds);
    }
}
