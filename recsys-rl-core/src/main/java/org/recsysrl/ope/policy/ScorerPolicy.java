package org.recsysrl.ope.policy;

import java.util.Arrays;
import org.recsysrl.ope.LoggedFeedback;

/**
 * A policy from item scores. Softmax: π(a | x) = exp(s(x,a)/T) / Σ_b exp(s(x,b)/T), the same at every
 * position. Greedy ({@code temperature == 0}): position k of the slate (counting from the log row's
 * first position) gets the item ranked k-th by score; ties go to the lower item index. Caches the last
 * row's distribution; not thread-safe.
 */
public final class ScorerPolicy implements TargetPolicy {
    private final String name;
    private final ItemScorer scorer;
    private final double temperature;
    private LoggedFeedback cachedLog;
    private int cachedRow = -1;
    private double[] scores = new double[0];
    private double[] probs = new double[0];
    private Integer[] order;

    /** {@code temperature > 0} for softmax, {@code 0} for greedy. */
    public ScorerPolicy(String name, ItemScorer scorer, double temperature) {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0: " + temperature);
        }
        this.name = name;
        this.scorer = scorer;
        this.temperature = temperature;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double probability(LoggedFeedback log, int row, int position, int item) {
        load(log, row);
        if (temperature > 0) {
            return probs[item];
        }
        int rank = position - log.position(row);
        return rank >= 0 && rank < order.length && order[rank] == item ? 1.0 : 0.0;
    }

    @Override
    public void distribution(LoggedFeedback log, int row, int position, double[] out) {
        load(log, row);
        if (temperature > 0) {
            System.arraycopy(probs, 0, out, 0, probs.length);
        } else {
            Arrays.fill(out, 0, log.numItems(), 0.0);
            int rank = position - log.position(row);
            if (rank >= 0 && rank < order.length) {
                out[order[rank]] = 1.0;
            }
        }
    }

    private void load(LoggedFeedback log, int row) {
        if (log == cachedLog && row == cachedRow) {
            return;
        }
        int n = log.numItems();
        if (scores.length != n) {
            scores = new double[n];
            probs = new double[n];
        }
        scorer.score(log, row, scores);
        if (temperature > 0) {
            double max = Double.NEGATIVE_INFINITY;
            for (double s : scores) {
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int a = 0; a < n; a++) {
                probs[a] = Math.exp((scores[a] - max) / temperature);
                sum += probs[a];
            }
            for (int a = 0; a < n; a++) {
                probs[a] /= sum;
            }
        } else {
            int len = Math.min(n, log.slateLength(row));
            Integer[] idx = new Integer[n];
            for (int a = 0; a < n; a++) {
                idx[a] = a;
            }
            final double[] s = scores;
            Arrays.sort(idx, (x, y) -> s[x] != s[y] ? Double.compare(s[y], s[x]) : Integer.compare(x, y));
            order = Arrays.copyOf(idx, len);
        }
        cachedLog = log;
        cachedRow = row;
    }
}
