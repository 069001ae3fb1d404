package org.recsysrl.eval;

import java.util.List;
import org.recsysrl.env.Environment;

/** The engagement figures a platform environment reports per episode, beside the return. */
public interface EngagementFigures {
    /** Column names, e.g. {@code sessions}, {@code likes}. */
    List<String> names();

    /** Writes the finished episode's figures, one per name, into {@code out}. */
    void read(Environment env, EpisodeStats episode, double[] out);
}
