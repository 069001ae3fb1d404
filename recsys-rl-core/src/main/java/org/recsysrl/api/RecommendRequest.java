package org.recsysrl.api;

import java.util.List;

/**
 * What to recommend for: a known user (their history as the model knows it), a session history
 * (item ids, oldest first), or both (the session's items follow the user's); which items to leave
 * out; which items to choose from; how many. Ids are the data's own ids.
 *
 * @param user a known user's id, or null (a guest or a session)
 * @param history item ids interacted with, oldest first (null or empty: none)
 * @param exclude item ids never to recommend; null = the items of the history (user's and session's)
 * @param candidates item ids to choose from; null = the whole catalog
 * @param k how many items at most (1 ≤ k ≤ catalog size)
 */
public record RecommendRequest(String user, List<String> history, List<String> exclude, List<String> candidates,
        int k) {

    public RecommendRequest {
        history = history == null ? List.of() : List.copyOf(history);
        exclude = exclude == null ? null : List.copyOf(exclude);
        candidates = candidates == null ? null : List.copyOf(candidates);
    }

    /** The top {@code k} for a known user. */
    public static RecommendRequest forUser(String user, int k) {
        return new RecommendRequest(user, null, null, null, k);
    }

    /** The top {@code k} after a session's items (oldest first), for a guest. */
    public static RecommendRequest forHistory(List<String> history, int k) {
        return new RecommendRequest(null, history, null, null, k);
    }

    /** This request with another exclude list. */
    public RecommendRequest withExclude(List<String> items) {
        return new RecommendRequest(user, history, items, candidates, k);
    }

    /** This request restricted to candidates. */
    public RecommendRequest withCandidates(List<String> items) {
        return new RecommendRequest(user, history, exclude, items, k);
    }
}
