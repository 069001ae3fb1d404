package org.recsysrl.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.recsysrl.util.UserInputException;

/**
 * How a served slate explores: greedy (the model's top {@code k}, the default), epsilon-greedy or
 * Plackett-Luce sampling (softmax without replacement), each reporting the exact probability of
 * what it showed so that the impressions can be used by off-policy estimators.
 *
 * <p>All policies act on the eligible items ranked best first ({@code ranked}: what
 * {@link Recommender#recommend} returns for {@code k} = the catalog size). With {@code n} eligible
 * items and a slate of {@code m = min(k, n)} positions:
 * <ul>
 *   <li><b>greedy</b>: the top {@code m}; every propensity is 1.</li>
 *   <li><b>epsilon-greedy</b> ({@code epsilon=E}, slate-level): with probability {@code 1 - E} the
 *   top {@code m}; with probability {@code E} a uniformly random ordered slate of {@code m}
 *   distinct eligible items. The item at position {@code j} has propensity
 *   {@code (1 - E)·[it is the j-th best] + E/n}; the slate has probability
 *   {@code (1 - E)·[it is the top m in order] + E·(n - m)!/n!}.</li>
 *   <li><b>Plackett-Luce</b> ({@code plackett-luce[:temperature=T]}, default {@code T = 1}; also
 *   {@code softmax:temperature=T}, the same policy, whose one-item case is Boltzmann exploration):
 *   weights {@code w_i = exp(s_i / T)}; each position draws one of the items not yet shown with
 *   probability proportional to its weight. The slate's probability is
 *   {@code prod_j w_(j) / (W - w_(1) - … - w_(j-1))}. The marginal probability that item
 *   {@code i} is shown at position {@code j} (0-based) is, by the exponential-race view of
 *   Plackett-Luce (arrival times {@code T_b ~ Exp(w_b)}, shown in arrival order),
 *   {@code P(i at j) = ∫_0^1 PB_j(x) dx}, where {@code x = exp(-w_i T_i)} is uniform and
 *   {@code PB_j(x)} is the probability that exactly {@code j} other items arrive first, each
 *   independently with probability {@code 1 - x^(w_b / w_i)} (a Poisson-binomial computed by
 *   dynamic programming). Position 0 is exact ({@code w_i / W}); later positions are integrated
 *   by double-exponential (tanh-sinh) quadrature, accurate to about 1e-13 (checked against
 *   enumeration of all orders in the tests). Cost: {@code O(nodes · n · j)} per shown item.</li>
 * </ul>
 * Immutable and thread-safe; the randomness comes from the caller's generator, so a seeded
 * generator gives the same slate every time.
 */
public final class Exploration {
    /** The kinds of policy. */
    public enum Kind {
        /** The model's top k. */
        GREEDY,
        /** Slate-level epsilon-greedy. */
        EPSILON_GREEDY,
        /** Plackett-Luce (softmax without replacement). */
        PLACKETT_LUCE
    }

    private static final Exploration GREEDY = new Exploration(Kind.GREEDY, 0, 1, "greedy");
    /** Step of the tanh-sinh quadrature. */
    private static final double H = 1.0 / 24;
    /** Largest |tau| of the quadrature (beyond it the weights are below 1e-30). */
    private static final double TAU_MAX = 3.3;
    private static final double[] NODE_LOG_X;
    private static final double[] NODE_W;

    static {
        int half = (int) Math.ceil(TAU_MAX / H);
        List<double[]> nodes = new ArrayList<>();
        for (int k = -half; k <= half; k++) {
            double tau = k * H;
            double u = Math.PI * Math.sinh(tau);
            // x = 1 / (1 + e^-u) and 1 - x, both computed without cancellation
            double x = 1 / (1 + Math.exp(-u));
            double oneMinusX = 1 / (1 + Math.exp(u));
            double w = H * Math.PI * Math.cosh(tau) * x * oneMinusX;
            if (x > 0 && w > 0) {
                double logX = u >= 0 ? -Math.log1p(Math.exp(-u)) : u - Math.log1p(Math.exp(u));
                nodes.add(new double[] {x, logX, w});
            }
        }
        NODE_LOG_X = new double[nodes.size()];
        NODE_W = new double[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            NODE_LOG_X[i] = nodes.get(i)[1];
            NODE_W[i] = nodes.get(i)[2];
        }
    }

    private final Kind kind;
    private final double epsilon;
    private final double temperature;
    private final String spec;

