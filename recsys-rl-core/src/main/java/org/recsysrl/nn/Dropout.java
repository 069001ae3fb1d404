package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/**
 * Inverted dropout: in training, each value is kept with probability 1 − p and scaled by
 * 1/(1 − p), else set to 0; at evaluation it is the identity. The mask is drawn from the caller's
 * seeded {@link Rng} (so runs are reproducible) and kept in the caller's buffer for the backward
 * pass, which multiplies the gradient by the same mask.
 */
public final class Dropout {
    private Dropout() {
    }

    /**
     * Draws a mask for {@code n} values into {@code mask} (0 or 1/(1−p)) and applies it to
     * {@code x} in place. With p = 0 the mask is all ones and nothing is drawn.
     */
    public static void forward(float[] x, int n, double p, Rng rng, float[] mask) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1): " + p);
        }
        if (p == 0) {
            java.util.Arrays.fill(mask, 0, n, 1f);
            return;
        }
        float scale = (float) (1.0 / (1.0 - p));
        // rng.nextDouble() >= p, without a branch the draws would mispredict one time in 1/p: the
        // double is u·2^-53 for the 53-bit integer u = nextLong() >>> 11 (exactly), and
        // u·2^-53 >= p exactly when u >= ceil(p·2^53); so the same draws keep the same values
        long threshold = (long) Math.ceil(p * 0x1p53);
        for (int i = 0; i < n; i++) {
            long u = rng.nextLong() >>> 11;
            float m = scale * (1 - ((u - threshold) >>> 63)); // 1 if u >= threshold, else 0
            mask[i] = m;
            x[i] *= m;
        }
    }

    /** {@code dx[i] *= mask[i]} for {@code i < n}, in place. */
    public static void backward(float[] dx, int n, float[] mask) {
        for (int i = 0; i < n; i++) {
            dx[i] *= mask[i];
        }
    }
}
