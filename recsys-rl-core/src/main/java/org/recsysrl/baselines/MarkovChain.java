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
        return new MemoryNeed(4L * train.totalCount(), String.format(java.util.Locale.ROOT,
                "the %,d transitions", train.totalCount())).plus(12 * n + 12L * n * context.threads());
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
        int[] counts = train.itemCounts();
        long total = train.totalCount();
        float[] pop = new float[n];
        for (int i = 0; i < n; i++) {
            pop[i] = total == 0 ? 0f : (float) ((double) counts[i] / total);
        }
        return hp -> new Model(n, outOffsets, targets, pop, (float) hp.get("beta"));
    }

    private static final class Model implements Recommender {
        private final int n;
        private final int[] offsets;
        private final int[] targets;
        private final float[] pop;
        private final float beta;

        Model(int n, int[] offsets, int[] targets, float[] pop, float beta) {
            this.n = n;
            this.offsets = offsets;
            this.targets = targets;
            this.pop = pop;
            this.beta = beta;
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
            float[] base = new float[n];
            for (int i = 0; i < n; i++) {
                base[i] = beta * pop[i];
            }
            int[] touchedStamp = new int[n];
            return new SparseScorer() {
                private int stamp;
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
                    if (last < 0 || offsets[last + 1] == offsets[last]) {
                        return 0;
                    }
                    int s = ++stamp;
                    int from = offsets[last];
                    int to = offsets[last + 1];
                    float w = 1f / (to - from);
                    int t = 0;
                    for (int q = from; q < to; q++) {
                        int i = targets[q];
                        if (touchedStamp[i] != s) {
                            touchedStamp[i] = s;
                            touched[t++] = i;
                            out[i] = base[i];
                        }
                        out[i] += w;
                    }
                    return t;
                }
            };
        }
    }
}
