package org.recsysrl.agent;

/**
 * Transitions of one rollout stored time-major, {@code [T][N]}: entry {@code t * N + i} is step t of
 * environment i. Observations are {@code [T][N][D]}. Allocated once and reused every rollout.
 */
public final class RolloutBuffer {
    final int steps;
    final int envs;
    final int observationSize;
    final float[] observations;
    /** [T·N·L] item histories beside the observations, or null. */
    final int[] histories;
    final int historyLength;
    /** Actions per step (1, or the slate size K). */
    final int slateSize;
    /** [T·N·K]: step t of env i chose {@code actions[(t·N + i)·K ..)}. */
    final int[] actions;
    final float[] logProbs;
    final float[] values;
    final float[] rewards;
    final boolean[] terminated;
    final boolean[] truncated;
    /** V(final observation) of a truncated episode, at the step that truncated it. */
    final float[] bootstrapValues;
    /** V(observation after the last step), per environment. */
    final float[] lastValues;
    final float[] advantages;
    final float[] returns;
    /** Longs per step of {@link #masks}, or 0 without masks. */
    final int maskWords;
    /** Allowed actions at each step, [T][N][maskWords] bitsets, or null when actions are not masked. */
    final long[] masks;

    public RolloutBuffer(int steps, int envs, int observationSize) {
        this(steps, envs, observationSize, 0);
    }

    /**
     * @param maskWords longs per allowed-action bitset ({@code ActionMasks.words(actionCount)}), or 0
     *     when the environments do not mask actions
     */
    public RolloutBuffer(int steps, int envs, int observationSize, int maskWords) {
        this(steps, envs, observationSize, maskWords, 0);
    }

    /**
     * @param maskWords as above
     * @param historyLength items of history stored beside every observation (0 = none)
     */
    public RolloutBuffer(int steps, int envs, int observationSize, int maskWords, int historyLength) {
        this(steps, envs, observationSize, maskWords, historyLength, 1);
    }

    /**
     * @param maskWords as above
     * @param historyLength as above
     * @param slateSize actions stored per step (the slate size K; 1 for single-item environments)
     */
    public RolloutBuffer(int steps, int envs, int observationSize, int maskWords, int historyLength, int slateSize) {
        if (slateSize < 1) {
            throw new IllegalArgumentException("slate size must be >= 1");
        }
        this.slateSize = slateSize;
        this.steps = steps;
        this.envs = envs;
        this.observationSize = observationSize;
        int n = steps * envs;
        this.observations = new float[n * observationSize];
        this.actions = new int[n * slateSize];
        this.logProbs = new float[n];
        this.values = new float[n];
        this.rewards = new float[n];
        this.terminated = new boolean[n];
        this.truncated = new boolean[n];
        this.bootstrapValues = new float[n];
        this.lastValues = new float[envs];
        this.advantages = new float[n];
        this.returns = new float[n];
        this.maskWords = maskWords;
        this.masks = maskWords > 0 ? new long[n * maskWords] : null;
        this.historyLength = historyLength;
        this.histories = historyLength > 0 ? new int[n * historyLength] : null;
    }

    /** Actions stored per step, K. */
    public int slateSize() {
        return slateSize;
    }

    /** Whether the buffer stores the allowed actions of every step. */
    public boolean masked() {
        return masks != null;
    }

    /** Steps per environment, T. */
    public int steps() {
        return steps;
    }

    /** Number of environments, N. */
    public int envs() {
        return envs;
    }

    /** T · N transitions. */
    public int size() {
        return steps * envs;
    }

    /** Runs GAE over this rollout, filling advantages and returns. */
    public void computeAdvantages(double gamma, double lambda) {
        Gae.compute(steps, envs, rewards, values, terminated, truncated, bootstrapValues, lastValues,
                (float) gamma, (float) lambda, advantages, returns);
    }

    /**
     * Explained variance of the values as predictors of the returns: 1 − Var(R − V) / Var(R)
     * (NaN when the returns do not vary).
     */
    public double explainedVariance() {
        int n = size();
        double meanR = 0;
        double meanD = 0;
        for (int k = 0; k < n; k++) {
            meanR += returns[k];
            meanD += returns[k] - values[k];
        }
        meanR /= n;
        meanD /= n;
        double varR = 0;
        double varD = 0;
        for (int k = 0; k < n; k++) {
            double r = returns[k] - meanR;
            double d = returns[k] - values[k] - meanD;
            varR += r * r;
            varD += d * d;
        }
        return varR == 0 ? Double.NaN : 1.0 - varD / varR;
    }
}
