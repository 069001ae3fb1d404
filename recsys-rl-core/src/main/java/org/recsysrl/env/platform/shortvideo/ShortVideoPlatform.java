package org.recsysrl.env.platform.shortvideo;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.platform.shortvideo.ShortVideoCatalog;
import org.recsysrl.env.platform.shortvideo.ShortVideoEnv;
import org.recsysrl.env.platform.shortvideo.ShortVideoReferences;
import org.recsysrl.env.platform.shortvideo.ShortVideoSpec;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.ReferenceBandits;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;

/** {@code short-video} (docs/environments.md): {@link ShortVideoEnv} and its reference policies. */
public final class ShortVideoPlatform implements Platform {
    @Override
    public String name() {
        return "short-video";
    }

    @Override
    public String description() {
        return "one item at a time over several sessions; clickbait wins the view and loses the session;"
                + " long-term measure: minutes watched over every session the user returns for";
    }

    /** The catalogue and users of {@code envSeed}. */
    static ShortVideoCatalog catalog(long envSeed) {
        ShortVideoSpec d = ShortVideoSpec.defaults();
        return new ShortVideoCatalog(new ShortVideoSpec(d.topics(), d.itemsPerTopic(), d.clickbaitShare(), d.users(),
                d.sessionBudget(), d.scrollCost(), d.qualityRefund(), d.satiationGain(), d.satiationDecay(),
                d.skipsToLeave(), d.maxSessions(), d.returnSlope(), d.returnBias(), d.interestDrift(), d.maxSteps(),
                envSeed));
    }

    /**
     * An item's features for the embedding actor head are its topic (one-hot) and its length, what
     * a platform knows of an item; appeal and quality are latent.
     */
    @Override
    public Setup setup(long envSeed) {
        ShortVideoCatalog catalog = catalog(envSeed);
        ShortVideoSpec spec = catalog.spec();
        int dim = spec.topics() + 1;
        float[] features = new float[spec.items() * dim];
        for (int i = 0; i < spec.items(); i++) {
            features[i * dim + catalog.topic(i)] = 1f;
            features[i * dim + spec.topics()] = catalog.length(i);
        }
        return new Setup(spec.observationSize(), spec.items(), features, dim, spec.users(),
                seed -> new ShortVideoEnv(catalog, seed), null);
    }

    @Override
    public List<Policy> references(Setup setup, long envSeed, long seed) {
        ShortVideoCatalog catalog = ((ShortVideoEnv) setup.newEnv().apply(0)).catalog();
        List<Policy> out = new ArrayList<>();
        out.add(ShortVideoReferences.random(catalog, Rng.stream(seed, 7)));
        out.add(ShortVideoReferences.popular(catalog));
        out.add(ShortVideoReferences.myopicOracle(catalog));
        out.add(ShortVideoReferences.budgetAware(catalog));
        out.addAll(ReferenceBandits.of(setup, seed));
        return out;
    }

    @Override
    public EngagementFigures figures() {
        return ShortVideoReferences.FIGURES;
    }
}
