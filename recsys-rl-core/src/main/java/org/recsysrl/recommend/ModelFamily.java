package org.recsysrl.recommend;

import java.util.List;
import org.recsysrl.data.Interactions;

/**
 * A kind of recommender that can be fitted on interactions: its name, the small grid of
 * hyperparameters that {@code benchmark} tunes on the validation part, and the fit itself.
 * A fit reads only the slices of the {@link Interactions} it is given, which is how protocols keep
 * test and post-cutoff interactions away from every fitted statistic.
 */
public interface ModelFamily {
    /** Short name used in {@code --models} and reports, e.g. {@code item-knn}. */
    String name();

    /** One line on what the model is. */
    String description();

    /**
     * Why this model cannot be fitted on such data (e.g. "needs timestamps"), or null if it can.
     */
    default String unavailableReason(FitContext context) {
        return null;
    }

    /**
     * The heap that preparing, fitting any point of the grid and scoring will hold at most, beyond
     * the training part itself, estimated from its sizes alone (nothing large is allocated). The
     * benchmark refuses a model whose need exceeds the free heap before any model starts.
     */
    default MemoryNeed memory(Interactions train, FitContext context) {
        return MemoryNeed.SMALL;
    }

    /**
     * The hyperparameter points to try on {@code train}, in order (at least one;
     * {@link Hyperparameters#NONE} if none). May depend on the data's size.
     */
    List<Hyperparameters> grid(Interactions train, FitContext context);

    /**
     * Does the work that every grid point shares (indexing the interactions, co-occurrence counts,
     * Gram matrices) and returns what fits one model per hyperparameter point.
     */
    Fitter prepare(Interactions train, FitContext context);

    /** Fits models of one family on one training part. */
    interface Fitter {
        /** Fits one model with {@code hyperparameters} (a point of the family's grid). */
        Recommender fit(Hyperparameters hyperparameters);
    }
}
