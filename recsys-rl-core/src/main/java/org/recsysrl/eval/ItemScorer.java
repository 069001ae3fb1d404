package org.recsysrl.eval;

/** Scores every item for one user at the first state of a session (higher = recommended first). */
public interface ItemScorer {
    /**
     * Writes a score per item into {@code scoresOut[0 .. itemCount)}.
     *
     * @param envUser the environment user id
     * @param obs the session's first observation for that user
     */
    void score(int envUser, float[] obs, float[] scoresOut);

    /** Name for reports. */
    String name();
}
