package org.recsysrl.recommend;

/** Test fixture: a recommender that gives the same scores to every history. */
public final class FixedRecommender {
    private FixedRecommender() {
    }

    /** Scores {@code scores} for any history, named {@code fixed}. */
    public static Recommender of(float... scores) {
        return new Recommender() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public int itemCount() {
                return scores.length;
            }

            @Override
            public Scorer newScorer() {
                return (History h, float[] out) -> System.arraycopy(scores, 0, out, 0, scores.length);
            }
        };
    }
}
