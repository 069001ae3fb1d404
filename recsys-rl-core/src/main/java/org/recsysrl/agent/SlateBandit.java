package org.recsysrl.agent;

import org.recsysrl.util.Rng;

/**
 * A contextual bandit for slate environments whose observation describes each candidate in a block
 * of its own: one ridge regression, shared by all candidates, of a shown document's immediate
 * reward (the reward if the user took it, else 0) on its features x = (its block, 1), kept by a
 * one-arm {@link LinearBandit}. Each step it scores every candidate, by θ·x + α·√(xᵀA⁻¹x) (LinUCB)
 * or by θ·x with a uniformly random slate with probability ε (ε-greedy), and shows the K best,
 * best first; it learns from every position of the slate it showed. Like the myopic oracle it
 * maximises the immediate reward, but must learn it. Not thread-safe; deterministic for a seed.
 */
public final class SlateBandit implements OnlinePolicy {
    private final String name;
    private final LinearBandit regression;
    private final int offset;
    private final int width;
    private final int candidates;
    private final int slate;
    private final double epsilon;
    private final Rng rng;
    private final float[] features;
    private final double[] scores;

    private SlateBandit(String name, LinearBandit regression, int offset, int width, int candidates, int slate,
            double epsilon, Rng rng) {
        if (slate < 1 || slate > candidates || width < 1 || offset < 0) {
            throw new IllegalArgumentException("a slate bandit needs 1 <= slate <= candidates and a block width");
        }
        this.name = name;
        this.regression = regression;
        this.offset = offset;
        this.width = width;
        this.candidates = candidates;
        this.slate = slate;
        this.epsilon = epsilon;
        this.rng = rng;
        this.features = new float[candidates * (width + 1)];
        this.scores = new double[candidates];
    }

    /**
     * LinUCB over candidate blocks: {@code candidates} blocks of {@code width} floats from
     * {@code offset} in every observation; slates of {@code slate}.
     */
    public static SlateBandit linUcb(int offset, int width, int candidates, int slate, double lambda, double alpha) {
        return new SlateBandit("linucb", LinearBandit.linUcb(1, width + 1, lambda, alpha), offset, width, candidates,
                slate, 0, null);
    }

    /** ε-greedy over the same shared regression. */
    public static SlateBandit epsilonGreedy(int offset, int width, int candidates, int slate, double lambda,
            double epsilon, Rng rng) {
        return new SlateBandit("epsilon-greedy", LinearBandit.linUcb(1, width + 1, lambda, 0), offset, width,
                candidates, slate, epsilon, rng);
    }

    @Override
    public void act(float[] obs, int batch, int[] actionsOut) {
        int d = obsWidth();
        for (int row = 0; row < batch; row++) {
            int out = row * slate;
            if (epsilon > 0 && rng.nextDouble() < epsilon) {
                Slates.random(rng, candidates, slate, actionsOut, out);
                continue;
            }
            for (int s = 0; s < candidates; s++) {
                fill(obs, row * d, s, features, s * (width + 1));
                scores[s] = regression.upperBound(0, features, s * (width + 1));
            }
            for (int k = 0; k < slate; k++) {
                int best = -1;
                for (int s = 0; s < candidates; s++) {
                    if (!Slates.contains(actionsOut, out, k, s) && (best < 0 || scores[s] > scores[best])) {
                        best = s;
                    }
                }
                actionsOut[out + k] = best;
            }
        }
    }

    /** The observation width this bandit was built for: the candidate blocks end the observation. */
    private int obsWidth() {
        return offset + candidates * width;
    }

    private void fill(float[] obs, int obsOff, int candidate, float[] into, int at) {
        System.arraycopy(obs, obsOff + offset + candidate * width, into, at, width);
        into[at + width] = 1f;
    }

    @Override
    public void learn(float[] obs, int off, int action, float reward) {
        fill(obs, off, action, features, 0);
        regression.learn(features, 0, 0, reward);
    }

    @Override
    public void learnSlate(float[] obs, int off, int[] shown, int slateOff, int choice, float reward) {
        for (int k = 0; k < slate; k++) {
            fill(obs, off, shown[slateOff + k], features, 0);
            regression.learn(features, 0, 0, k == choice ? reward : 0f);
        }
    }

    @Override
    public int slateSize() {
        return slate;
    }

    @Override
    public String name() {
        return name;
    }
}
