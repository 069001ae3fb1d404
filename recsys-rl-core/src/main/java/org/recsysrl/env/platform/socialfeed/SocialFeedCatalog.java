package org.recsysrl.env.platform.socialfeed;

import org.recsysrl.util.Rng;

/**
 * The posts of {@code social-feed} and its users, drawn from the spec's seed. A post has an
 * appeal a (how strongly it pulls engagement) and a length ℓ in minutes, from ranges of its content
 * type: friends' posts a ∈ [0.2, 0.6], ℓ ∈ [0.3, 0.8]; creators' videos a ∈ [0.6, 1],
 * ℓ ∈ [0.5, 1]; news a ∈ [0.3, 0.7], ℓ ∈ [0.3, 0.8]; ads a ∈ [0.2, 0.5], ℓ = the ad length. A user has an interest θ_c = clip(0.5·N(0, 1), −1, 1) per type
 * and an initial connection to their friends κ₀ uniform in [0.1, 0.5]. Immutable.
 */
public final class SocialFeedCatalog {
    private static final double[][] APPEAL = {{0.2, 0.6}, {0.6, 1.0}, {0.3, 0.7}, {0.2, 0.5}};
    private static final double[][] LENGTH = {{0.3, 0.8}, {0.5, 1.0}, {0.3, 0.8}};

    private final SocialFeedSpec spec;
    private final float[] appeal;
    private final float[] length;
    private final float[] interests;
    private final float[] connection;

    /** Draws the posts and users of {@code spec}. */
    public SocialFeedCatalog(SocialFeedSpec spec) {
        this.spec = spec;
        int n = spec.items();
        appeal = new float[n];
        length = new float[n];
        Rng rng = Rng.stream(spec.seed(), 1);
        for (int i = 0; i < n; i++) {
            int c = spec.type(i);
            appeal[i] = (float) rng.uniform(APPEAL[c][0], APPEAL[c][1]);
            length[i] = (float) (c == SocialFeedSpec.ADS ? spec.adLength() : rng.uniform(LENGTH[c][0], LENGTH[c][1]));
        }
        Rng users = Rng.stream(spec.seed(), 2);
        interests = new float[spec.users() * spec.types()];
        for (int j = 0; j < interests.length; j++) {
            interests[j] = (float) Math.max(-1, Math.min(1, 0.5 * users.nextGaussian()));
        }
        connection = new float[spec.users()];
        for (int u = 0; u < connection.length; u++) {
            connection[u] = (float) users.uniform(0.1, 0.5);
        }
    }

    public SocialFeedSpec spec() {
        return spec;
    }

    /** Appeal of post {@code i}. */
    public float appeal(int i) {
        return appeal[i];
    }

    /** Length of post {@code i} in minutes. */
    public float length(int i) {
        return length[i];
    }

    /** User {@code u}'s initial interest in content type {@code c}. */
    public float interest(int u, int c) {
        return interests[u * spec.types() + c];
    }

    /** User {@code u}'s initial connection to their friends, in [0, 1]. */
    public float connection(int u) {
        return connection[u];
    }
}
