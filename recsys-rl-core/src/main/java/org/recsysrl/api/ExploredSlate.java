package org.recsysrl.api;

import java.util.List;

/**
 * A slate chosen by an {@link Exploration} policy, with the probabilities it was chosen with.
 *
 * @param items the shown items in position order, with the model's scores
 * @param propensities per position, the probability that this item is shown at this position
 *     (the marginal over everything the policy could have drawn), each in (0, 1]
 * @param slatePropensity the probability of the whole slate, in order, in (0, 1]
 */
public record ExploredSlate(List<ScoredItem> items, double[] propensities, double slatePropensity) {
    public ExploredSlate {
        items = List.copyOf(items);
        propensities = propensities.clone();
        if (propensities.length != items.size()) {
            throw new IllegalArgumentException("one propensity per item");
        }
    }

    /** The per-position propensities (a copy). */
    @Override
    public double[] propensities() {
        return propensities.clone();
    }

    /** The propensity of position {@code p} (0-based). */
    public double propensity(int p) {
        return propensities[p];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExploredSlate e && items.equals(e.items) && java.util.Arrays.equals(propensities, e.propensities)
                && Double.compare(slatePropensity, e.slatePropensity) == 0;
    }

    @Override
    public int hashCode() {
        return (items.hashCode() * 31 + java.util.Arrays.hashCode(propensities)) * 31 + Double.hashCode(slatePropensity);
    }

    @Override
    public String toString() {
        return "ExploredSlate[items=" + items + ", propensities=" + java.util.Arrays.toString(propensities)
                + ", slatePropensity=" + slatePropensity + "]";
    }
}
