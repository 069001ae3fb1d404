package org.recsysrl.eval;

import org.recsysrl.agent.Policy;
import org.recsysrl.env.Environment;

/** A policy that reads the environment it acts in (a planner); bound before each use, batch of one. */
public interface BoundPolicy extends Policy {
    /** The environment the following {@code act} calls are about. */
    void bind(Environment env);
}
