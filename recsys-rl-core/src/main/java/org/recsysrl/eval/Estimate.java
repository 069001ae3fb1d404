package org.recsysrl.eval;

/**
 * A mean with its 95 % confidence interval.
 *
 * @param mean the sample mean
 * @param low lower end of the interval (2.5th percentile of the bootstrap means)
 * @param high upper end (97.5th percentile)
 * @param n number of values averaged
 */
public record Estimate(double mean, double low, double high, int n) implements java.io.Serializable {
    /** Half the interval's width, the "±" of a table. */
    public double halfWidth() {
        return (high - low) / 2;
    }
}
