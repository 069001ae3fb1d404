package org.recsysrl.env.platform.tiny;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.Policy;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.ReferenceBandits;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;

/**
 * The tiny platform's registration: registering it is one line naming this class in
 * {@code META-INF/services/org.recsysrl.setup.Platform} (which {@code SeventhPlatformTest} writes
 * for a class loader of its own). Public, with a public constructor, as {@link java.util.ServiceLoader} needs.
 */
public final class TinyPlatform implements Platform {
    /** The constructor the registry calls. */
    public TinyPlatform() {
    }

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public String description() {
        return "three users, four items, each user likes one item";
    }

    /** An item's features are its one-hot id. */
    @Override
    public Setup setup(long envSeed) {
        float[] features = new float[TinyEnv.ITEMS * TinyEnv.ITEMS];
        for (int i = 0; i < TinyEnv.ITEMS; i++) {
            features[i * TinyEnv.ITEMS + i] = 1f;
        }
        return new Setup(TinyEnv.USERS + 1, TinyEnv.ITEMS, features, TinyEnv.ITEMS, TinyEnv.USERS,
                seed -> new TinyEnv(seed), null);
    }

    @Override
    public List<Policy> references(Setup setup, long envSeed, long seed) {
        List<Policy> out = new ArrayList<>();
        out.add(TinyReferences.random(Rng.stream(seed, 7)));
        out.add(TinyReferences.oracle());
        out.addAll(ReferenceBandits.of(setup, seed));
        return out;
    }

    @Override
    public EngagementFigures figures() {
        return TinyReferences.FIGURES;
    }
}
