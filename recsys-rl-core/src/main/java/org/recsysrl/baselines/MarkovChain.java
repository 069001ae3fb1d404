package org.recsysrl.baselines;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.data.Interactions;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.MemoryNeed;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;

/**
 * First-order Markov transitions: how often item b directly followed item a in the users' training
 * sequences. A history ending in a scores item i by
 * {@code P(i | a) + β·P_pop(i)} with {@code P(i | a) = n(a→i) / n(a→·)} and
 * {@code P_pop(i)} the item's share of training interactions; β backs off to popularity where the
 * transitions say little (an empty history or an unseen last item gets popularity alone).
 */
public final class MarkovChain implements ModelFamily {
    private static final double[] BETAS = {0.01, 0.1, 1, 10};

    @Override
    public String name() {
        return "markov";
    }

    @Override
    public String description() {
        return "first-order next-item transition counts, backed off to popularity";
    }

    @Override
    public MemoryNeed memory(Interactions train, FitContext context) {
        long n = train.itemCount();
        // the transitions, then at most as many distinct (source, successor) pairs with a count and a score
        return new MemoryNeed(16L * train.totalCount(), String.format(java.util.Locale.ROOT,
                "the %,d transitions and their distinct pairs", train.totalCount())).plus(16 * n
                + 4L * n * context.threads());
    }

    @Override
    public List<Hyperparameters> grid(Interactions train, FitContext context) {
        List<Hyperparameters> g = new ArrayList<>();
        for (double b : BETAS) {
            g.add(Hyperparameters.of("beta", b));
        }
        return g;
    }

    @Override
    public Fitter prepare(Interactions train, FitContext context) {
        int n = train.itemCount();
        int[] items = train.items();
        // transitions grouped by source: count per source, then fill
        int[] outOffsets = new int[n + 1];
        for (int u = 0; u < train.userCount(); u++) {
            for (int p = train.start(u) + 1; p < train.end(u); p++) {
                outOffsets[items[p - 1] + 1]++;
            }
        }
        for (int i = 0; i < n; i++) {
            outOffsets[i + 1] += outOffsets[i];
        }
        int[] targets = new int[outOffsets[n]];
        int[] next = java.util.Arrays.copyOf(outOffsets, n);
        for (int u = 0; u < train.userCount(); u++) {
            for (int p = train.start(u) + 1; p < train.end(u); p++) {
                targets[next[items[p - 1]]++] = items[p];
            }
        }
        // each source's distinct successors with how often each followed it
        int[] distinctOffsets = new int[n + 1];
        int d = 0;
        for (int a = 0; a < n; a++) {
            java.util.Arrays.sort(targets, outOffsets[a], outOffsets[a + 1]);
            for (int q = outOffsets[a]; q < outOffsets[a + 1]; q++) {
                if (q == outOffsets[a] || targets[q] != targets[q - 1]) {
                    d++;
                }
            }
            distinctOffsets[a + 1] = d;
        }
        int[] successors = new int[d];
        int[] repeats = new int[d];
        for (int a = 0, k = -1; a < n; a++) {
            for (int q = outOffsets[a]; q < outOffsets[a + 1]; q++) {
                if (q == outOffsets[a] || targets[q] != targets[q - 1]) {
                    successors[++k] = targets[q];
                }
                repeats[k]++;
            }
        }
        int[] counts = train.itemCounts();
        long total = train.totalCount();
        float[] pop = new float[n];
        for (int i = 0; i < n; i++) {
            pop[i] = total == 0 ? 0f : (float) ((double) counts[i] / total);
        }
        return hp -> new Model(n, outOffsets, distinctOffsets, successors, repeats, pop, (float) hp.get("beta"));
    }

    private static final class Model implements Recommender {
        private final int n;
        private final int[] offsets;
        private final float[] base;
        private final int[] successors;
        /** Final score of each (source, distinct successor): its base plus 1/n(a→·) once per transition. */
        private final float[] scores;

        Model(int n, int[] offsets, int[] distinctOffsets, int[] successors, int[] repeats, float[] pop, float beta) {
            this.n = n;
            this.offsets = distinctOffsets;
            this.successors = successors;
            this.base = new float[n];
            for (int i = 0; i < n; i++) {
                base[i] = beta * pop[i];
            }
            // the score adds 1/n(a→·) once per transition, in float, exactly as a per-transition sum would
            this.scores = new float[successors.length];
            for (int a = 0; a < n; a++) {
                float w = offsets[a + 1] == offsets[a] ? 0f : 1f / (offsets[a + 1] - offsets[a]);
                for (int q = distinctOffsets[a]; q < distinctOffsets[a + 1]; q++) {
                    float v = base[successors[q]];
                    for (int r = 0; r < repeats[q]; r++) {
                        v += w;
                    }
                    scores[q] = v;
                }
            }
        }

        @Override
        public String name() {
            return "markov";
        }

        @Override
        public int itemCount() {
            return n;
        }

        @Override
        public Scorer newScorer() {
            return new SparseScorer() {
                private int[] touchedBuffer;

                @Override
                public void score(History h, float[] out) {
                    System.arraycopy(base, 0, out, 0, n);
                    if (touchedBuffer == null) {
                        touchedBuffer = new int[n];
                    }
                    scoreTouched(h, out, touchedBuffer);
                }

                @Override
                public float[] base() {
                    return base;
                }

                @Override
                public int scoreTouched(History h, float[] out, int[] touched) {
                    int last = h.lastItem();
                    if (last < 0) {
                        return 0;
                    }
                    int t = 0;
                    for (int q = offsets[last]; q < offsets[last + 1]; q++) {
                        int i = successors[q];
                        touched[t++] = i;
                        out[i] = scores[q];
                    }
                    return t;
                }
            };
        }
    }
}
