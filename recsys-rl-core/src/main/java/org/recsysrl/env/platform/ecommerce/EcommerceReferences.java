package org.recsysrl.env.platform.ecommerce;

import java.util.List;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.Environment;
import org.recsysrl.env.platform.ecommerce.EcommerceCatalog;
import org.recsysrl.env.platform.ecommerce.EcommerceEnv;
import org.recsysrl.env.platform.ecommerce.EcommerceResponse;
import org.recsysrl.env.platform.ecommerce.EcommerceSpec;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.eval.EpisodeStats;
import org.recsysrl.eval.RowPolicy;
import org.recsysrl.util.Rng;

/**
 * The reference policies of {@code e-commerce}; the observation carries the true interests and
 * fatigue, so the oracles read them from there:
 *
 * <ul>
 *   <li>{@code random}: a uniformly random product;
 *   <li>{@code popular}: the one product with the most expected revenue over the shoppers' interests
 *       (no fatigue);
 *   <li>{@code myopic-oracle}: the most expected revenue now, at the true state;
 *   <li>{@code value-aware}: expected revenue weighted by 1 + 3 · (expected satisfaction of the
 *       purchase), a policy that knows the model and trades revenue now for shoppers who return.
 * </ul>
 */
public final class EcommerceReferences {
    /** The figures of {@code e-commerce}: sessions, clicks, purchases, mean satisfaction per purchase. */
    public static final EngagementFigures FIGURES = new EngagementFigures() {
        @Override
        public List<String> names() {
            return List.of("sessions", "clicks", "purchases", "satisfaction");
        }

        @Override
        public void read(Environment env, EpisodeStats episode, double[] out) {
            EcommerceEnv.Engagement e = ((EcommerceEnv) env).engagement();
            out[0] = e.sessions;
            out[1] = e.clicks;
            out[2] = e.purchases;
            out[3] = e.purchases > 0 ? e.satisfaction / e.purchases : 0;
        }
    };

    private EcommerceReferences() {
    }

    /** A uniformly random product per step. */
    public static Policy random(EcommerceCatalog catalog, Rng rng) {
        return RowPolicy.uniformRandom(catalog.spec().items(), rng);
    }

    /** The one product with the most expected revenue over every shopper's interests. */
    public static Policy popular(EcommerceCatalog catalog) {
        EcommerceSpec spec = catalog.spec();
        int item = RowPolicy.best(0, spec.items(), i -> {
            double sum = 0;
            for (int u = 0; u < spec.users(); u++) {
                sum += EcommerceResponse.expectedRevenue(catalog.interest(u, spec.category(i)), catalog.quality(i), 0,
                        catalog.price(i));
            }
            return sum;
        });
        return RowPolicy.of("popular", (obs, b) -> item);
    }

    /** The most expected revenue now, at the observed (true) state. */
    public static Policy myopicOracle(EcommerceCatalog catalog) {
        return RowPolicy.of("myopic-oracle", (obs, b) -> argmax(catalog, obs, b, false));
    }

    /** Expected revenue weighted by the purchase's expected satisfaction. */
    public static Policy valueAware(EcommerceCatalog catalog) {
        return RowPolicy.of("value-aware", (obs, b) -> argmax(catalog, obs, b, true));
    }

    private static int argmax(EcommerceCatalog catalog, float[] obs, int b, boolean valueAware) {
        EcommerceSpec spec = catalog.spec();
        int c0 = spec.categories();
        int off = b * spec.observationSize();
        return RowPolicy.best(0, spec.items(), i -> {
            int c = spec.category(i);
            double v = EcommerceResponse.expectedRevenue(obs[off + c], catalog.quality(i), obs[off + c0 + c],
                    catalog.price(i));
            return valueAware ? v * (1 + 3 * EcommerceResponse.satisfaction(catalog.quality(i), catalog.price(i))) : v;
        });
    }
}
