package org.recsysrl.env.platform.longvideo;

import org.recsysrl.util.Rng;

/**
 * The videos of {@code long-video} and its users, drawn from the spec's seed. Half of each genre's
 * videos are short (20–40 minutes), half long (80–120 minutes); every video has an appeal a in
 * [0.2, 1]. A user has an interest θ_g = clip(0.5·N(0, 1), −1, 1) per genre. Immutable.
 */
public final class LongVideoCatalog {
    private final LongVideoSpec spec;
    private final float[] length;
    private final float[] appeal;
    private final float[] interests;

    /** Draws the videos and users of {@code spec}. */
    public LongVideoCatalog(LongVideoSpec spec) {
        this.spec = spec;
        int n = spec.items();
        length = new float[n];
        appeal = new float[n];
        Rng rng = Rng.stream(spec.seed(), 1);
        for (int i = 0; i < n; i++) {
            boolean longOne = i % spec.perGenre() >= spec.perGenre() / 2;
            length[i] = (float) (longOne ? rng.uniform(80, 120) : rng.uniform(20, 40));
            appeal[i] = (float) rng.uniform(0.2, 1.0);
        }
        Rng users = Rng.stream(spec.seed(), 2);
        interests = new float[spec.users() * spec.genres()];
        for (int j = 0; j < interests.length; j++) {
            interests[j] = (float) Math.max(-1, Math.min(1, 0.5 * users.nextGaussian()));
        }
    }

    public LongVideoSpec spec() {
        return spec;
    }

    /** Length of video {@code i} in minutes. */
    public float length(int i) {
        return length[i];
    }

    /** Appeal of video {@code i}. */
    public float appeal(int i) {
        return appeal[i];
    }

    /** User {@code u}'s initial interest in genre {@code g}. */
    public float interest(int u, int g) {
        return interests[u * spec.genres() + g];
    }
}
