package org.recsysrl.ope.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.UserInputException;

/**
 * A policy that ignores the context: per position, a fixed distribution over item ids. Bound to a
 * log on first use (ids mapped to the log's item indices; mass on ids the log does not know is kept
 * as {@link #massOutsideLog}). Not thread-safe.
 */
public class ContextFreePolicy implements TargetPolicy {
    private final String name;
    private final List<Map<String, Double>> byPosition;
    private LoggedFeedback bound;
    private double[][] probs;
    private double[] outside;

    /**
     * @param name       report name
     * @param byPosition per position (index = position), item id to probability; each sums to 1
     */
    public ContextFreePolicy(String name, List<Map<String, Double>> byPosition) {
        this.name = name;
        this.byPosition = new ArrayList<>();
        for (Map<String, Double> m : byPosition) {
            this.byPosition.add(m == null ? null : new LinkedHashMap<>(m));
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** Number of positions the policy defines. */
    public int positions() {
        return byPosition.size();
    }

    /** The distribution at {@code position} by item id (a copy), or {@code null} when undefined. */
    public Map<String, Double> positionDistribution(int position) {
        Map<String, Double> m = position < byPosition.size() ? byPosition.get(position) : null;
        return m == null ? null : new LinkedHashMap<>(m);
    }

    @Override
    public boolean contextFree() {
        return true;
    }

    @Override
    public void checkCompatible(LoggedFeedback log) {
        for (int r = 0; r < log.rows(); r++) {
            int last = log.position(r) + log.slateLength(r) - 1;
            if (last >= byPosition.size() || byPosition.get(last) == null) {
                throw new UserInputException("target " + name + " has no probabilities for position " + last
                        + " used in " + log.source() + ": give a distribution for every position of the log");
            }
        }
    }

    @Override
    public double probability(LoggedFeedback log, int row, int position, int item) {
        bind(log);
        return position < probs.length && probs[position] != null ? probs[position][item] : 0.0;
    }

    @Override
    public void distribution(LoggedFeedback log, int row, int position, double[] out) {
        bind(log);
        if (position < probs.length && probs[position] != null) {
            System.arraycopy(probs[position], 0, out, 0, log.numItems());
        } else {
            java.util.Arrays.fill(out, 0, log.numItems(), 0.0);
        }
    }

    /** The bound distribution at a position over the log's item indices (shared array: do not modify). */
    public double[] bound(LoggedFeedback log, int position) {
        bind(log);
        return position < probs.length ? probs[position] : null;
    }

    @Override
    public double massOutsideLog(LoggedFeedback log, int position) {
        bind(log);
        return position < outside.length ? outside[position] : 0.0;
    }

    private void bind(LoggedFeedback log) {
        if (bound == log) {
            return;
        }
        double[][] p = new double[byPosition.size()][];
        double[] out = new double[byPosition.size()];
        for (int pos = 0; pos < p.length; pos++) {
            Map<String, Double> m = byPosition.get(pos);
            if (m == null) {
                continue;
            }
            p[pos] = new double[log.numItems()];
            for (Map.Entry<String, Double> e : m.entrySet()) {
                int i = log.itemIndex(e.getKey());
                if (i >= 0) {
                    p[pos][i] += e.getValue();
                } else {
                    out[pos] += e.getValue();
                }
            }
        }
        probs = p;
        outside = out;
        bound = log;
    }
}
