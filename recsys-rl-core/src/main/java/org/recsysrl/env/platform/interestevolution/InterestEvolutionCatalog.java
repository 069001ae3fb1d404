package org.recsysrl.env.platform.interestevolution;

import org.recsysrl.util.Rng;

/**
 * The corpus of {@code interest-evolution} and its users' initial interests, drawn from the spec's
 * seed. Every document has a topic, an appeal (how strongly it pulls the click) and a quality in
 * [−1, 1]. Both depend on the topic, as in RecSim's interest-evolution model: the first
 * {@code clickbaitTopics} topics are clickbait (appeal 1 ± 0.3, quality −0.5 ± 0.2), the others
 * nutritious (appeal 0 ± 0.3, quality 0.5 ± 0.2). Initial interests are uniform in [−0.5, 0.5].
 * Immutable; shared by every environment of one spec.
 */
public final class InterestEvolutionCatalog {
    private final InterestEvolutionSpec spec;
    private final int[] topic;
    private final float[] appeal;
    private final float[] quality;
    private final float[] interests;

    /** Draws the corpus and the users of {@code spec}. */
    public InterestEvolutionCatalog(InterestEvolutionSpec spec) {
        this.spec = spec;
        int n = spec.docs();
        topic = new int[n];
        appeal = new float[n];
        quality = new float[n];
        Rng rng = Rng.stream(spec.seed(), 1);
        for (int t = 0; t < spec.topics(); t++) {
            boolean bait = clickbaitTopic(t);
            for (int k = 0; k < spec.docsPerTopic(); k++) {
                int d = t * spec.docsPerTopic() + k;
                topic[d] = t;
                appeal[d] = (float) ((bait ? 1.0 : 0.0) + rng.uniform(-0.3, 0.3));
                quality[d] = (float) ((bait ? -0.5 : 0.5) + rng.uniform(-0.2, 0.2));
            }
        }
        Rng users = Rng.stream(spec.seed(), 2);
        interests = new float[spec.users() * spec.topics()];
        for (int j = 0; j < interests.length; j++) {
            interests[j] = (float) users.uniform(-0.5, 0.5);
        }
    }

    public InterestEvolutionSpec spec() {
        return spec;
    }

    /** Whether topic {@code t} is a clickbait topic. */
    public boolean clickbaitTopic(int t) {
        return t < spec.clickbaitTopics();
    }

    /** Topic of document {@code d}. */
    public int topic(int d) {
        return topic[d];
    }

    /** Appeal of document {@code d}. */
    public float appeal(int d) {
        return appeal[d];
    }

    /** Quality of document {@code d}, in [−1, 1]. */
    public float quality(int d) {
        return quality[d];
    }

    /** User {@code u}'s initial interest in topic {@code t}. */
    public float interest(int u, int t) {
        return interests[u * spec.topics() + t];
    }
}
