package org.recsysrl.nn;

/** Global gradient-norm clipping, as PyTorch's {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradClip {

    private GradClip() {}

    /**
     * Computes {@code norm = sqrt(sum_i grad[i]^2)} over the whole array (in double) and, if
     * {@code coef = maxNorm / (norm + 1e-6)} is below 1 (i.e. the norm exceeds maxNorm), multiplies
     * every entry by {@code coef}. Modifies {@code grad} only when clipping.
     *
     * @return the norm before clipping
     */
    public static double clipGlobalNorm(float[] grad, double maxNorm) {
        double norm = globalNorm(grad);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1.0) {
            float c = (float) coef;
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= c;
            }
        }
        return norm;
    }

    /**
     * {@code sqrt(sum_i grad[i]^2)} over the whole array, accumulated in double in four interleaved
     * partial sums (a fixed order, so the result is reproducible). Reads only.
     */
    public static double globalNorm(float[] grad) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int n = grad.length;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            double g0 = grad[i];
            double g1 = grad[i + 1];
            double g2 = grad[i + 2];
            double g3 = grad[i + 3];
            s0 += g0 * g0;
            s1 += g1 * g1;
            s2 += g2 * g2;
            s3 += g3 * g3;
        }
        for (; i < n; i++) {
            double g = grad[i];
            s0 += g * g;
        }
        return Math.sqrt((s0 + s1) + (s2 + s3));
    }
}
