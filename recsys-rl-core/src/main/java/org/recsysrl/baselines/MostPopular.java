package org.recsysrl.baselines;

import java.util.List;
import org.recsysrl.data.Interactions;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.MemoryNeed;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;

/** Most popular: every user gets the items with the most training interactions (repeats count). */
public final class MostPopular implements ModelFamily {
    @Override
    public String name() {
        return "popular";
    }

    @Override
    public String description() {
        return "the items with the most training interactions, the same list for everyone";
    }

    @Override
    public MemoryNeed memory(Interactions train, FitContext context) {
        return new MemoryNeed(8L * train.itemCount(), "the item counts");
    }

    @Override
    public List<Hyperparameters> grid(Interactions train, FitContext context) {
        return List.of(Hyperparameters.NONE);
    }

    @Override
    public Fitter prepare(Interactions train, FitContext context) {
        return hp -> fixedScores(name(), toFloat(train.itemCounts()));
    }

    static float[] toFloat(int[] counts) {
        float[] s = new float[counts.length];
        for (int i = 0; i < counts.length; i++) {
            s[i] = counts[i];
        }
        return s;
    }

    /**
     * A recommender that gives every history the same scores (shared, not copied); also how
     * popularity counted elsewhere, e.g. by a Spark job, becomes a model.
     */
    public static Recommender fixedScores(String name, float[] scores) {
        return new Recommender() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int itemCount() {
                return scores.length;
            }

            @Override
            public Scorer newScorer() {
                return new SparseScorer() {
                    @Override
                    public void score(History h, float[] out) {
                        System.arraycopy(scores, 0, out, 0, scores.length);
                    }

                    @Override
                    public float[] base() {
                        return scores;
                    }

                    @Override
                    public int scoreTouched(History h, float[] out, int[] touched) {
                        return 0;
                    }
                };
            }
        };
    }
}
