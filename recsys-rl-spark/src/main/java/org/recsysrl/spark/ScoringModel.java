package org.recsysrl.spark;

import java.io.Serializable;
import org.recsysrl.recommend.Recommender;

/**
 * A fitted model in a form Spark can broadcast: plain arrays (or a checkpoint's bytes) that every
 * executor turns into the core's {@link Recommender} once ({@link #recommender()}), so that a
 * distributed evaluation scores exactly as the in-JVM one does.
 */
public interface ScoringModel extends Serializable {
    /** Short name for reports, e.g. {@code item-knn}. */
    String name();

    /** Number of items scored. */
    int itemCount();

    /** The recommender (built once per JVM that holds this object, then shared by its threads). */
    Recommender recommender();
}
