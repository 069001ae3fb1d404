package org.recsysrl.agent;

/**
 * The rows of one PPO minibatch, gathered from a rollout buffer: observations, actions, the
 * rollout's log-probabilities, advantages, returns and values, and (when the environment has them)
 * action masks and item histories. Row j of every array belongs to the same step.
 */
final class Minibatch {
    final int observationSize;
    final int slateSize;
    final int maskWords;
    final int historyLength;
    final float[] observations;
    final int[] actions;
    final float[] oldLogProbs;
    final float[] advantages;
    final float[] returns;
    final float[] oldValues;
    /** null when the environment masks no actions. */
    final long[] masks;
    /** null when the model reads no item histories. */
    final int[] histories;

    /** Arrays for up to {@code capacity} rows of {@code buffer}'s shape. */
    Minibatch(RolloutBuffer buffer, int capacity) {
        this(capacity, buffer.observationSize, buffer.slateSize, buffer.maskWords, buffer.historyLength);
    }

    /**
     * Arrays for up to {@code capacity} rows.
     *
     * @param maskWords words of an action mask per row (0: no masks)
     * @param historyLength items of a history per row (0: no histories)
     */
    Minibatch(int capacity, int observationSize, int slateSize, int maskWords, int historyLength) {
        this.observationSize = observationSize;
        this.slateSize = slateSize;
        this.maskWords = maskWords;
        this.historyLength = historyLength;
        this.observations = new float[capacity * observationSize];
        this.actions = new int[capacity * slateSize];
        this.oldLogProbs = new float[capacity];
        this.advantages = new float[capacity];
        this.returns = new float[capacity];
        this.oldValues = new float[capacity];
        this.masks = maskWords > 0 ? new long[capacity * maskWords] : null;
        this.histories = historyLength > 0 ? new int[capacity * historyLength] : null;
    }

    /** Empty arrays of this minibatch's shape for up to {@code capacity} rows. */
    Minibatch like(int capacity) {
        return new Minibatch(capacity, observationSize, slateSize, maskWords, historyLength);
    }

    /** Copies the rollout rows {@code order[start, start + rows)} into rows {@code 0 .. rows). */
    void gather(RolloutBuffer buffer, int[] order, int start, int rows) {
        int d = observationSize;
        int slate = slateSize;
        for (int j = 0; j < rows; j++) {
            int k = order[start + j];
            System.arraycopy(buffer.observations, k * d, observations, j * d, d);
            System.arraycopy(buffer.actions, k * slate, actions, j * slate, slate);
            oldLogProbs[j] = buffer.logProbs[k];
            advantages[j] = buffer.advantages[k];
            returns[j] = buffer.returns[k];
            oldValues[j] = buffer.values[k];
            if (masks != null) {
                System.arraycopy(buffer.masks, k * maskWords, masks, j * maskWords, maskWords);
            }
            if (histories != null) {
                System.arraycopy(buffer.histories, k * historyLength, histories, j * historyLength, historyLength);
            }
        }
    }

    /**
     * Copies what the network reads (observations, masks, histories) of {@code source}'s rows
     * {@code from .. from + rows)} into rows {@code 0 .. rows)}: a thread's share of a minibatch.
     */
    void copyInputs(Minibatch source, int from, int rows) {
        System.arraycopy(source.observations, from * observationSize, observations, 0, rows * observationSize);
        if (masks != null) {
            System.arraycopy(source.masks, from * maskWords, masks, 0, rows * maskWords);
        }
        if (histories != null) {
            System.arraycopy(source.histories, from * historyLength, histories, 0, rows * historyLength);
        }
    }
}
