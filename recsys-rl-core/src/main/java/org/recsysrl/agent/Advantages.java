package org.recsysrl.agent;

/** Advantage normalisation: A ← (A − mean(A)) / (std(A) + 1e-8), std with Bessel's correction. */
final class Advantages {
    private Advantages() {
    }

    /** Normalises {@code a[off..off+n)} in place; leaves a single value unchanged but centred. */
    static void normalise(float[] a, int off, int n) {
        double mean = 0;
        for (int k = off; k < off + n; k++) {
            mean += a[k];
        }
        mean /= n;
        double var = 0;
        for (int k = off; k < off + n; k++) {
            double c = a[k] - mean;
            var += c * c;
        }
        double std = n > 1 ? Math.sqrt(var / (n - 1)) : 0.0;
        float scale = (float) (1.0 / (std + 1e-8));
        float m = (float) mean;
        for (int k = off; k < off + n; k++) {
            a[k] = (a[k] - m) * scale;
        }
    }
}
