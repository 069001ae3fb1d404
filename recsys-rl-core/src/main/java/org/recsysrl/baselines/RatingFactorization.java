package org.recsysrl.baselines;

import java.util.List;
import org.recsysrl.data.AlsTrainer;
import org.recsysrl.data.FactorizationModel;
import org.recsysrl.data.FactorizationSpec;
import org.recsysrl.data.Interactions;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.MemoryNeed;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;

/**
 * Greedy by predicted rating: the explicit-feedback factorisation of the {@code movielens}
 * environment ({@link AlsTrainer}: r̂ = μ + b_u + b_i + p_u·q_i, ALS-WR, 32 factors) fitted on the
 * training part's ratings, ranking items by r̂ (unclamped, so that predictions above the top of the
 * scale do not tie). Only where the weights are ratings. It predicts how much a user would like an
 * item, not whether the user will interact with it next, so it is expected to rank poorly; it is
 * here as the reference the environment's reward is built from. A history of an unknown user is
 * scored by μ + b_i.
 */
public final class RatingFactorization implements ModelFamily {
    @Override
    public String name() {
        return "mf-rating";
    }

    @Override
    public String description() {
        return "explicit rating factorisation (ALS, 32 factors), greedy by predicted rating";
    }

    @Override
    public String unavailableReason(FitContext context) {
        return context.ratings() ? null : "needs ratings (the data has implicit interactions)";
    }

    @Override
    public MemoryNeed memory(Interactions train, FitContext context) {
        long users = train.userCount();
        long n = train.itemCount();
        int d = FactorizationSpec.DEFAULT.dim();
        return new MemoryNeed(8L * (d + 1) * (users + n), String.format(java.util.Locale.ROOT,
                "the %d-dimensional factors of %,d users and %,d items", d, users, n)).plus(16L * train.totalCount());
    }

    @Override
    public List<Hyperparameters> grid(Interactions train, FitContext context) {
        return List.of(Hyperparameters.of("lambda", 0.05), Hyperparameters.of("lambda", 0.1),
                Hyperparameters.of("lambda", 0.3));
    }

    @Override
    public Fitter prepare(Interactions train, FitContext context) {
        return hp -> {
            FactorizationSpec d = FactorizationSpec.DEFAULT;
            FactorizationSpec spec = new FactorizationSpec(d.dim(), d.iterations(), hp.get("lambda"), d.biases(),
                    d.weightedLambda(), d.initStd(), context.seed(), context.threads());
            FactorizationModel m = AlsTrainer.fit(train, spec);
            return new Recommender() {
                @Override
                public String name() {
                    return "mf-rating";
                }

                @Override
                public int itemCount() {
                    return m.itemCount();
                }

                @Override
                public Scorer newScorer() {
                    return (History h, float[] out) -> {
                        for (int i = 0; i < m.itemCount(); i++) {
                            out[i] = h.user() >= 0 ? (float) m.predictRaw(h.user(), i)
                                    : (float) (m.globalMean() + m.itemBias()[i]);
                        }
                    };
                }
            };
        };
    }
}
