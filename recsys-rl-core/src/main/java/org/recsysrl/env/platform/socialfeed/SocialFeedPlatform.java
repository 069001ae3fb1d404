package org.recsysrl.env.platform.socialfeed;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.platform.socialfeed.SocialFeedCatalog;
import org.recsysrl.env.platform.socialfeed.SocialFeedEnv;
import org.recsysrl.env.platform.socialfeed.SocialFeedReferences;
import org.recsysrl.env.platform.socialfeed.SocialFeedSpec;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.ReferenceBandits;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;

/** {@code social-feed} (docs/environments.md): {@link SocialFeedEnv} and its reference policies. */
public final class SocialFeedPlatform implements Platform {
    @Override
    public String name() {
        return "social-feed";
    }

    @Override
    public String description() {
        return "a content type (friends, creators, news, ads), then a post of it, over several sessions; ads pay now"
                + " and annoy, friends' posts build the connection that brings the user back; long-term measure:"
                + " minutes plus ad revenue over every session";
    }

    /**
     * A post's features for the embedding actor head are its type (one-hot) and its length; its
     * type is also its group for the hierarchical head (a type, then a post of it).
     */
    @Override
    public Setup setup(long envSeed) {
        SocialFeedCatalog catalog = new SocialFeedCatalog(SocialFeedSpec.withSeed(envSeed));
        SocialFeedSpec spec = catalog.spec();
        int dim = spec.types() + 1;
        float[] features = new float[spec.items() * dim];
        int[] types = new int[spec.items()];
        for (int i = 0; i < spec.items(); i++) {
            types[i] = spec.type(i);
            features[i * dim + types[i]] = 1f;
            features[i * dim + spec.types()] = catalog.length(i);
        }
        return new Setup(spec.observationSize(), spec.items(), 1, features, dim, null, types, spec.users(),
                seed -> new SocialFeedEnv(catalog, seed), null);
    }

    @Override
    public List<Policy> references(Setup setup, long envSeed, long seed) {
        SocialFeedCatalog catalog = ((SocialFeedEnv) setup.newEnv().apply(0)).catalog();
        List<Policy> out = new ArrayList<>();
        out.add(SocialFeedReferences.random(catalog.spec(), Rng.stream(seed, 7)));
        out.add(SocialFeedReferences.popular(catalog));
        out.add(SocialFeedReferences.myopicOracle(catalog));
        out.add(SocialFeedReferences.retentionAware(catalog));
        out.addAll(ReferenceBandits.of(setup, seed));
        return out;
    }

    @Override
    public EngagementFigures figures() {
        return SocialFeedReferences.FIGURES;
    }

    /** The two-level head: a content type, then a post of it (docs/environments.md). */
    @Override
    public List<String> settings() {
        return List.of("model.actor_head=hierarchical", "model.actor_hidden_dims=64");
    }
}
