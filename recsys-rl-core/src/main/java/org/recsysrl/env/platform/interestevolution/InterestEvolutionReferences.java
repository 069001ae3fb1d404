package org.recsysrl.env.platform.interestevolution;

import org.recsysrl.agent.Policy;
import org.recsysrl.agent.Slates;
import org.recsysrl.env.Environment;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionCatalog;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionEnv;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionResponse;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionSpec;
import org.recsysrl.eval.BoundPolicy;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.eval.EpisodeStats;
import org.recsysrl.util.Rng;

/**
 * The reference policies of {@code interest-evolution}, each choosing a slate of K from the step's
 * N candidates. The observation carries the user's true interests; which corpus document sits in a
 * candidate slot the policies that need it read from the environment they are bound to (a
 * platform knows its documents):
 *
 * <ul>
 *   <li>{@code random}: K distinct candidates uniformly at random;
 *   <li>{@code popular}: the K candidates with the most expected minutes when shown alone, averaged
 *       over every user's initial interests, most popular first;
 *   <li>{@code myopic-oracle}: the ordered slate with the most expected minutes now at the true
 *       state ({@link InterestEvolutionResponse}), over all N!/(N−K)! ordered slates: the best a
 *       policy can do for the next step alone;
 *   <li>{@code budget-aware}: the ordered slate with the most expected minutes per minute of
 *       session budget it spends, E[w] / (E[w·(1 − ρ·quality)] + stepCost): a policy that knows the
 *       model and plans for the session's length, not just the next click.
 * </ul>
 */
public final class InterestEvolutionReferences {
    private InterestEvolutionReferences() {
    }

    /**
     * The figures of {@code interest-evolution}: sessions, minutes per session, clicks per slate, and
     * the clickbait share of clicks.
     */
    public static final EngagementFigures FIGURES = new EngagementFigures() {
        @Override
        public java.util.List<String> names() {
            return java.util.List.of("sessions", "minutes/session", "click rate", "clickbait share");
        }

        @Override
        public void read(Environment env, EpisodeStats episode, double[] out) {
            InterestEvolutionEnv.Engagement e = ((InterestEvolutionEnv) env).engagement();
            out[0] = e.sessions;
            out[1] = e.sessions == 0 ? 0 : e.minutes / e.sessions;
            out[2] = e.slates == 0 ? 0 : (double) e.clicks / e.slates;
            out[3] = e.clicks == 0 ? 0 : (double) e.clickbaitClicks / e.clicks;
        }
    };

    /** K distinct candidates uniformly at random. */
    public static Policy random(InterestEvolutionSpec spec, Rng rng) {
        return new SlatePolicy("random", spec) {
            @Override
            void choose(float[] obs, int off, int[] out, int outOff) {
                Slates.random(rng, spec.candidates(), slate, out, outOff);
            }
        };
    }

    /** The K candidates with the most expected minutes over the users' initial interests. */
    public static Policy popular(InterestEvolutionCatalog catalog) {
        InterestEvolutionSpec spec = catalog.spec();
        double[] popularity = new double[spec.docs()];
        double none = InterestEvolutionResponse.noClickWeight(spec);
        for (int d = 0; d < spec.docs(); d++) {
            double sum = 0;
            for (int u = 0; u < spec.users(); u++) {
                double theta = catalog.interest(u, catalog.topic(d));
                double w = InterestEvolutionResponse.choiceWeight(spec, theta, catalog.appeal(d), 0);
                sum += w / (none + w) * InterestEvolutionResponse.watchFraction(theta, catalog.quality(d));
            }
            popularity[d] = sum;
        }
        return new SlatePolicy("popular", spec) {
            @Override
            void choose(float[] obs, int off, int[] out, int outOff) {
                for (int k = 0; k < slate; k++) {
                    int best = -1;
                    for (int s = 0; s < spec.candidates(); s++) {
                        if (!Slates.contains(out, outOff, k, s)
                                && (best < 0 || popularity[env.candidate(s)] > popularity[env.candidate(best)])) {
                            best = s;
                        }
                    }
                    out[outOff + k] = best;
                }
            }
        };
    }

