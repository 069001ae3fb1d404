package org.recsysrl.ope.sequential;

import java.util.Arrays;

/**
 * A policy's distribution over the {@code n} actions of one step, held compactly as a mixture of
 * the uniform distribution and point masses:
 *
 * <pre>  π(a) = u / n + Σ_j m_j · 1[a = a_j]</pre>
 *
 * with u ≥ 0, m_j ≥ 0 and u + Σ m_j = 1. An ε-greedy policy is u = ε with one point mass 1 − ε on
 * its greedy action; the uniform policy is u = 1; a softmax is u = 0 with a mass on every action.
 * {@link #expectation} then costs one mean over the actions plus one term per point mass, which is
 * what fitted-Q evaluation and the doubly robust estimators need at every step.
 */
public final class ActionDistribution {
    private static final double SUM_TOLERANCE = 1e-9;
    private final int n;
    private final double uniform;
    private final int[] actions;
    private final double[] masses;

    /**
     * @param n the number of actions (at least 1)
     * @param uniform the mass spread evenly over all {@code n} actions
     * @param actions actions given extra mass (in [0, n); repeats add up)
     * @param masses the extra mass of each of {@code actions}
     * @throws IllegalArgumentException if a mass is negative or not finite, or the masses do not sum to 1
     */
    public ActionDistribution(int n, double uniform, int[] actions, double[] masses) {
        if (n < 1 || actions.length != masses.length) {
            throw new IllegalArgumentException("need n >= 1 and one mass per action");
        }
        double sum = uniform;
        if (!(uniform >= 0) || Double.isInfinite(uniform)) {
            throw new IllegalArgumentException("uniform mass " + uniform + " is not a probability");
        }
        for (int j = 0; j < actions.length; j++) {
            if (actions[j] < 0 || actions[j] >= n) {
                throw new IllegalArgumentException("action " + actions[j] + " not in [0, " + n + ")");
            }
            if (!(masses[j] >= 0) || Double.isInfinite(masses[j])) {
                throw new IllegalArgumentException("mass " + masses[j] + " is not a probability");
            }
            sum += masses[j];
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException("masses sum to " + sum + ", not 1");
        }
        this.n = n;
        this.uniform = uniform;
        this.actions = actions.clone();
        this.masses = masses.clone();
    }

    /** The uniform distribution over {@code n} actions. */
    public static ActionDistribution uniform(int n) {
        return new ActionDistribution(n, 1, new int[0], new double[0]);
    }

    /** ε-greedy: {@code greedy} with probability 1 − ε, otherwise a uniformly random action (which may be {@code greedy}). */
    public static ActionDistribution epsilonGreedy(int n, int greedy, double epsilon) {
        if (epsilon == 1) {
            return uniform(n);
        }
        return new ActionDistribution(n, epsilon, new int[] {greedy}, new double[] {1 - epsilon});
    }

    /** A dense distribution: {@code probs[a]} for every action (summing to 1). */
    public static ActionDistribution dense(double[] probs) {
        int[] all = new int[probs.length];
        for (int a = 0; a < all.length; a++) {
            all[a] = a;
        }
        return new ActionDistribution(probs.length, 0, all, probs);
    }

    /** The number of actions. */
    public int actionCount() {
        return n;
    }

    /** u, the mass spread evenly over all actions. */
    public double uniformMass() {
        return uniform;
    }

    /** The actions given point masses (a copy; repeats possible). */
    public int[] pointActions() {
        return actions.clone();
    }

    /** The point masses, matching {@link #pointActions()} (a copy). */
    public double[] pointMasses() {
        return masses.clone();
    }

    /** π(a). */
    public double probability(int action) {
        double p = uniform / n;
        for (int j = 0; j < actions.length; j++) {
            if (actions[j] == action) {
                p += masses[j];
            }
        }
        return p;
    }

    /**
     * Σ_a π(a) f(a), given f's mean over all actions ({@code meanValue} = (1/n) Σ_a f(a)) and f itself
     * for the point masses.
     */
    public double expectation(double meanValue, java.util.function.IntToDoubleFunction f) {
        double e = uniform == 0 ? 0 : uniform * meanValue;
        for (int j = 0; j < actions.length; j++) {
            if (masses[j] != 0) {
                e += masses[j] * f.applyAsDouble(actions[j]);
            }
        }
        return e;
    }

    /** Draws an action with {@code u1}, {@code u2} uniform in [0, 1) (two draws keep the uniform part exact). */
    public int sample(double u1, java.util.function.IntUnaryOperator uniformDraw) {
        double c = 0;
        for (int j = 0; j < actions.length; j++) {
            c += masses[j];
            if (u1 < c) {
                return actions[j];
            }
        }
        if (uniform > 0) {
            return uniformDraw.applyAsInt(n);
        }
        // rounding left u1 just above the masses' sum: the last action with mass
        for (int j = actions.length - 1; j >= 0; j--) {
            if (masses[j] > 0) {
                return actions[j];
            }
        }
        throw new IllegalStateException("empty distribution");
    }

    /** The probabilities of all actions (for small catalogues: logs that record the whole distribution). */
    public double[] toDense() {
        double[] p = new double[n];
        Arrays.fill(p, uniform / n);
        for (int j = 0; j < actions.length; j++) {
            p[actions[j]] += masses[j];
        }
        return p;
    }
}