    private Exploration(Kind kind, double epsilon, double temperature, String spec) {
        this.kind = kind;
        this.epsilon = epsilon;
        this.temperature = temperature;
        this.spec = spec;
    }

    /** The model's top k, every propensity 1. */
    public static Exploration greedy() {
        return GREEDY;
    }

    /** Slate-level epsilon-greedy with {@code 0 <= epsilon <= 1}. */
    public static Exploration epsilonGreedy(double epsilon) {
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("epsilon must be in [0, 1], got " + epsilon);
        }
        return new Exploration(Kind.EPSILON_GREEDY, epsilon, 1, "epsilon=" + epsilon);
    }

    /** Plackett-Luce sampling at the given temperature (> 0). */
    public static Exploration plackettLuce(double temperature) {
        checkTemperature(temperature);
        return new Exploration(Kind.PLACKETT_LUCE, 0, temperature, "plackett-luce:temperature=" + temperature);
    }

    /** Softmax exploration at the given temperature: Plackett-Luce (for one item, Boltzmann exploration). */
    public static Exploration softmax(double temperature) {
        checkTemperature(temperature);
        return new Exploration(Kind.PLACKETT_LUCE, 0, temperature, "softmax:temperature=" + temperature);
    }

    private static void checkTemperature(double t) {
        if (!(t > 0 && Double.isFinite(t))) {
            throw new IllegalArgumentException("temperature must be a positive number, got " + t);
        }
    }

    /**
     * Parses {@code greedy}, {@code epsilon=E}, {@code softmax:temperature=T} or
     * {@code plackett-luce[:temperature=T]}.
     *
     * @throws UserInputException naming the accepted forms when {@code spec} is none of them
     */
    public static Exploration parse(String spec) {
        String s = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
        String forms = ": use greedy, epsilon=E (0 <= E <= 1), softmax:temperature=T or plackett-luce[:temperature=T]"
                + " (T > 0)";
        try {
            if (s.equals("greedy")) {
                return greedy();
            }
            if (s.startsWith("epsilon=")) {
                return epsilonGreedy(Double.parseDouble(s.substring("epsilon=".length())));
            }
            if (s.startsWith("softmax:temperature=")) {
                return softmax(Double.parseDouble(s.substring("softmax:temperature=".length())));
            }
            if (s.equals("plackett-luce")) {
                return plackettLuce(1);
            }
            if (s.startsWith("plackett-luce:temperature=")) {
                return plackettLuce(Double.parseDouble(s.substring("plackett-luce:temperature=".length())));
            }
        } catch (IllegalArgumentException e) {
            throw new UserInputException("bad exploration \"" + spec + "\" (" + e.getMessage() + ")" + forms);
        }
        throw new UserInputException("unknown exploration \"" + spec + "\"" + forms);
    }

    /** The kind of policy. */
    public Kind kind() {
        return kind;
    }

    /** True for the greedy policy. */
    public boolean isGreedy() {
        return kind == Kind.GREEDY;
    }

    /** Epsilon (epsilon-greedy only; else 0). */
    public double epsilon() {
        return epsilon;
    }

    /** The temperature (Plackett-Luce only; else 1). */
    public double temperature() {
        return temperature;
    }

    @Override
    public String toString() {
        return spec;
    }

    /**
     * Explores over the request's eligible items: asks the model for all of them ranked (the
     * request with {@code k} = the catalog size), then {@link #sample}s {@code request.k()}.
     */
    public ExploredSlate recommend(Recommender model, RecommendRequest request, RandomGenerator rng) {
        int n = model.itemCount();
        if (request.k() < 1 || request.k() > n) {
            throw new RequestException(400, "k must be between 1 and the catalog size " + n + " (got " + request.k() + ")");
        }
        if (isGreedy()) {
            return sample(model.recommend(request), request.k(), rng);
        }
        List<ScoredItem> all = model.recommend(new RecommendRequest(request.user(), request.history(),
                request.exclude(), request.candidates(), n));
        return sample(all, request.k(), rng);
    }

    /**
     * Chooses a slate of {@code min(k, ranked.size())} items from {@code ranked} (the eligible
     * items, best first, with their scores) and returns it with its propensities.
     */
    public ExploredSlate sample(List<ScoredItem> ranked, int k, RandomGenerator rng) {
        int n = ranked.size();
        int m = Math.min(k, n);
        double[] p = new double[m];
        if (m == 0) {
            return new ExploredSlate(List.of(), p, 1);
        }
        switch (kind) {
            case GREEDY -> {
                java.util.Arrays.fill(p, 1);
                return new ExploredSlate(ranked.subList(0, m), p, 1);
            }
            case EPSILON_GREEDY -> {
                return epsilonGreedy(ranked, m, rng);
            }
            default -> {
                return plackettLuce(ranked, m, rng);
            }
        }
    }

    private ExploredSlate epsilonGreedy(List<ScoredItem> ranked, int m, RandomGenerator rng) {
        int n = ranked.size();
        int[] order = new int[m];
        boolean explore = epsilon > 0 && rng.nextDouble() < epsilon;
        if (explore) { // a uniformly random ordered slate: a partial Fisher-Yates shuffle
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            for (int j = 0; j < m; j++) {
                int r = j + rng.nextInt(n - j);
                int t = idx[j];
                idx[j] = idx[r];
                idx[r] = t;
                order[j] = idx[j];
            }
        } else {
            for (int j = 0; j < m; j++) {
                order[j] = j;
            }
        }
        double[] p = new double[m];
        List<ScoredItem> items = new ArrayList<>(m);
        boolean isGreedySlate = true;
        for (int j = 0; j < m; j++) {
            items.add(ranked.get(order[j]));
            p[j] = (order[j] == j ? 1 - epsilon : 0) + epsilon / n;
            isGreedySlate &= order[j] == j;
        }
        double uniform = epsilon;
        for (int j = 0; j < m; j++) {
            uniform /= n - j;
        }
        return new ExploredSlate(items, p, (isGreedySlate ? 1 - epsilon : 0) + uniform);
    }

    private ExploredSlate plackettLuce(List<ScoredItem> ranked, int m, RandomGenerator rng) {
        int n = ranked.size();
        double[] w = weights(ranked);
        double total = 0;
        for (double x : w) {
            total += x;
        }
        boolean[] taken = new boolean[n];
        int[] order = new int[m];
        double remaining = total;
        double slate = 1;
        for (int j = 0; j < m; j++) {
            double u = rng.nextDouble() * remaining;
            int pick = -1;
            double acc = 0;
            for (int i = 0; i < n; i++) {
                if (!taken[i]) {
                    pick = i; // the last untaken item absorbs rounding at the top end
                    acc += w[i];
                    if (u < acc) {
                        break;
                    }
                }
            }
            taken[pick] = true;
            order[j] = pick;
            slate *= w[pick] / remaining;
            remaining = Math.max(remaining - w[pick], 0);
        }
        double[] p = new double[m];
        List<ScoredItem> items = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            items.add(ranked.get(order[j]));
            p[j] = marginal(w, total, order[j], j);
        }
        return new ExploredSlate(items, p, slate);
    }

    /** Plackett-Luce weights {@code exp((s_i - max s) / T)} (scores that are not finite weigh 0, unless all are). */
    private double[] weights(List<ScoredItem> ranked) {
        int n = ranked.size();
        double max = Double.NEGATIVE_INFINITY;
        for (ScoredItem s : ranked) {
            if (Float.isFinite(s.score())) {
                max = Math.max(max, s.score());
            }
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            float s = ranked.get(i).score();
            w[i] = max == Double.NEGATIVE_INFINITY ? 1 : Float.isFinite(s) ? Math.exp((s - max) / temperature) : 0;
        }
        return w;
    }

    /**
     * The Plackett-Luce probability that item {@code i} is shown at position {@code j} (0-based),
     * weights {@code w} summing to {@code total}.
     */
    static double marginal(double[] w, double total, int i, int j) {
        if (j == 0) {
            return w[i] / total;
        }
        int n = w.length;
        double wi = w[i];
        double[] dp = new double[j + 1];
        double sum = 0;
        for (int q = 0; q < NODE_W.length; q++) {
            double logX = NODE_LOG_X[q];
            java.util.Arrays.fill(dp, 0);
            dp[0] = 1;
            int reached = 0;
            for (int b = 0; b < n; b++) {
                if (b == i || w[b] == 0) {
                    continue;
                }
                double before = -Math.expm1(w[b] / wi * logX); // 1 - x^(w_b / w_i)
                double after = 1 - before;
                int top = Math.min(reached + 1, j);
                for (int c = top; c >= 1; c--) {
                    dp[c] = dp[c] * after + dp[c - 1] * before;
                }
                dp[0] *= after;
                reached = top;
            }
            sum += NODE_W[q] * dp[j];
        }
        return Math.min(1, Math.max(sum, Double.MIN_NORMAL));
    }
}
