package org.recsysrl.eval;

/**
 * The personalisation score P = (R − R_best-constant) / (R_oracle − R_best-constant): 0 for a policy
 * that is no better than recommending the single best item to everyone, 1 for the greedy oracle.
 * Comparing with the best constant item, not with random, keeps a collapsed policy from looking good.
 */
public final class Personalisation {
    private Personalisation() {
    }

    /** P for mean return {@code r}; NaN when oracle and best constant are equal. */
    public static double score(double r, double bestConstant, double oracle) {
        double span = oracle - bestConstant;
        return span == 0 ? Double.NaN : (r - bestConstant) / span;
    }
}
