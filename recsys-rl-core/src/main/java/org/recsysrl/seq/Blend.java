package org.recsysrl.seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;

/**
 * The served scorer: a convex combination of next-item distributions, one per component,
 *
 * <pre>
 *     p(i | h) = Σ_c w_c · p_c(i | h),   w on the simplex,   score_i = log p(i | h)
 * </pre>
 *
 * <p>Each component's scores are made a distribution over the items before they are weighted (the
 * per-component normalisation): a {@link Kind#LOGITS} component (the network) by the softmax, a
 * {@link Kind#MASS} component (Markov transitions, popularity, item-kNN, EASE) by its positive part
 * divided by its sum. A component with no mass for a history (every logit −∞, or no positive
 * score: an unseen last item, an empty history) gives its weight to the others in proportion to
 * theirs. An item no weighted component gives mass scores −∞. With the network and the Markov
 * transitions alone this is {@link MarkovMixture} (α = the transitions' weight).
 *
 * <p>The weights are chosen on validation by {@link #search}.
 */
public final class Blend implements Recommender {
    /** How a component's scores become a distribution. */
    public enum Kind {
        /** Scores read as logits: softmax. */
        LOGITS,
        /** Non-negative evidence (counts, similarities): positive part over its sum. */
        MASS
    }

    /** Step sizes λ of the search's moves {@code w ← (1 − λ)·w + λ·e_c}. */
    public static final double[] STEPS = {0.1, 0.2, 0.3, 0.5};
    /** Rounds of moves the search makes at most. */
    public static final int ROUNDS = 3;

    private final Recommender[] components;
    private final Kind[] kinds;
    private final double[] weights;
    private final String name;

    /**
     * @param components the components, all over the same items
     * @param kinds how each becomes a distribution
     * @param weights non-negative, summing to 1 (within 1e-9)
     * @param name for reports
     */
    public Blend(List<? extends Recommender> components, List<Kind> kinds, double[] weights, String name) {
        int m = components.size();
        if (m == 0 || kinds.size() != m || weights.length != m) {
            throw new IllegalArgumentException("blend: " + m + " components, " + kinds.size() + " kinds, "
                    + weights.length + " weights");
        }
        double total = 0;
        for (double w : weights) {
            if (!(w >= 0 && w <= 1)) {
                throw new IllegalArgumentException("blend weight " + w + " outside [0, 1]");
            }
            total += w;
        }
        if (Math.abs(total - 1) > 1e-9) {
            throw new IllegalArgumentException("blend weights sum to " + total + ", not 1");
        }
        for (Recommender c : components) {
            if (c.itemCount() != components.get(0).itemCount()) {
                throw new IllegalArgumentException("blend components score " + c.itemCount() + " and "
                        + components.get(0).itemCount() + " items");
            }
        }
        this.components = components.toArray(new Recommender[0]);
        this.kinds = kinds.toArray(new Kind[0]);
        this.weights = weights.clone();
        this.name = name;
    }

    /** The weights, in component order. */
    public double[] weights() {
        return weights.clone();
    }

