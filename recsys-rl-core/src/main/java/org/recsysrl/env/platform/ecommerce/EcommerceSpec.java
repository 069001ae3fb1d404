package org.recsysrl.env.platform.ecommerce;

/**
 * The parameters of the {@code e-commerce} environment (docs/environments.md gives the equations).
 *
 * @param categories number of product categories C
 * @param perCategory products per category
 * @param users number of shoppers
 * @param views products a session shows at most (its length)
 * @param fatigueGain fatigue a category gains when shown
 * @param fatigueDecay factor every category's fatigue keeps per step
 * @param maxSessions sessions per episode at most
 * @param returnSlope how strongly a session's satisfaction moves the probability of coming back
 * @param returnBias the probability of coming back after a neutral session is σ(returnBias)
 * @param noPurchaseSatisfaction the satisfaction of a session without a purchase
 * @param maxSteps time limit of an episode (a truncation)
 * @param seed the environment seed (catalogue and shoppers)
 */
public record EcommerceSpec(int categories, int perCategory, int users, int views, double fatigueGain,
        double fatigueDecay, int maxSessions, double returnSlope, double returnBias, double noPurchaseSatisfaction,
        int maxSteps, long seed) {

    /** 6 categories × 20 products, 1,000 shoppers, sessions of 12 views, at most 5 sessions. */
    public static EcommerceSpec defaults() {
        return withSeed(17);
    }

    /** The defaults with the environment seed {@code seed}. */
    public static EcommerceSpec withSeed(long seed) {
        return new EcommerceSpec(6, 20, 1000, 12, 0.5, 0.8, 5, 6, 0.5, -0.2, 1000, seed);
    }

    public EcommerceSpec {
        if (categories < 1 || perCategory < 1 || users < 1 || views < 1 || maxSessions < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("e-commerce: categories, products, users, views, sessions and steps must"
                    + " be positive");
        }
        if (!(fatigueDecay >= 0 && fatigueDecay <= 1) || !(fatigueGain >= 0)) {
            throw new IllegalArgumentException("e-commerce: fatigue decay must be in [0, 1] and its gain >= 0");
        }
    }

    /** Number of products (the actions). */
    public int items() {
        return categories * perCategory;
    }

    /** Category of product {@code i}. */
    public int category(int i) {
        return i / perCategory;
    }

    /** Observation width: interests (C), fatigue (C), views left, sessions started, and a constant. */
    public int observationSize() {
        return 2 * categories + 3;
    }
}
