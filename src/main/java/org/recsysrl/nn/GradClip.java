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
     * {@code sqrt(sum_i grad[i]^2)} over the whole array, accumulated in double (see
     * {@link Kernels#sumOfSquares}). Reads only.
     */
    public static double globalNorm(float[] grad) {
        return Math.sqrt(Kernels.sumOfSquares(grad));
    }
}