    /** The ordered slate with the most expected minutes at the true state. */
    public static Policy myopicOracle(InterestEvolutionCatalog catalog) {
        return new SlateSearch("myopic-oracle", catalog, false);
    }

    /** The ordered slate with the most expected minutes per minute of budget spent. */
    public static Policy budgetAware(InterestEvolutionCatalog catalog) {
        return new SlateSearch("budget-aware", catalog, true);
    }

    /** A slate policy bound to its environment, batch of one row at a time. */
    private abstract static class SlatePolicy implements BoundPolicy {
        final String name;
        final InterestEvolutionSpec spec;
        final int slate;
        InterestEvolutionEnv env;

        SlatePolicy(String name, InterestEvolutionSpec spec) {
            this.name = name;
            this.spec = spec;
            this.slate = spec.slateSize();
        }

        abstract void choose(float[] obs, int off, int[] out, int outOff);

        @Override
        public void bind(Environment environment) {
            this.env = (InterestEvolutionEnv) environment;
        }

        @Override
        public void act(float[] obs, int batch, int[] actionsOut) {
            for (int b = 0; b < batch; b++) {
                choose(obs, b * spec.observationSize(), actionsOut, b * slate);
            }
        }

        @Override
        public int slateSize() {
            return slate;
        }

        @Override
        public String name() {
            return name;
        }
    }

    /** Exhaustive search over the ordered slates for the largest expected value. */
    private static final class SlateSearch extends SlatePolicy {
        private final InterestEvolutionCatalog catalog;
        private final boolean perBudget;
        /** weight[s·K + k]: e^{score} of candidate s at position k. */
        private final double[] weight;
        private final double[] minutes;
        private final double[] spent;
        private final int[] current;
        private final int[] best;
        private double bestValue;

        SlateSearch(String name, InterestEvolutionCatalog catalog, boolean perBudget) {
            super(name, catalog.spec());
            this.catalog = catalog;
            this.perBudget = perBudget;
            int n = spec.candidates();
            this.weight = new double[n * slate];
            this.minutes = new double[n];
            this.spent = new double[n];
            this.current = new int[slate];
            this.best = new int[slate];
        }

        @Override
        void choose(float[] obs, int off, int[] out, int outOff) {
            for (int s = 0; s < spec.candidates(); s++) {
                int d = env.candidate(s);
                double theta = obs[off + catalog.topic(d)];
                for (int k = 0; k < slate; k++) {
                    weight[s * slate + k] = InterestEvolutionResponse.choiceWeight(spec, theta, catalog.appeal(d), k);
                }
                minutes[s] = InterestEvolutionResponse.watchFraction(theta, catalog.quality(d)) * spec.docLength();
                spent[s] = minutes[s] * (1 - spec.qualityRefund() * catalog.quality(d));
            }
            bestValue = Double.NEGATIVE_INFINITY;
            search(0, InterestEvolutionResponse.noClickWeight(spec), 0, 0);
            System.arraycopy(best, 0, out, outOff, slate);
        }

        /** Extends {@code current[0 .. k)} in every way; {@code total} is Σ weights so far plus no-click's. */
        private void search(int k, double total, double weightedMinutes, double weightedSpent) {
            if (k == slate) {
                double value = weightedMinutes / total;
                if (perBudget) {
                    value /= weightedSpent / total + spec.stepCost();
                }
                if (value > bestValue) {
                    bestValue = value;
                    System.arraycopy(current, 0, best, 0, slate);
                }
                return;
            }
            for (int s = 0; s < spec.candidates(); s++) {
                if (Slates.contains(current, 0, k, s)) {
                    continue;
                }
                current[k] = s;
                double w = weight[s * slate + k];
                search(k + 1, total + w, weightedMinutes + w * minutes[s], weightedSpent + w * spent[s]);
            }
        }
    }
}
