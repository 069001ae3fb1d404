package org.recsysrl.env.platform.ecommerce;

import org.recsysrl.util.Rng;

/**
 * The products of {@code e-commerce} (a price in [5, 100] and a quality in [0, 1] each, drawn
 * independently, so some are good value and some overpriced) and the shoppers' interest per
 * category (clip(0.6·N(0, 1), −1, 1)), from the spec's seed. Immutable; shared by the environments.
 */
public final class EcommerceCatalog {
    private final EcommerceSpec spec;
    private final float[] price;
    private final float[] quality;
    private final float[] interests;

    public EcommerceCatalog(EcommerceSpec spec) {
        this.spec = spec;
        int n = spec.items();
        price = new float[n];
        quality = new float[n];
        Rng rng = Rng.stream(spec.seed(), 1);
        for (int i = 0; i < n; i++) {
            price[i] = (float) rng.uniform(5, 100);
            quality[i] = (float) rng.uniform(0, 1);
        }
        Rng users = Rng.stream(spec.seed(), 2);
        interests = new float[spec.users() * spec.categories()];
        for (int j = 0; j < interests.length; j++) {
            interests[j] = (float) Math.max(-1, Math.min(1, 0.6 * users.nextGaussian()));
        }
    }

    public EcommerceSpec spec() {
        return spec;
    }

    /** Price of product {@code i}. */
    public float price(int i) {
        return price[i];
    }

    /** Quality of product {@code i}, in [0, 1]. */
    public float quality(int i) {
        return quality[i];
    }

    /** Shopper {@code u}'s interest in category {@code c}, in [−1, 1]. */
    public float interest(int u, int c) {
        return interests[u * spec.categories() + c];
    }
}
