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
        float c = coefficient(norm, maxNorm);
        if (c != 1f) {
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= c;
            }
        }
        return norm;
    }

    /**
     * The factor that clipping to {@code maxNorm} applies to a gradient of norm {@code norm}:
     * {@code (float) (maxNorm / (norm + 1e-6))} when that is below 1, else exactly 1. Pass it to
     * {@link Adam#step(float[], float[], float)} to clip and step in one pass.
     */
    public static float coefficient(double norm, double maxNorm) {
        double coef = maxNorm / (norm + 1e-6);
        return coef < 1.0 ? (float) coef : 1f;
    }

    /**
     * {@code sqrt(sum_i grad[i]^2)} over the whole array, accumulated in double (see
     * {@link Kernels#sumOfSquares}). Reads only.
     */
    public static double globalNorm(float[] grad) {
        return Math.sqrt(Kernels.sumOfSquares(grad));
    }

    /**
     * The norm of a gradient summed by ranges: {@code sqrt(partialSquares[0] + partialSquares[1] + …)},
     * added left to right, where entry r is {@link Kernels#sumOfSquares(float[], int, int)} of
     * range r. With one range it is {@link #globalNorm}'s double exactly; with more, the same
     * double for the same ranges (threads may sum the ranges in any order), though not in general
     * {@link #globalNorm}'s last bit.
     */
    public static double normOfPartials(double[] partialSquares) {
        double sum = 0.0;
        for (double partial : partialSquares) {
            sum += partial;
        }
        return Math.sqrt(sum);
    }
}
