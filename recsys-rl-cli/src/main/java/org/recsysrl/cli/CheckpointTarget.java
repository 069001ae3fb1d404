package org.recsysrl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.ScoredItem;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.ItemScorer;
import org.recsysrl.ope.policy.ScorerPolicy;
import org.recsysrl.util.UserInputException;

/**
 * A trained checkpoint as an off-policy evaluation target ({@code ope --target checkpoint:FILE[@T]}):
 * the scores its {@link Recommender} gives each logged row's user over the log's items (nothing
 * excluded, so an item the user saw before can be shown again, as in the log), turned into a policy
 * by {@link ScorerPolicy} — greedy (the default, {@code T = 0}: position k gets the k-th best item,
 * which is what {@code serve} shows) or a softmax at temperature {@code T}. Items of the log that
 * the model does not know get probability 0. A row whose user the model does not know (or that
 * names none) gets equal scores, i.e. the uniform distribution for a softmax; {@link #fallbackRows}
 * counts them so the command can say how many. A policy of a platform environment on a log whose
 * rows carry that environment's observation (what {@code recsys-rl log} writes) is scored at each
 * row's context instead ({@link org.recsysrl.learn.ObservationScorer}): log π(· | x).
 */
final class CheckpointTarget implements ItemScorer {
    private final Recommender model;
    private final List<String> candidates = new ArrayList<>();
    private final int[] logIndexOfCandidate;
    private final boolean[] known;
    private final java.util.Map<String, Integer> candidatePosition = new java.util.HashMap<>();
    private String cachedUser;
    private double[] cachedScores;

    private CheckpointTarget(Recommender model, LoggedFeedback log) {
        this.model = model;
        known = new boolean[log.numItems()];
        List<Integer> index = new ArrayList<>();
        for (int a = 0; a < log.numItems(); a++) {
            String id = log.itemIds().get(a);
            if (model.hasItem(id)) {
                known[a] = true;
                candidates.add(id);
                index.add(a);
            }
        }
        logIndexOfCandidate = index.stream().mapToInt(Integer::intValue).toArray();
        for (int c = 0; c < candidates.size(); c++) {
            candidatePosition.put(candidates.get(c), c);
        }
    }

    /** Parses {@code checkpoint:FILE} or {@code checkpoint:FILE@T} into a target policy for {@code log}. */
    static Target of(String spec, LoggedFeedback log) {
        String rest = spec.substring("checkpoint:".length());
        double temperature = 0;
        int at = rest.lastIndexOf('@');
        if (at > 0) {
            try {
                temperature = Double.parseDouble(rest.substring(at + 1));
                rest = rest.substring(0, at);
            } catch (NumberFormatException e) {
                temperature = 0; // an '@' in the file name
            }
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new UserInputException("--target " + spec + ": the temperature after @ must be finite and >= 0"
                    + " (0 = greedy, as served)");
        }
        if (rest.isBlank()) {
            throw new UserInputException("--target " + spec + ": name the checkpoint file, e.g. checkpoint:ck/supervised.safetensors");
        }
        org.recsysrl.learn.ObservationScorer atContext = org.recsysrl.learn.ObservationScorer.forCheckpoint(
                Path.of(rest), log, "--target " + spec);
        if (atContext != null) {
            return new Target(new ScorerPolicy(spec, atContext, temperature), null);
        }
        Recommender model = Recommender.load(Path.of(rest));
        CheckpointTarget scorer = new CheckpointTarget(model, log);
        if (scorer.candidates.isEmpty()) {
            throw new UserInputException("--target " + spec + ": none of the log's " + log.numItems()
                    + " item ids is in the checkpoint's catalog of " + model.itemCount()
                    + " items: evaluate a checkpoint trained on the same item ids");
        }
        return new Target(new ScorerPolicy(spec, scorer, temperature), scorer);
    }

    /**
     * The policy and its scorer (for the count of rows that fall back to equal scores), or a null
     * scorer for a platform policy scored at each row's context (the environment's observation).
     */
    record Target(ScorerPolicy policy, CheckpointTarget scorer) {
        /** One line on what the target knows of the log, for the command's output. */
        String describe(LoggedFeedback log) {
            if (scorer == null) {
                return "a platform policy, scored at each row's context (the environment's observation)";
            }
            int fallback = scorer.fallbackRows(log);
            return String.format(Locale.ROOT, "the model knows %d of the log's %d items%s", scorer.knownItems(),
                    log.numItems(), fallback == 0 ? "" : String.format(Locale.ROOT, "; %d of %d rows name a user it"
                            + " does not know and get equal scores", fallback, log.rows()));
        }
    }

    /** Rows of {@code log} whose user the model does not know (or that name none): scored equally. */
    int fallbackRows(LoggedFeedback log) {
        int n = 0;
        for (int r = 0; r < log.rows(); r++) {
            String user = log.user(r);
            if (user == null || !model.hasUser(user)) {
                n++;
            }
        }
        return n;
    }

    /** How many of the log's items the model knows. */
    int knownItems() {
        return candidates.size();
    }

    @Override
    public void score(LoggedFeedback log, int row, double[] out) {
        String user = log.user(row);
        boolean knownUser = user != null && model.hasUser(user);
        double[] scores = knownUser ? scoresOf(user) : null;
        for (int a = 0; a < out.length; a++) {
            out[a] = known[a] ? 0.0 : Double.NEGATIVE_INFINITY;
        }
        if (scores != null) {
            for (int c = 0; c < logIndexOfCandidate.length; c++) {
                out[logIndexOfCandidate[c]] = scores[c];
            }
        }
    }

    /** The model's score of every candidate for {@code user}, in candidate order (the last user's are kept). */
    private double[] scoresOf(String user) {
        if (user.equals(cachedUser)) {
            return cachedScores;
        }
        List<ScoredItem> ranked = model.recommend(new RecommendRequest(user, null, List.of(), candidates,
                candidates.size()));
        double[] scores = new double[candidates.size()];
        Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        for (ScoredItem s : ranked) {
            Integer c = candidatePosition.get(s.id());
            if (c != null) {
                scores[c] = s.score();
            }
        }
        cachedUser = user;
        cachedScores = scores;
        return scores;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "checkpoint target over %d known items", candidates.size());
    }
}
