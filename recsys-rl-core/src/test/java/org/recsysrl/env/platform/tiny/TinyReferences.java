package org.recsysrl.env.platform.tiny;

import java.util.List;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.Environment;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.eval.EpisodeStats;
import org.recsysrl.eval.RowPolicy;
import org.recsysrl.util.Rng;

/** The tiny platform's reference policies and engagement figure, beside its environment. */
final class TinyReferences {
    /** One figure: the items the user liked in the episode. */
    static final EngagementFigures FIGURES = new EngagementFigures() {
        @Override
        public List<String> names() {
            return List.of("liked");
        }

        @Override
        public void read(Environment env, EpisodeStats episode, double[] out) {
            out[0] = ((TinyEnv) env).liked();
        }
    };

    private TinyReferences() {
    }

    /** Recommends the item the user likes, read from the observation's one-hot user id. */
    static Policy oracle() {
        int width = TinyEnv.USERS + 1;
        return RowPolicy.of("myopic-oracle", (obs, row) -> RowPolicy.best(0, TinyEnv.USERS,
                u -> obs[row * width + u]));
    }

    /** Uniformly random items. */
    static Policy random(Rng rng) {
        return RowPolicy.uniformRandom(TinyEnv.ITEMS, rng);
    }
}
