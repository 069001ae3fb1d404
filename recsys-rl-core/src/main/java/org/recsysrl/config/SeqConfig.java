package org.recsysrl.config;

/**
 * Training a sequence model on an interaction log ({@code env.type = logs}): next-item
 * training on every prefix, optionally with the offline actor-critic terms (algorithm
 * {@code sa2c}), early stopping on the validation part.
 *
 * @param loss {@code full} (softmax over the whole catalog), {@code sampled} (sampled softmax
 *     with logQ correction, for catalogs too large for the full softmax) or {@code auto} (the
 *     default: sampled above {@link SequenceLoss#SAMPLED_ABOVE_ITEMS} items, full otherwise)
 * @param negatives sampled softmax: negatives drawn per batch
 * @param sparseAdam sampled softmax: update only the item-table rows a batch touched (lazy Adam)
 * @param epochs at most this many passes over the training windows
 * @param batchSize windows (of at most model.max_seq_len items) per step
 * @param lr Adam learning rate
 * @param maxGradNorm clip the global gradient norm to this (0 = no clipping)
 * @param patience stop after this many epochs without a better validation metric (eval.tune_metric at eval.k)
 * @param tdWeight sa2c: weight of the Q head's one-step TD loss
 * @param acWeight sa2c: weight of the advantage on each position's cross-entropy
 * @param gamma sa2c: discount of the TD target
 * @param tau sa2c: Polyak rate of the target network per step
 * @param threads threads of training (data parallel over a batch's windows) and validation (0 = every core)
 * @param minEpochs never stop early before this epoch (a run still ends at {@code epochs}): the first
 *     epochs of a model often sit on the popularity plateau, where the validation metric stalls
 *     before it climbs
 * @param excludeSeen leave the items of a position's input window out of its softmax (never its
 *     target), as evaluation leaves known items out of the ranking; applies only while
 *     {@code eval.exclude_known} is true (with repeat consumption nothing is left out)
 * @param markovMix what the checkpoint recommends with: {@code auto} (the default) the blend of the
 *     network with the fitted baselines, weights chosen on the validation part after training
 *     ({@code seq.Blend}, {@code model.Blends}); a number in [0, 1] the network's softmax mixed
 *     with first-order transition probabilities at that weight α ({@code seq.MarkovMixture}), 0 the
 *     network alone
 * @param checkpointHistories whether the checkpoint stores every known user's id and item history,
 *     so that serving can answer a user by id without the log: {@code auto} (the default) stores
 *     them for a log of at most 5,000,000 interactions, {@code true} always, {@code false} never
 *     (requests must then send the session's items)
 */
public record SeqConfig(SequenceLoss loss, int negatives, boolean sparseAdam, int epochs, int batchSize, double lr,
        double maxGradNorm, int patience, double tdWeight, double acWeight, double gamma, double tau, int threads,
        boolean excludeSeen, int minEpochs, String markovMix, String checkpointHistories) {

    /** The {@code seq.markov_mix} value that chooses α on the validation part. */
    public static final String AUTO = "auto";
    /** The values of {@code seq.checkpoint_histories}. */
    public static final java.util.List<String> CHECKPOINT_HISTORIES = java.util.List.of(AUTO, "true", "false");

    /**
     * The full softmax up to 100,000 items and the sampled one above ({@code auto}), leaving seen items out, batches of 32 windows, Adam 1e-3, at most 200 epochs with
     * patience 10 but at least 30; the Markov mixture's weight chosen on validation.
     */
    public static SeqConfig defaults() {
        return new SeqConfig(SequenceLoss.AUTO, 512, true, 200, 32, 1e-3, 5.0, 10, 1.0, 1.0, 0.5, 0.005, 0, true, 30, AUTO, AUTO);
    }

    void validate() {
        Validation.present("seq.loss", loss, SequenceLoss.ids());
        Validation.check(negatives >= 1 && negatives <= 1_000_000, "seq.negatives must be in [1, 1000000] (got "
                + negatives + ")");
        Validation.check(epochs >= 1 && epochs <= 100_000, "seq.epochs must be in [1, 100000] (got " + epochs + ")");
        Validation.check(batchSize >= 1 && batchSize <= 65_536, "seq.batch_size must be in [1, 65536] (got "
                + batchSize + ")");
        Validation.check(lr > 0 && lr <= 1, "seq.lr must be in (0, 1] (got " + lr + ")");
        Validation.nonNegative("seq.max_grad_norm", maxGradNorm);
        Validation.positive("seq.patience", patience);
        Validation.check(minEpochs >= 0 && minEpochs <= 100_000, "seq.min_epochs must be in [0, 100000] (got "
                + minEpochs + ")");
        Validation.check(tdWeight >= 0 && tdWeight <= 1000, "seq.td_weight must be in [0, 1000] (got " + tdWeight + ")");
        Validation.check(acWeight >= 0 && acWeight <= 1000, "seq.ac_weight must be in [0, 1000] (got " + acWeight + ")");
        Validation.inRange("seq.gamma", gamma, 0.0, true, 1.0, false);
        Validation.inRange("seq.tau", tau, 0.0, false, 1.0, true);
        Validation.check(threads >= 0 && threads <= 256, "seq.threads must be in [0, 256] (got " + threads + ")");
        Validation.check(markovMix != null && (markovMix.equals(AUTO) || fixedMix(markovMix) >= 0),
                "seq.markov_mix must be auto or a number in [0, 1] (got " + markovMix + ")");
        Validation.oneOf("seq.checkpoint_histories", checkpointHistories, CHECKPOINT_HISTORIES);
    }

    /** True when α is chosen on the validation part ({@code seq.markov_mix=auto}). */
    public boolean markovMixAuto() {
        return AUTO.equals(markovMix);
    }

    /** The fixed α of {@code seq.markov_mix}, or −1 for {@code auto} (or anything that is not a number in [0, 1]). */
    public double markovMixValue() {
        return markovMixAuto() ? -1 : fixedMix(markovMix);
    }

    private static double fixedMix(String text) {
        try {
            double v = Double.parseDouble(text.trim());
            return v >= 0 && v <= 1 ? v : -1;
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        }
    }
}
