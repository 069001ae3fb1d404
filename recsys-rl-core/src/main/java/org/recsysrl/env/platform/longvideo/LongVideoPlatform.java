package org.recsysrl.env.platform.longvideo;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.platform.longvideo.LongVideoCatalog;
import org.recsysrl.env.platform.longvideo.LongVideoEnv;
import org.recsysrl.env.platform.longvideo.LongVideoReferences;
import org.recsysrl.env.platform.longvideo.LongVideoSpec;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.ReferenceBandits;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;

/** {@code long-video} (docs/environments.md): {@link LongVideoEnv} and its reference policies. */
public final class LongVideoPlatform implements Platform {
    @Override
    public String name() {
        return "long-video";
    }

    @Override
    public String description() {
        return "a few long videos an evening over several evenings; a tired viewer abandons long videos, and"
                + " abandoned evenings bring fewer returns; long-term measure: minutes watched over every evening";
    }

    /** A video's features for the embedding actor head are its genre (one-hot) and its length / 120. */
    @Override
    public Setup setup(long envSeed) {
        LongVideoCatalog catalog = new LongVideoCatalog(LongVideoSpec.withSeed(envSeed));
        LongVideoSpec spec = catalog.spec();
        int dim = spec.genres() + 1;
        float[] features = new float[spec.items() * dim];
        for (int i = 0; i < spec.items(); i++) {
            features[i * dim + spec.genre(i)] = 1f;
            features[i * dim + spec.genres()] = catalog.length(i) / 120f;
        }
        return new Setup(spec.observationSize(), spec.items(), features, dim, spec.users(),
                seed -> new LongVideoEnv(catalog, seed), null);
    }

    @Override
    public List<Policy> references(Setup setup, long envSeed, long seed) {
        LongVideoCatalog catalog = ((LongVideoEnv) setup.newEnv().apply(0)).catalog();
        List<Policy> out = new ArrayList<>();
        out.add(LongVideoReferences.random(catalog.spec(), Rng.stream(seed, 7)));
        out.add(LongVideoReferences.popular(catalog));
        out.add(LongVideoReferences.myopicOracle(catalog));
        out.add(LongVideoReferences.completionAware(catalog));
        out.addAll(ReferenceBandits.of(setup, seed));
        return out;
    }

    @Override
    public EngagementFigures figures() {
        return LongVideoReferences.FIGURES;
    }

    /**
     * The logits head over a 128-64 MLP: with the embedding head (genre and length as features) PPO
     * with γ = 0.99 gained 18 % over the myopic oracle on a first seed, with this one 22 %. A2C gets
     * an entropy bonus of 0.01: without one some seeds settle on long videos early and never
     * recover (chosen from 0, 0.01, 0.03 and 0.1 on training seeds and users apart from the
     * documented results').
     */
    @Override
    public List<String> settings() {
        return List.of(LOGITS_HEAD.get(0), LOGITS_HEAD.get(1), "a2c.ent_coef=0.01");
    }
}
