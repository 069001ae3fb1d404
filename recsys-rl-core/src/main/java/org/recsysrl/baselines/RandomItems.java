package org.recsysrl.baselines;

import java.util.List;
import org.recsysrl.data.Interactions;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.util.Rng;

/**
 * Uniformly random lists: independent uniform scores per item, drawn from a stream that depends
 * only on the seed, the user and the history's length (so results do not depend on threads).
 */
public final class RandomItems implements ModelFamily {
    @Override
    public String name() {
        return "random";
    }

    @Override
    public String description() {
        return "a uniformly random list per user (the floor)";
    }

    @Override
    public List<Hyperparameters> grid(Interactions train, FitContext context) {
        return List.of(Hyperparameters.NONE);
    }

    @Override
    public Fitter prepare(Interactions train, FitContext context) {
        int items = train.itemCount();
        long seed = context.seed();
        return hp -> new Recommender() {
            @Override
            public String name() {
                return "random";
            }

            @Override
            public int itemCount() {
                return items;
            }

            @Override
            public Scorer newScorer() {
                return (History h, float[] out) -> {
                    Rng rng = Rng.stream(Rng.stream(seed, 51).nextLong() ^ h.user(), h.length());
                    for (int i = 0; i < items; i++) {
                        out[i] = (float) rng.nextDouble();
                    }
                };
            }
        };
    }
}
