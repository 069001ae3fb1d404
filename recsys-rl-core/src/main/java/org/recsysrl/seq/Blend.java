package org.recsysrl.seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
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
    /**
     * The guard's one-sided z (95 %): a blend is served over the best baseline only if its paired
     * validation gain over that baseline is above {@code GUARD_Z} standard errors ({@link #searchGuarded}).
     */
    public static final double GUARD_Z = 1.645;

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
        return search(m, value, log, new ArrayList<>());
    }

    /** {@link #search}, adding the start and every accepted weight vector to {@code path}. */
    private static Choice search(int m, ToDoubleFunction<double[]> value, Consumer<String> log, List<double[]> path) {
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
        path.add(w);
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
            path.add(w);
            log.accept(String.format(Locale.ROOT, "blend round %d: %s -> %s, validation %.4f", round + 1, bestText,
                    Arrays.toString(w), current));
        }
        return new Choice(w, current, vertices, evaluations);
    }

    /**
     * A paired gain of one model over another on the same users: the mean of the per-user
     * differences and its standard error (sample standard deviation / √n; users where either
     * value is NaN left out).
     *
     * @param mean mean of a − b
     * @param standardError its standard error (0 with fewer than two users)
     * @param users users compared
     */
    public record Gain(double mean, double standardError, int users) {
        /** {@code mean − z · standardError}: above 0 when the gain is sure at that z (one-sided). */
        public double lowerBound(double z) {
            return mean - z * standardError;
        }

        /** The paired gain of {@code a} over {@code b}, per-user values of the same users in the same order. */
        public static Gain of(double[] a, double[] b) {
            if (a.length != b.length) {
                throw new IllegalArgumentException("paired gain of " + a.length + " and " + b.length + " users");
            }
            int n = 0;
            double sum = 0;
            double sumSq = 0;
            for (int k = 0; k < a.length; k++) {
                if (!Double.isNaN(a[k]) && !Double.isNaN(b[k])) {
                    double d = a[k] - b[k];
                    n++;
                    sum += d;
                    sumSq += d * d;
                }
            }
            if (n == 0) {
                return new Gain(Double.NaN, Double.NaN, 0);
            }
            double mean = sum / n;
            double variance = n < 2 ? 0 : Math.max(0, (sumSq - n * mean * mean) / (n - 1));
            return new Gain(mean, Math.sqrt(variance / n), n);
        }
    }

    /**
     * The outcome of {@link #searchGuarded}.
     *
     * @param choice what is served: its weights, validation value, the vertices and the evaluations made
     * @param searched the weights the unguarded search reached, with {@code searchedValue}
     * @param reference the best baseline: the component (other than 0, the network) best alone
     * @param gain the served weights' paired gain over the reference (0 when the reference is served)
     * @param searchedGain the searched weights' paired gain over the reference
     */
    public record Guarded(Choice choice, double[] searched, double searchedValue, int reference, Gain gain,
            Gain searchedGain) {
        /** True if the search reached weights it does not serve, for want of a sure gain over the reference. */
        public boolean shrunk() {
            return !Arrays.equals(searched, choice.weights());
        }
    }

    /**
     * {@link #search} by the mean of per-user validation values, then the guard: of the weights the
     * search passed through (its start and every accepted move), the served ones are the best whose
     * paired gain over the best baseline alone (component {@code reference}: the best vertex other
     * than component 0, the network) is sure, {@code mean − GUARD_Z · SE > 0}; when none is, the
     * best baseline alone. The greedy search's small validation gains (a few users' ranks on a small
     * validation set) are thus not served over the baseline they barely beat. With one component
     * there is nothing to guard.
     *
     * @param perUser each user's validation metric for a weight vector (the same users, in order)
     */
    public static Guarded searchGuarded(int m, Function<double[], double[]> perUser, Consumer<String> log) {
        java.util.Map<String, double[]> seen = new java.util.HashMap<>();
        Function<double[], double[]> values = w -> seen.computeIfAbsent(Arrays.toString(w), k -> perUser.apply(w));
        List<double[]> path = new ArrayList<>();
        Choice searched = search(m, w -> mean(values.apply(w)), log, path);
        if (m == 1) {
            return new Guarded(searched, searched.weights(), searched.value(), 0, new Gain(0, 0, 0), new Gain(0, 0, 0));
        }
        int reference = 1;
        for (int c = 2; c < m; c++) {
            if (searched.vertices()[c] > searched.vertices()[reference]) {
                reference = c;
            }
        }
        double[] base = values.apply(unit(m, reference));
        double[] served = unit(m, reference);
        double servedValue = searched.vertices()[reference];
        Gain servedGain = new Gain(0, 0, base.length);
        for (double[] w : path) {
            if (w[reference] == 1) {
                continue;
            }
            double[] v = values.apply(w);
            Gain g = Gain.of(v, base);
            double value = mean(v);
            if (g.lowerBound(GUARD_Z) > 0 && value > servedValue) {
                served = w;
                servedValue = value;
                servedGain = g;
            }
        }
        Choice choice = new Choice(served, servedValue, searched.vertices(), searched.evaluations());
        return new Guarded(choice, searched.weights(), searched.value(), reference, servedGain,
                Gain.of(values.apply(searched.weights()), base));
    }

    private static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
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
