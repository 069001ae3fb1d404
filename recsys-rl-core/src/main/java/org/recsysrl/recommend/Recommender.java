package org.recsysrl.recommend;

/**
 * Anything that recommends: given a user's history, a score for every item (higher = shown
 * first). Baselines, learned policies and the server all answer this one question, so any of them
 * can be evaluated, compared and served the same way.
 *
 * <p>A recommender is immutable once fitted and may be shared between threads; the scoring
 * workspace lives in a {@link Scorer}, one per thread ({@link #newScorer()}). Scores say nothing
 * about which items to leave out: the caller excludes known items or restricts to candidates.
 */
public interface Recommender {
    /** Short name for reports, e.g. {@code ease}. */
    String name();

    /** Number of items scored; item indices are {@code 0..itemCount()-1}. */
    int itemCount();

    /** A scorer with its own workspace, for use by one thread at a time. */
    Scorer newScorer();

    /** Scores items for one history at a time; not thread-safe (one per thread). */
    interface Scorer {
        /**
         * Writes a score per item into {@code scoresOut[0 .. itemCount())}. Scores are finite or
         * {@code -∞} (an item the model will never recommend).
         */
        void score(History history, float[] scoresOut);
    }

    /**
     * A scorer whose scores are one array shared by every history ({@link #base()}) changed on the
     * few items a history touches (a neighbourhood model's neighbours, a Markov chain's successors;
     * none for popularity). Full-ranking evaluation then selects the top K from the touched items
     * and the head of the base order, without filling and scanning a score per catalog item, and
     * gets exactly the list {@link #score} would give.
     */
    interface SparseScorer extends Scorer {
        /** The score of every untouched item; shared, never to be modified. */
        float[] base();

        /**
         * Writes the final score of each item {@code history} changes into {@code scoresOut} at that
         * item (other entries are left as they are) and the items, distinct, into {@code touchedOut}
         * (room for {@code itemCount()} entries).
         *
         * @return how many items were touched
         */
        int scoreTouched(History history, float[] scoresOut, int[] touchedOut);
    }
}
