package org.recsysrl.env.platform.ecommerce;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.platform.ecommerce.EcommerceCatalog;
import org.recsysrl.env.platform.ecommerce.EcommerceEnv;
import org.recsysrl.env.platform.ecommerce.EcommerceReferences;
import org.recsysrl.env.platform.ecommerce.EcommerceSpec;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.ReferenceBandits;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;

/** {@code e-commerce} (docs/environments.md): {@link EcommerceEnv} and its reference policies. */
public final class EcommercePlatform implements Platform {
    @Override
    public String name() {
        return "e-commerce";
    }

    @Override
    public String description() {
        return "one product at a time over several sessions; click, then purchase; overpriced products earn now and"
                + " lose the shopper; long-term measure: revenue over every session the shopper returns for";
    }

    /**
     * A product's features for the embedding actor head: its category (one-hot) and its price / 100;
     * its category is also its group for the hierarchical head (a category, then a product of it).
     */
    @Override
    public Setup setup(long envSeed) {
        EcommerceCatalog catalog = new EcommerceCatalog(EcommerceSpec.withSeed(envSeed));
        EcommerceSpec spec = catalog.spec();
        int dim = spec.categories() + 1;
        float[] features = new float[spec.items() * dim];
        for (int i = 0; i < spec.items(); i++) {
            features[i * dim + spec.category(i)] = 1f;
            features[i * dim + spec.categories()] = catalog.price(i) / 100f;
        }
        int[] categories = new int[spec.items()];
        for (int i = 0; i < spec.items(); i++) {
            categories[i] = spec.category(i);
        }
        return new Setup(spec.observationSize(), spec.items(), 1, features, dim, null, categories,
                spec.users(), seed -> new EcommerceEnv(catalog, seed), null);
    }

    @Override
    public List<Policy> references(Setup setup, long envSeed, long seed) {
        EcommerceCatalog catalog = ((EcommerceEnv) setup.newEnv().apply(0)).catalog();
        List<Policy> out = new ArrayList<>();
        out.add(EcommerceReferences.random(catalog, Rng.stream(seed, 7)));
        out.add(EcommerceReferences.popular(catalog));
        out.add(EcommerceReferences.myopicOracle(catalog));
        out.add(EcommerceReferences.valueAware(catalog));
        out.addAll(ReferenceBandits.of(setup, seed));
        return out;
    }

    @Override
    public EngagementFigures figures() {
        return EcommerceReferences.FIGURES;
    }

    /**
     * The logits head over an MLP: the embedding head's score, linear in fixed features, cannot
     * express what these products are worth in each state (docs/environments.md).
     */
    @Override
    public List<String> settings() {
        return LOGITS_HEAD;
    }
}
