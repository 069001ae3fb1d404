package org.recsysrl.baselines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recsysrl.data.Interactions;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.MemoryNeed;
import org.recsysrl.recommend.ModelFamily;

/**
 * Recently popular: items ranked by their interactions in the most recent window of the training
 * timeline, ties (including items not seen in the window) broken by all-time popularity. Ji et al.
 * (SIGIR 2020) found such time-aware popularity far stronger than all-time popularity on
 * MovieLens. The window is the latest fraction {@code window} of all training interactions by
 * time, so it needs times and adapts to any time unit.
 *
 * <p>score_i = windowCount_i + allCount_i / (max_j allCount_j + 1).
 */
public final class RecentlyPopular implements ModelFamily {
    private static final double[] WINDOWS = {0.005, 0.02, 0.05, 0.15};

    @Override
    public String name() {
        return "recent-popular";
    }

    @Override
    public String description() {
        return "the most interacted-with items in the latest part of the training timeline";
    }

    @Override
    public String unavailableReason(FitContext context) {
        return context.hasTimes() ? null : "needs interaction times (the data has none)";
    }

    @Override
    public MemoryNeed memory(Interactions train, FitContext context) {
        return new MemoryNeed(8L * train.totalCount(), String.format(java.util.Locale.ROOT,
                "the %,d sorted interaction times", train.totalCount())).plus(12L * train.itemCount());
    }

    @Override
    public List<Hyperparameters> grid(Interactions train, FitContext context) {
        List<Hyperparameters> g = new ArrayList<>();
        for (double w : WINDOWS) {
            g.add(Hyperparameters.of("window", w));
        }
        return g;
    }

    @Override
    public Fitter prepare(Interactions train, FitContext context) {
        long[] times = train.times();
        if (times == null) {
            throw new IllegalStateException("recent-popular needs times");
        }
        int[] items = train.items();
        int n = (int) train.totalCount();
        long[] sorted = new long[n];
        int k = 0;
        for (int u = 0; u < train.userCount(); u++) {
            for (int p = train.start(u); p < train.end(u); p++) {
                sorted[k++] = times[p];
            }
        }
        Arrays.sort(sorted);
        int[] all = train.itemCounts();
        int max = 0;
        for (int c : all) {
            max = Math.max(max, c);
        }
        final double scale = 1.0 / (max + 1.0);
        return hp -> {
            double window = hp.get("window");
            // the window holds the latest ceil(window · n) interactions: those at or after this time
            int first = Math.max(0, n - (int) Math.ceil(window * n));
            long from = n == 0 ? Long.MAX_VALUE : sorted[first];
            float[] scores = new float[train.itemCount()];
            for (int u = 0; u < train.userCount(); u++) {
                for (int p = train.start(u); p < train.end(u); p++) {
                    if (times[p] >= from) {
                        scores[items[p]] += 1f;
                    }
                }
            }
            for (int i = 0; i < scores.length; i++) {
                scores[i] = (float) (scores[i] + all[i] * scale);
            }
            return MostPopular.fixedScores(name(), scores);
        };
    }
}
