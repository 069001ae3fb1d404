package org.recsysrl.env.platform.interestevolution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.recsysrl.agent.Policy;
import org.recsysrl.agent.SlateBandit;
import org.recsysrl.env.StepResult;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionCatalog;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionEnv;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionResponse;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionSpec;
import org.recsysrl.eval.BoundPolicy;
import org.recsysrl.util.Rng;

class InterestEvolutionReferencesTest {
    private static final InterestEvolutionSpec SPEC = InterestEvolutionSpec.defaults();
    private static final InterestEvolutionCatalog CATALOG = new InterestEvolutionCatalog(SPEC);
    private static final int D = SPEC.observationSize();

    /** Expected minutes of an ordered slate, and per minute of budget spent, written out plainly. */
    private static double[] value(InterestEvolutionEnv env, float[] obs, int[] slate) {
        double total = Math.exp(SPEC.noClickScore());
        double minutes = 0;
        double spent = 0;
        for (int k = 0; k < slate.length; k++) {
            int d = env.candidate(slate[k]);
            double theta = obs[CATALOG.topic(d)];
            double w = Math.exp(SPEC.choiceScale() * (theta + CATALOG.appeal(d)) - SPEC.positionDecay() * k);
            double m = Math.max(0.05, Math.min(1, 0.6 + 0.15 * CATALOG.quality(d) + 0.2 * theta)) * SPEC.docLength();
            total += w;
            minutes += w * m;
            spent += w * m * (1 - SPEC.qualityRefund() * CATALOG.quality(d));
        }
        return new double[] {minutes / total, (minutes / total) / (spent / total + SPEC.stepCost())};
    }

    @Test
    void theOraclesPickTheBestOrderedSlateOfAllSevenHundredTwenty() {
        for (int user = 0; user < 5; user++) {
            InterestEvolutionEnv env = new InterestEvolutionEnv(CATALOG, user);
            float[] obs = new float[D];
            env.reset(user, obs, 0);
            double[] best = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
            int n = SPEC.candidates();
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    for (int c = 0; c < n; c++) {
                        if (a != b && b != c && a != c) {
                            double[] v = value(env, obs, new int[] {a, b, c});
                            best[0] = Math.max(best[0], v[0]);
                            best[1] = Math.max(best[1], v[1]);
                        }
                    }
                }
            }
            Policy myopic = InterestEvolutionReferences.myopicOracle(CATALOG);
            Policy budget = InterestEvolutionReferences.budgetAware(CATALOG);
            ((BoundPolicy) myopic).bind(env);
            ((BoundPolicy) budget).bind(env);
            int[] slate = new int[3];
            myopic.act(obs, 1, slate);
            assertThat(value(env, obs, slate)[0]).isEqualTo(best[0]);
            budget.act(obs, 1, slate);
            assertThat(value(env, obs, slate)[1]).isEqualTo(best[1]);
        }
    }

    @Test
    void theMyopicOracleTakesClickbaitThatTheBudgetAwarePolicyLeaves() {
        // over many steps of many users, the myopic oracle shows clickbait, the budget-aware one almost never
        int[] bait = new int[2];
        Policy[] policies = {InterestEvolutionReferences.myopicOracle(CATALOG),
            InterestEvolutionReferences.budgetAware(CATALOG)};
        for (int p = 0; p < 2; p++) {
            InterestEvolutionEnv env = new InterestEvolutionEnv(CATALOG, 3);
            ((BoundPolicy) policies[p]).bind(env);
            float[] obs = new float[D];
            int[] slate = new int[3];
            StepResult out = new StepResult();
            for (int user = 0; user < 20; user++) {
                env.reset(user, obs, 0);
                for (int step = 0; step < 10; step++) {
                    policies[p].act(obs, 1, slate);
                    for (int s : slate) {
                        bait[p] += CATALOG.clickbaitTopic(CATALOG.topic(env.candidate(s))) ? 1 : 0;
                    }
                    env.stepSlate(slate, 0, obs, 0, out);
                    if (out.done()) {
                        break;
                    }
                }
            }
        }
        assertThat(bait[0]).isGreaterThan(5 * Math.max(1, bait[1]));
    }

    @Test
    void popularShowsTheMostPopularCandidatesFirst() {
        InterestEvolutionEnv env = new InterestEvolutionEnv(CATALOG, 6);
        float[] obs = new float[D];
        env.reset(2, obs, 0);
        Policy popular = InterestEvolutionReferences.popular(CATALOG);
        ((BoundPolicy) popular).bind(env);
        int[] slate = new int[3];
        popular.act(obs, 1, slate);
        double[] pop = new double[SPEC.candidates()];
        for (int s = 0; s < pop.length; s++) {
            int d = env.candidate(s);
            for (int u = 0; u < SPEC.users(); u++) {
                double theta = CATALOG.interest(u, CATALOG.topic(d));
                double w = InterestEvolutionResponse.choiceWeight(SPEC, theta, CATALOG.appeal(d), 0);
                pop[s] += w / (Math.exp(SPEC.noClickScore()) + w)
                        * InterestEvolutionResponse.watchFraction(theta, CATALOG.quality(d));
            }
        }
        // each position holds the most popular candidate not already shown above it
        for (int k = 0; k < 3; k++) {
            for (int s = 0; s < pop.length; s++) {
                boolean above = false;
                for (int m = 0; m < k; m++) {
                    above |= slate[m] == s;
                }
                if (!above) {
                    assertThat(pop[slate[k]]).as("position %d against candidate %d", k, s).isGreaterThanOrEqualTo(pop[s]);
                }
            }
        }
    }

    @Test
    void theSlateBanditLearnsWhichCandidatesPay() {
        // blocks of width 2: the reward of a shown candidate is 2·x₀ when the user takes it; after
        // learning, the bandit shows the candidates with the largest x₀, largest first
        int candidates = 6;
        SlateBandit bandit = SlateBandit.linUcb(1, 2, candidates, 2, 1.0, 0.1);
        Rng rng = new Rng(3);
        float[] obs = new float[1 + candidates * 2];
        int[] slate = new int[2];
        for (int step = 0; step < 2000; step++) {
            for (int s = 0; s < candidates; s++) {
                obs[1 + 2 * s] = (float) rng.uniform(0, 1);
                obs[2 + 2 * s] = (float) rng.uniform(-1, 1);
            }
            bandit.act(obs, 1, slate);
            int choice = rng.nextInt(2);
            bandit.learnSlate(obs, 0, slate, 0, choice, 2 * obs[1 + 2 * slate[choice]]);
        }
        float[] fixed = {0f, 0.1f, 0.9f, 0.8f, -0.9f, 0.3f, 0f, 0.95f, 0.2f, 0.5f, 0.5f, 0.2f, -0.5f};
        bandit.act(fixed, 1, slate);
        assertThat(slate).containsExactly(3, 1);
    }
}
