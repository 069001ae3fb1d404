package org.recsysrl.seq;

import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;

/**
 * A sequence model's next-item distribution mixed with first-order transition probabilities:
 *
 * <pre>
 *     p(i | h) = (1 − α) · softmax(s)_i + α · q_i / Σ_j q_j,      score_i = log p(i | h)
 * </pre>
 *
 * with {@code s} the network's scores and {@code q} the non-negative scores of a transition model
 * (how often item i followed the history's last item, backed off to popularity). A network of
 * d-dimensional embeddings shares what it learns between items; transition counts remember each
 * observed pair exactly, which is what a sparse catalogue rewards. The two make different errors,
 * so the mixture ranks better than either; α is chosen on validation ({@code seq.markov_mix}).
 * An item the network scores −∞ keeps only the transition mass; an item with neither scores −∞.
 */
public final class MarkovMixture implements Recommender {
    /** The weights {@code seq.markov_mix=auto} chooses from, on validation. */
    public static final double[] ALPHAS = {0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7};

    private final Recommender network;
    private final Recommender transitions;
    private final double alpha;
    private final String name;

    /**
     * @param network scores read as logits (any finite or −∞ values)
     * @param transitions non-negative scores read as unnormalised probabilities
     * @param alpha weight of the transitions, in [0, 1]
     * @param name for reports
     */
    public MarkovMixture(Recommender network, Recommender transitions, double alpha, String name) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("mixture weight must be in [0, 1], got " + alpha);
        }
        if (network.itemCount() != transitions.itemCount()) {
            throw new IllegalArgumentException("the network scores " + network.itemCount()
                    + " items, the transitions " + transitions.itemCount());
        }
        this.network = network;
        this.transitions = transitions;
        this.alpha = alpha;
        this.name = name;
    }

    /** The weight α of the transition probabilities. */
    public double alpha() {
        return alpha;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int itemCount() {
        return network.itemCount();
    }

    @Override
    public Scorer newScorer() {
        Scorer logits = network.newScorer();
        Scorer counts = transitions.newScorer();
        float[] q = new float[itemCount()];
        return (History h, float[] out) -> {
            logits.score(h, out);
            counts.score(h, q);
            mix(out, q, alpha);
        };
    }

    /**
     * Overwrites {@code logits} with {@code log((1 − α)·softmax(logits) + α·q/Σq)}; a part whose
     * total is zero (every logit −∞, or no transition mass) gives its weight to the other.
     */
    static void mix(float[] logits, float[] q, double alpha) {
        int n = logits.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[i]);
        }
        double z = 0;
        if (max > Double.NEGATIVE_INFINITY) {
            for (int i = 0; i < n; i++) {
                z += Math.exp(logits[i] - max);
            }
        }
        double qTotal = 0;
        for (int i = 0; i < n; i++) {
            qTotal += q[i];
        }
        double a = qTotal > 0 ? (z > 0 ? alpha : 1) : 0;
        double networkWeight = z > 0 ? (1 - a) / z : 0;
        double transitionWeight = qTotal > 0 ? a / qTotal : 0;
        for (int i = 0; i < n; i++) {
            double p = (networkWeight > 0 ? networkWeight * Math.exp(logits[i] - max) : 0) + transitionWeight * q[i];
            logits[i] = p > 0 ? (float) Math.log(p) : Float.NEGATIVE_INFINITY;
        }
    }
}
