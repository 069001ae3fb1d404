package org.recsysrl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.UserInputException;

class ExplorationTest {
    private static List<ScoredItem> ranked(double... scores) {
        List<ScoredItem> out = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            out.add(new ScoredItem("i" + i, (float) scores[i]));
        }
        return out;
    }

    private static int index(ScoredItem s) {
        return Integer.parseInt(s.id().substring(1));
    }

    @Test
    void greedyIsTheTopKWithPropensityOne() {
        ExploredSlate s = Exploration.greedy().sample(ranked(3, 2, 1), 2, new SplittableRandom(1));
        assertEquals(List.of("i0", "i1"), s.items().stream().map(ScoredItem::id).toList());
        assertArrayEquals(new double[] {1, 1}, s.propensities());
        assertEquals(1, s.slatePropensity());
    }

    @Test
    void epsilonGreedyPropensitiesByHand() {
        // 4 eligible items, k = 2, epsilon = 0.2: greedy slate (i0, i1) with 0.8 + 0.2 / 12;
        // each of its items 0.8 + 0.2 / 4 = 0.85; an explored item off the greedy position 0.05
        Exploration e = Exploration.epsilonGreedy(0.2);
        boolean sawGreedy = false;
        boolean sawOther = false;
        for (long seed = 0; seed < 200 && !(sawGreedy && sawOther); seed++) {
            ExploredSlate s = e.sample(ranked(4, 3, 2, 1), 2, new SplittableRandom(seed));
            int a = index(s.items().get(0));
            int b = index(s.items().get(1));
            if (a == 0 && b == 1) {
                sawGreedy = true;
                assertEquals(0.85, s.propensity(0), 1e-12);
                assertEquals(0.85, s.propensity(1), 1e-12);
                assertEquals(0.8 + 0.2 / 12, s.slatePropensity(), 1e-12);
            } else {
                sawOther = true;
                assertEquals(a == 0 ? 0.85 : 0.05, s.propensity(0), 1e-12);
                assertEquals(b == 1 ? 0.85 : 0.05, s.propensity(1), 1e-12);
                assertEquals(0.2 / 12, s.slatePropensity(), 1e-12);
            }
        }
        assertTrue(sawGreedy && sawOther);
    }

    @Test
    void plackettLuceMarginalsByHand() {
        // weights 1, 2, 3 (scores ln 1, ln 2, ln 3 at temperature 1), total 6
        double[] w = {1, 2, 3};
        assertEquals(1.0 / 6, Exploration.marginal(w, 6, 0, 0), 1e-15);
        // item 0 second: first is 1 (2/6) then 0 (1/4), or first is 2 (3/6) then 0 (1/3)
        assertEquals(2.0 / 6 * 1 / 4 + 3.0 / 6 * 1 / 3, Exploration.marginal(w, 6, 0, 1), 1e-12);
        // item 0 last: 1 - 1/6 - 1/4
        assertEquals(7.0 / 12, Exploration.marginal(w, 6, 0, 2), 1e-12);
        // item 2 second: first 0 (1/6) then 2 (3/5), or first 1 (2/6) then 2 (3/4)
        assertEquals(1.0 / 6 * 3 / 5 + 2.0 / 6 * 3 / 4, Exploration.marginal(w, 6, 2, 1), 1e-12);
    }

    @Test
    void plackettLuceMarginalsMatchEnumerationOfAllOrders() {
        double[] w = {0.05, 1.7, 0.3, 4.0, 1.0, 0.9};
        double total = 0;
        for (double x : w) {
            total += x;
        }
        double[][] exact = new double[w.length][w.length];
        enumerate(w, new boolean[w.length], 0, 1.0, total, exact);
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w.length; j++) {
                assertEquals(exact[i][j], Exploration.marginal(w, total, i, j), 1e-12, "item " + i + " position " + j);
            }
        }
    }

    private static void enumerate(double[] w, boolean[] taken, int pos, double prob, double remaining,
            double[][] out) {
        if (pos == w.length) {
            return;
        }
        for (int i = 0; i < w.length; i++) {
            if (!taken[i]) {
                double p = prob * w[i] / remaining;
                out[i][pos] += p;
                taken[i] = true;
                enumerate(w, taken, pos + 1, p, remaining - w[i], out);
                taken[i] = false;
            }
        }
    }

    @Test
    void plackettLuceSlateProbabilityAndTemperature() {
        // scores 0, ln 2 at temperature 0.5: weights 1 and 4; slate (i1, i0) has 4/5 * 1
        Exploration e = Exploration.plackettLuce(0.5);
        for (long seed = 0; seed < 20; seed++) {
            ExploredSlate s = e.sample(ranked(0, Math.log(2)), 2, new SplittableRandom(seed));
            boolean oneFirst = s.items().get(0).id().equals("i1");
            assertEquals(oneFirst ? 0.8 : 0.2, s.slatePropensity(), 1e-7);
            assertEquals(oneFirst ? 0.8 : 0.2, s.propensity(0), 1e-7);
            assertEquals(oneFirst ? 0.8 : 0.2, s.propensity(1), 1e-7); // last position: the other order's complement
        }
    }

    @Test
    void sampledFrequenciesMatchThePropensities() {
        List<ScoredItem> r = ranked(1.0, 0.5, 0.0, -0.7, -1.0);
        for (Exploration e : List.of(Exploration.plackettLuce(0.8), Exploration.epsilonGreedy(0.3))) {
            SplittableRandom rng = new SplittableRandom(42);
            int draws = 20_000;
            int[][] counts = new int[5][3];
            double[][] prop = new double[5][3];
            Map<String, Integer> slates = new HashMap<>();
            Map<String, Double> slateProp = new HashMap<>();
            for (int d = 0; d < draws; d++) {
                ExploredSlate s = e.sample(r, 3, rng);
                StringBuilder key = new StringBuilder();
                for (int j = 0; j < 3; j++) {
                    int i = index(s.items().get(j));
                    counts[i][j]++;
                    prop[i][j] = s.propensity(j);
                    key.append(i);
                }
                slates.merge(key.toString(), 1, Integer::sum);
                slateProp.put(key.toString(), s.slatePropensity());
            }
            double sumMarginals = 0;
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 3; j++) {
                    if (counts[i][j] > 0) {
                        double p = prop[i][j];
                        double sd = Math.sqrt(p * (1 - p) / draws);
                        assertEquals(p, counts[i][j] / (double) draws, 5 * sd + 1e-9, e + " item " + i + " pos " + j);
                    }
                }
            }
            for (var en : slates.entrySet()) {
                double p = slateProp.get(en.getKey());
                double sd = Math.sqrt(p * (1 - p) / draws);
                assertEquals(p, en.getValue() / (double) draws, 5 * sd + 1e-9, e + " slate " + en.getKey());
                sumMarginals += p;
            }
            assertTrue(sumMarginals <= 1 + 1e-9 && sumMarginals > 0.97, e + ": seen slates cover the mass");
        }
    }

    @Test
    void sameSeedSameSlate() {
        List<ScoredItem> r = ranked(1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4);
        Exploration e = Exploration.plackettLuce(1);
        for (long seed = 0; seed < 10; seed++) {
            assertEquals(e.sample(r, 4, new SplittableRandom(seed)), e.sample(r, 4, new SplittableRandom(seed)));
        }
    }

    @Test
    void parsesTheForms() {
        assertEquals(Exploration.Kind.GREEDY, Exploration.parse("greedy").kind());
        assertEquals(0.05, Exploration.parse("epsilon=0.05").epsilon());
        assertEquals(2.0, Exploration.parse("softmax:temperature=2").temperature());
        assertEquals(1.0, Exploration.parse("plackett-luce").temperature());
        assertEquals(0.5, Exploration.parse("plackett-luce:temperature=0.5").temperature());
        assertThrows(UserInputException.class, () -> Exploration.parse("epsilon=1.5"));
        assertThrows(UserInputException.class, () -> Exploration.parse("softmax"));
        assertThrows(UserInputException.class, () -> Exploration.parse("boltzmann"));
    }
}
