package org.recsysrl.setup;

import java.util.function.LongFunction;
import org.recsysrl.agent.CandidateBlocks;
import org.recsysrl.env.Environment;

/**
 * What a run needs from its environment, whichever workload supplies it: sizes, item features and
 * a factory of environments.
 *
 * @param newEnv a fresh environment seeded with the given user-stream seed
 * @param slateSize actions per step (1, or K for slate environments)
 * @param candidates where each observation describes the step's candidates, for the candidate
 *     actor head (null when the actions are fixed catalogue items)
 * @param actionGroups the group of every action (a category, a content type) for the
 *     hierarchical actor head, or null
 * @param itemEmbeddings [actionCount × itemDim] for the embedding actor head
 * @param real the real-data side (null unless the workload is {@code movielens})
 */
public record Setup(int observationSize, int actionCount, int slateSize, float[] itemEmbeddings, int itemDim,
        CandidateBlocks candidates, int[] actionGroups, int userCount,
        LongFunction<? extends Environment> newEnv, RealData real) {

    /** A setup whose environments show one item per step. */
    public Setup(int observationSize, int actionCount, float[] itemEmbeddings, int itemDim, int userCount,
            LongFunction<? extends Environment> newEnv, RealData real) {
        this(observationSize, actionCount, 1, itemEmbeddings, itemDim, null, null, userCount, newEnv, real);
    }
}
