package org.recsysrl.env.platform.longvideo;

import org.recsysrl.agent.Policy;
import org.recsysrl.env.Environment;
import org.recsysrl.env.platform.longvideo.LongVideoCatalog;
import org.recsysrl.env.platform.longvideo.LongVideoEnv;
import org.recsysrl.env.platform.longvideo.LongVideoResponse;
import org.recsysrl.env.platform.longvideo.LongVideoSpec;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.eval.EpisodeStats;
import org.recsysrl.eval.RowPolicy;
import org.recsysrl.util.Rng;

/**
 * The reference policies of {@code long-video}; the observation carries the true user state:
 *
 * <ul>
 *   <li>{@code random}: a uniformly random video;
 *   <li>{@code popular}: the video with the most expected minutes over every user's initial
 *       interests, rested (the same video for everyone);
 *   <li>{@code myopic-oracle}: the video with the most expected minutes now, at the true state;
 *   <li>{@code completion-aware}: the video with the most expected minutes weighted by the square
 *       of its expected completion at the current fatigue, E[w]·f²: it gives up minutes now for
 *       evenings whose videos are finished, a one-step heuristic that knows the model.
 * </ul>
 */
public final class LongVideoReferences {
    private LongVideoReferences() {
    }

    /** The figures of {@code long-video}: sessions, videos started, their mean completion, videos finished. */
    public static final EngagementFigures FIGURES = new EngagementFigures() {
        @Override
        public java.util.List<String> names() {
            return java.util.List.of("sessions", "started", "completion", "finished");
        }

        @Override
        public void read(Environment env, EpisodeStats episode, double[] out) {
            LongVideoEnv.Engagement e = ((LongVideoEnv) env).engagement();
            out[0] = e.sessions;
            out[1] = e.started;
            out[2] = e.started == 0 ? 0 : e.completion / e.started;
            out[3] = e.finished;
        }
    };

    /** A uniformly random video per step. */
    public static Policy random(LongVideoSpec spec, Rng rng) {
        return RowPolicy.uniformRandom(spec.items(), rng);
    }

    /** The single video with the most expected minutes over the users' initial interests, rested. */
    public static Policy popular(LongVideoCatalog catalog) {
        LongVideoSpec spec = catalog.spec();
        int video = RowPolicy.best(0, spec.items(), i -> {
            double sum = 0;
            for (int u = 0; u < spec.users(); u++) {
                sum += LongVideoResponse.expectedMinutes(spec, catalog.interest(u, spec.genre(i)), catalog.appeal(i), 0,
                        catalog.length(i));
            }
            return sum;
        });
        return RowPolicy.of("popular", (obs, b) -> video);
    }

    /** The video with the most expected minutes at the observed (true) state. */
    public static Policy myopicOracle(LongVideoCatalog catalog) {
        LongVideoSpec spec = catalog.spec();
        return RowPolicy.of("myopic-oracle", (obs, b) -> {
            int off = b * spec.observationSize();
            double fatigue = obs[off + spec.genres()];
            return RowPolicy.best(0, spec.items(), i -> LongVideoResponse.expectedMinutes(spec,
                    obs[off + spec.genre(i)], catalog.appeal(i), fatigue, catalog.length(i)));
        });
    }

    /** The most expected minutes weighted by the square of the expected completion. */
    public static Policy completionAware(LongVideoCatalog catalog) {
        LongVideoSpec spec = catalog.spec();
        return RowPolicy.of("completion-aware", (obs, b) -> {
            int off = b * spec.observationSize();
            double fatigue = obs[off + spec.genres()];
            return RowPolicy.best(0, spec.items(), i -> {
                double theta = obs[off + spec.genre(i)];
                double f = LongVideoResponse.completion(spec, theta, catalog.appeal(i), fatigue, catalog.length(i));
                return LongVideoResponse.expectedMinutes(spec, theta, catalog.appeal(i), fatigue, catalog.length(i))
                        * f * f;
            });
        });
    }
}
