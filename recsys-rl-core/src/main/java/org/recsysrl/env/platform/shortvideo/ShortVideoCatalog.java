package org.recsysrl.env.platform.shortvideo;

import org.recsysrl.util.Rng;

/**
 * The items of {@code short-video} and its users' initial interests, drawn from the spec's seed.
 * An item has a topic, a length in minutes, an appeal (how strongly it pulls a view and holds
 * it) and a quality in [−1, 1] (whether the time spent on it leaves the user wanting more).
 * Clickbait items have high appeal and negative quality; the others moderate appeal and positive
 * quality. Immutable; shared by every environment of one spec.
 */
public final class ShortVideoCatalog {
    private final ShortVideoSpec spec;
    private final int[] topic;
    private final float[] length;
    private final float[] appeal;
    private final float[] quality;
    private final boolean[] clickbait;
    private final float[] interests;

    /** Draws the catalogue and the users of {@code spec}. */
    public ShortVideoCatalog(ShortVideoSpec spec) {
        this.spec = spec;
        int n = spec.items();
        topic = new int[n];
        length = new float[n];
        appeal = new float[n];
        quality = new float[n];
        clickbait = new boolean[n];
        Rng rng = Rng.stream(spec.seed(), 1);
        int baitPerTopic = (int) Math.round(spec.clickbaitShare() * spec.itemsPerTopic());
        for (int t = 0; t < spec.topics(); t++) {
            for (int k = 0; k < spec.itemsPerTopic(); k++) {
                int i = t * spec.itemsPerTopic() + k;
                topic[i] = t;
                length[i] = (float) rng.uniform(0.5, 1.0);
                clickbait[i] = k < baitPerTopic;
                appeal[i] = (float) (clickbait[i] ? rng.uniform(0.8, 1.0) : rng.uniform(0.1, 0.6));
                quality[i] = (float) (clickbait[i] ? rng.uniform(-1.0, -0.4) : rng.uniform(0.0, 1.0));
            }
        }
        Rng users = Rng.stream(spec.seed(), 2);
        interests = new float[spec.users() * spec.topics()];
        for (int j = 0; j < interests.length; j++) {
            interests[j] = (float) Math.max(-1, Math.min(1, 0.5 * users.nextGaussian()));
        }
    }

    public ShortVideoSpec spec() {
        return spec;
    }

    /** Topic of item {@code i}. */
    public int topic(int i) {
        return topic[i];
    }

    /** Length of item {@code i} in minutes. */
    public float length(int i) {
        return length[i];
    }

    /** Appeal of item {@code i} in [0, 1]. */
    public float appeal(int i) {
        return appeal[i];
    }

    /** Quality of item {@code i} in [−1, 1]. */
    public float quality(int i) {
        return quality[i];
    }

    /** Whether item {@code i} is clickbait. */
    public boolean clickbait(int i) {
        return clickbait[i];
    }

    /** User {@code u}'s initial interest in topic {@code t}, in [−1, 1]. */
    public float interest(int u, int t) {
        return interests[u * spec.topics() + t];
    }
}
