package org.recsysrl.serve;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.RequestException;
import org.recsysrl.api.ScoredItem;

/**
 * The ranking given to users the model does not know ({@code "fallback": "popular"}).
 *
 * <p>The library's {@link Recommender} does not expose item counts, so the server builds the list
 * from what its public API answers: the model's top {@value #DEPTH} for up to {@value #USERS}
 * known users (found by probing the ids {@code 0, 1, 2, …}, which is how simulator, platform and
 * MovieLens models name users), each item scored by the sum of {@code 1 / (rank + 1)} over those
 * lists; for a model whose users cannot be found that way but that answers guests (models trained
 * on logs), the model's own answer to an empty history. Empty if neither works.
 */
final class PopularItems {
    static final int USERS = 200;
    static final int DEPTH = 100;
    private static final int PROBE = 2_000;

    private final List<ScoredItem> ranked;

    private PopularItems(List<ScoredItem> ranked) {
        this.ranked = ranked;
    }

    /**
     * Builds the list for {@code model} (a few hundred library calls). Never fails: a model that
     * cannot answer these calls gets an empty list (and unknown users a 404, as before).
     */
    static PopularItems of(Recommender model) {
        try {
            return build(model);
        } catch (RuntimeException e) {
            return new PopularItems(List.of());
        }
    }

    private static PopularItems build(Recommender model) {
        int depth = Math.min(DEPTH, model.itemCount());
        Map<String, Double> score = new HashMap<>();
        Map<String, Integer> first = new HashMap<>();
        int found = 0;
        for (int u = 0; u < PROBE && found < USERS; u++) {
            String id = Integer.toString(u);
            if (!model.hasUser(id)) {
                continue;
            }
            found++;
            List<ScoredItem> top = model.recommend(RecommendRequest.forUser(id, depth));
            for (int r = 0; r < top.size(); r++) {
                String item = top.get(r).id();
                score.merge(item, 1.0 / (r + 1), Double::sum);
                first.putIfAbsent(item, first.size());
            }
        }
        if (found == 0) {
            try {
                return new PopularItems(model.recommend(RecommendRequest.forHistory(List.of(), depth)));
            } catch (RequestException e) {
                return new PopularItems(List.of());
            }
        }
        final int users = found;
        List<ScoredItem> out = new ArrayList<>(score.size());
        score.forEach((id, s) -> out.add(new ScoredItem(id, (float) (s / users))));
        out.sort((a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score())
                : Integer.compare(first.get(a.id()), first.get(b.id())));
        return new PopularItems(List.copyOf(out));
    }

    /** True if there is nothing to fall back on. */
    boolean isEmpty() {
        return ranked.isEmpty();
    }

    /** The first {@code k} items that are not excluded and, if candidates are given, among them. */
    List<ScoredItem> top(int k, Set<String> excluded, Set<String> candidates) {
        List<ScoredItem> out = new ArrayList<>(Math.min(k, ranked.size()));
        for (ScoredItem s : ranked) {
            if (out.size() == k) {
                break;
            }
            if (!excluded.contains(s.id()) && (candidates == null || candidates.contains(s.id()))) {
                out.add(s);
            }
        }
        return out;
    }
}
