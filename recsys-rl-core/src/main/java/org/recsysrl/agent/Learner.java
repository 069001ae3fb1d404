package org.recsysrl.agent;

import java.util.Map;
import org.recsysrl.nn.Adam;
import org.recsysrl.util.Rng;

/** An on-policy algorithm that alternates collecting a rollout and updating the actor-critic. */
public interface Learner {
    /** {@code "ppo"} or {@code "a2c"}. */
    String algorithm();

    /** Collects one rollout, then updates the model on it. */
    UpdateStats iterate();

    /** Environment steps per {@link #iterate()}, summed over environments. */
    int stepsPerIteration();

    /** Environment steps taken so far. */
    long steps();

    /** Updates performed so far. */
    long updates();

    /** Sets the counters when resuming from a saved training state. */
    void restoreCounters(long steps, long updates);

    ActorCritic model();

    Adam optimizer();

    RolloutCollector collector();

    /** Every random stream the learner draws from, by name, so their state can be saved. */
    Map<String, Rng> randomStreams();
}
