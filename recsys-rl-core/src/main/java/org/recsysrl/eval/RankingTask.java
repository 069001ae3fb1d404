package org.recsysrl.eval;

/**
 * The offline ranking task: for each evaluated user (an environment user id, as accepted by
 * {@code Environment.reset(int, …)}), the items seen in training (masked when ranking) and the
 * held-out items (the relevant ones), in CSR form: user k's training items are
 * {@code trainItems[trainOffsets[k] .. trainOffsets[k+1])}, its held-out items, sorted ascending,
 * {@code testItems[testOffsets[k] .. testOffsets[k+1])}.
 *
 * @param envUsers environment user ids of the evaluated users
 * @param itemCount catalog size
 * @param itemEmbeddings [itemCount × dim] embeddings for the diversity metric
 * @param popularity training interactions per item over all users (the most-popular baseline)
 */
public record RankingTask(int itemCount, int[] envUsers, int[] trainOffsets, int[] trainItems, int[] testOffsets,
        int[] testItems, float[] itemEmbeddings, int dim, int[] popularity) {

    public RankingTask {
        if (trainOffsets.length != envUsers.length + 1 || testOffsets.length != envUsers.length + 1) {
            throw new IllegalArgumentException("offsets must have one entry per user plus one");
        }
        if (itemEmbeddings.length != itemCount * dim || popularity.length != itemCount) {
            throw new IllegalArgumentException("item embeddings must be itemCount × dim and popularity itemCount long");
        }
    }

    /** Number of evaluated users. */
    public int users() {
        return envUsers.length;
    }

}
