package org.recsysrl.nn;

/**
 * One implementation of the numerical hot spots. {@link Kernels} picks the fastest available at
 * start-up; all backends compute the same functions (up to float rounding).
 */
interface KernelBackend {
    /** A short name for reports: "vector-512", "scalar", … */
    String name();

    /** See {@link Kernels#linearForward}. */
    void linearForward(float[] x, int batch, int in, float[] w, int wOff, float[] bias, int bOff, int out, float[] y,
            float[] scratch);

    /** See {@link Kernels#linearBackwardInput}. */
    void linearBackwardInput(float[] dy, int batch, int out, float[] w, int wOff, int in, float[] dx);

    /** See {@link Kernels#linearBackwardParams}. */
    void linearBackwardParams(float[] dy, float[] x, int batch, int in, int out, float[] dW, int wOff, float[] dB,
            int bOff);

    /** See {@link Kernels#softmax}. */
    float softmax(float[] logits, int off, int n, float[] logp, float[] probs, int outOff);

    /** See {@link Kernels#adamUpdate}. */
    void adamUpdate(float[] params, float[] grads, float[] m, float[] v, int n, float w1, float b2, float w2,
            float negStep, float bc2Sqrt, float eps);

    /** See {@link Kernels#tanhInPlace}. */
    void tanhInPlace(float[] a, int n);

    /** See {@link Kernels#categoricalBackward}. */
    void categoricalBackward(float[] probs, float[] logp, int off, int n, int action, float gLogp, float gEntropy,
            float entropy, float[] dLogits, int dOff);
}
