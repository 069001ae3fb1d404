package org.recsysrl.env.platform.ecommerce;

/**
 * The funnel of {@code e-commerce}, for a product of price x and quality q in a category of
 * interest θ and fatigue f (σ the logistic function):
 *
 * <pre>
 *     P(click)               = σ(2θ + q − 0.5 − 0.5 f)
 *     P(purchase | click)    = σ(3θ + 2q − x / 40)
 *     reward                 = x when bought (revenue)
 *     satisfaction           = q − x / 100 (value for money), per purchase
 * </pre>
 */
public final class EcommerceResponse {
    private EcommerceResponse() {
    }

    /** Probability that the shopper clicks the product. */
    public static double clickProbability(double interest, double quality, double fatigue) {
        return 1 / (1 + Math.exp(-(2 * interest + quality - 0.5 - 0.5 * fatigue)));
    }

    /** Probability that a click ends in a purchase. */
    public static double purchaseProbability(double interest, double quality, double price) {
        return 1 / (1 + Math.exp(-(3 * interest + 2 * quality - price / 40)));
    }

    /** Expected revenue of showing the product (the immediate reward's expectation). */
    public static double expectedRevenue(double interest, double quality, double fatigue, double price) {
        return clickProbability(interest, quality, fatigue) * purchaseProbability(interest, quality, price) * price;
    }

    /** How satisfied a purchase leaves the shopper: value for money. */
    public static double satisfaction(double quality, double price) {
        return quality - price / 100;
    }
}
