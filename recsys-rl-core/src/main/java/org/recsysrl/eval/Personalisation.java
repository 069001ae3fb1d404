package org.recsysrl.eval;

/**
 * The personalisation score P = (R − R_best-constant) / (R_oracle − R_best-constant): 0 for a policy
 * that is no better than recommending the single best item to everyone, 1 for the greedy oracle.
 * Comparing with the best constant item, not with random, keeps a collapsed policy from looking good.
 */
public final class Personalisation {
    private Personalisation() {
    }

    /** Why P can be undefined, for reports that print "n/a" instead of NaN. */
    public static final String UNDEFINED = "the greedy oracle does no better than the best constant item"
            + " (e.g. a catalog of one or two items), so there is nothing to personalise";

    /**
     * P for mean return {@code r}; NaN when the oracle is no better than the best constant item
     * (their difference is zero or within rounding of their size), where P means nothing.
     */
    public static double score(double r, double bestConstant, double oracle) {
        double span = oracle - bestConstant;
        double scale = Math.max(1.0, Math.max(Math.abs(oracle), Math.abs(bestConstant)));
        return !(span > 1e-9 * scale) ? Double.NaN : (r - bestConstant) / span;
    }

    /** P formatted with three decimals, or {@code n/a (reason)} when it is undefined. */
    public static String format(double p) {
        return Double.isNaN(p) ? "n/a (" + UNDEFINED + ")" : String.format(java.util.Locale.ROOT, "%.3f", p);
    }
}
