package org.recsysrl.eval;

import org.recsysrl.agent.Policy;

/** A {@link Policy} that chooses each observation row's item by one function (the reference policies). */
public final class RowPolicy {
    private RowPolicy() {
    }

    /** Chooses the item for row {@code row} of {@code obs}. */
    public interface Choice {
        int choose(float[] obs, int row);
    }

    /** The first index in [from, to) with the largest {@code value} (ties to the lower index). */
    public static int best(int from, int to, java.util.function.IntToDoubleFunction value) {
        int best = from;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            double v = value.applyAsDouble(i);
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }

    /** The policy named {@code name} that applies {@code choice} to every row. */
    public static Policy of(String name, Choice choice) {
        return new Policy() {
            @Override
            public void act(float[] obs, int batch, int[] actionsOut) {
                for (int b = 0; b < batch; b++) {
                    actionsOut[b] = choice.choose(obs, b);
                }
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /** The policy {@code random}: a uniformly random index in [0, {@code items}) per row, from {@code rng}. */
    public static Policy uniformRandom(int items, org.recsysrl.util.Rng rng) {
        return of("random", (obs, b) -> rng.nextInt(items));
    }
}