    /** The index of the one component with weight 1, or −1 when several are weighted. */
    public int soleComponent() {
        for (int c = 0; c < weights.length; c++) {
            if (weights[c] == 1) {
                return c;
            }
        }
        return -1;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int itemCount() {
        return components[0].itemCount();
    }

    @Override
    public Scorer newScorer() {
        int n = itemCount();
        int m = components.length;
        int sole = soleComponent();
        if (sole >= 0) { // one component: its own scores (the same ranking, none of the normalising work)
            return components[sole].newScorer();
        }
        Scorer[] scorers = new Scorer[m];
        float[][] raw = new float[m][];
        for (int c = 0; c < m; c++) {
            if (weights[c] > 0) {
                scorers[c] = components[c].newScorer();
                raw[c] = new float[n];
            }
        }
        double[] p = new double[n];
        double[] shift = new double[m];
        double[] scale = new double[m];
        return (History h, float[] out) -> {
            double weighted = 0;
            for (int c = 0; c < m; c++) {
                scale[c] = 0;
                if (scorers[c] == null) {
                    continue;
                }
                scorers[c].score(h, raw[c]);
                double mass = kinds[c] == Kind.LOGITS ? softmaxMass(raw[c], shift, c) : positiveMass(raw[c]);
                if (mass > 0) {
                    scale[c] = weights[c] / mass;
                    weighted += weights[c];
                }
            }
            Arrays.fill(p, 0);
            if (weighted > 0) {
                for (int c = 0; c < m; c++) {
                    if (scale[c] == 0) {
                        continue;
                    }
                    double k = scale[c] / weighted;
                    float[] x = raw[c];
                    if (kinds[c] == Kind.LOGITS) {
                        double max = shift[c];
                        for (int i = 0; i < n; i++) {
                            p[i] += k * Math.exp(x[i] - max);
                        }
                    } else {
                        for (int i = 0; i < n; i++) {
                            if (x[i] > 0) {
                                p[i] += k * x[i];
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                out[i] = p[i] > 0 ? (float) Math.log(p[i]) : Float.NEGATIVE_INFINITY;
            }
        };
    }

    /** Σ exp(x − max), with the max stored in {@code shift[c]}; 0 when every logit is −∞. */
    private static double softmaxMass(float[] x, double[] shift, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        shift[c] = max;
        if (max == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        double z = 0;
        for (float v : x) {
            z += Math.exp(v - max);
        }
        return z;
    }

    private static double positiveMass(float[] x) {
        double total = 0;
        for (float v : x) {
            if (v > 0) {
                total += v;
            }
        }
        return total;
    }

    /**
     * The outcome of {@link #search}.
     *
     * @param weights the chosen weights
     * @param value their validation value
     * @param vertices each component alone: its validation value
     * @param evaluations how many weight vectors were evaluated
     */
    public record Choice(double[] weights, double value, double[] vertices, int evaluations) {
    }

    /**
     * Chooses blend weights on validation by a coordinate search over the simplex: every
     * component alone is evaluated first and the best is the start (ties to the lower index); then,
     * for at most {@link #ROUNDS} rounds, every move {@code w ← (1 − λ)·w + λ·e_c} (every component
     * c, every λ of {@link #STEPS}) is evaluated, and the best is taken if it is strictly better than
     * the current weights (ties to the earlier move: lower c, then smaller λ); otherwise the
     * search stops. At most m + ROUNDS·m·|STEPS| evaluations.
     *
     * @param m the number of components
     * @param value the validation metric of a weight vector (higher is better)
     * @param log receives one line per accepted move
     */
    public static Choice search(int m, ToDoubleFunction<double[]> value, Consumer<String> log) {
        double[] vertices = new double[m];
        int best = 0;
        int evaluations = 0;
        for (int c = 0; c < m; c++) {
            vertices[c] = value.applyAsDouble(unit(m, c));
            evaluations++;
            if (vertices[c] > vertices[best]) {
                best = c;
            }
        }
        double[] w = unit(m, best);
        double current = vertices[best];
        for (int round = 0; round < ROUNDS; round++) {
            double[] bestMove = null;
            double bestValue = current;
            String bestText = null;
            for (int c = 0; c < m; c++) {
                if (w[c] == 1) {
                    continue;
                }
                for (double step : STEPS) {
                    double[] moved = new double[m];
                    for (int j = 0; j < m; j++) {
                        moved[j] = round6((1 - step) * w[j] + (j == c ? step : 0));
                    }
                    normalise(moved);
                    double v = value.applyAsDouble(moved);
                    evaluations++;
                    if (v > bestValue) {
                        bestValue = v;
                        bestMove = moved;
                        bestText = String.format(Locale.ROOT, "+%.2f toward component %d", step, c);
                    }
                }
            }
            if (bestMove == null) {
                break;
            }
            w = bestMove;
            current = bestValue;
            log.accept(String.format(Locale.ROOT, "blend round %d: %s -> %s, validation %.4f", round + 1, bestText,
                    Arrays.toString(w), current));
        }
        return new Choice(w, current, vertices, evaluations);
    }

    private static double[] unit(int m, int c) {
        double[] w = new double[m];
        w[c] = 1;
        return w;
    }

    private static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /** Makes the weights sum to 1 exactly enough for the constructor (after rounding). */
    private static void normalise(double[] w) {
        double total = 0;
        for (double v : w) {
            total += v;
        }
        for (int j = 0; j < w.length; j++) {
            w[j] /= total;
        }
    }

    /** {@code network=0.60,markov=0.30,item-knn=0.10}: the non-zero weights with the components' names. */
    public static String describe(List<String> names, double[] weights) {
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < weights.length; c++) {
            if (weights[c] > 0) {
                parts.add(String.format(Locale.ROOT, "%s=%.3f", names.get(c), weights[c]));
            }
        }
        return String.join(",", parts);
    }
}
