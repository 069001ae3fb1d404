package org.recsysrl.nn;

/**
 * A dense layer {@code y = x W^T + b} whose parameters live in a {@link ParameterStore}: it
 * allocates {@code name + ".weight"} with shape {@code [out, in]} and {@code name + ".bias"} with
 * shape {@code [out]} (PyTorch {@code nn.Linear} names and shapes, which checkpoints keep).
 *
 * <p>The weight is stored transposed ({@link ParameterStore#allocateTransposed}): row i of the
 * stored {@code [in, out]} matrix holds the weights from input i to every output. Then the
 * forward pass and the weight gradient are broadcast products along contiguous rows of
 * {@code out} values (fast for any batch, including the single rows of a rollout), and only the
 * input gradient takes dot products. Use {@link #weightIndex} to address one weight.
 *
 * <p>The caller provides inputs and outputs; the layer keeps one scratch buffer per thread for its
 * input-gradient kernel, so threads may run backward passes of one layer at once (each into the
 * gradient array {@link ParameterStore#grad()} gives that thread).
 */
public final class Linear {
    private final ParameterStore store;
    private final String name;
    private final int in;
    private final int out;
    private final int weightOffset;
    private final int biasOffset;
    /** Workspace of the input-gradient kernel (the SIMD backend may transpose W into it), in·out floats per thread. */
    private final ThreadLocal<float[]> scratch;

    /**
     * Allocates the weight and bias in {@code store} (which must not be frozen yet). Values are
     * zero until an {@link Init} method is applied.
     *
     * @throws IllegalArgumentException if a size is not positive or the names are taken
     */
    public Linear(ParameterStore store, String name, int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear '" + name + "' needs positive sizes: in=" + in + ", out=" + out);
        }
        this.store = store;
        this.name = name;
        this.in = in;
        this.out = out;
        this.weightOffset = store.allocateTransposed(name + ".weight", out, in);
        this.biasOffset = store.allocate(name + ".bias", out);
        this.scratch = ThreadLocal.withInitial(() -> new float[in * out]);
    }

    /** Input width. */
    public int in() {
        return in;
    }

    /** Output width. */
    public int out() {
        return out;
    }

    /**
     * Offset of the weight in the store's data()/grad(): {@code in·out} floats, stored as the
     * {@code [in, out]} transpose of the {@code [out, in]} weight.
     */
    public int weightOffset() {
        return weightOffset;
    }

    /** Index in the store's data()/grad() of W[o, i], the weight from input i to output o. */
    public int weightIndex(int o, int i) {
        if (o < 0 || o >= out || i < 0 || i >= in) {
            throw new IndexOutOfBoundsException("W[" + o + ", " + i + "] outside [" + out + ", " + in + "]");
        }
        return weightOffset + i * out + o;
    }

    /** A copy of the weight as {@code [out, in]} row-major: row o is output o's weights. */
    public float[] weightRows() {
        float[] p = store.data();
        float[] rows = new float[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                rows[o * in + i] = p[weightOffset + i * out + o];
            }
        }
        return rows;
    }

    /** Offset of the {@code [out]} bias in the store's data()/grad(). */
    public int biasOffset() {
        return biasOffset;
    }

    /** The layer name (prefix of its parameter names). */
    public String name() {
        return name;
    }

    /** The store holding the parameters. */
    public ParameterStore store() {
        return store;
    }

    /**
     * {@code y[b*out+o] = bias[o] + sum_i x[b*in+i] W[o,i]} for {@code b < batch}: the product of
     * x with the stored {@code [in, out]} matrix ({@link Kernels#multiply}). Overwrites
     * {@code y[0 .. batch*out)}.
     */
    public void forward(float[] x, float[] y, int batch) {
        float[] p = store.data();
        Kernels.multiply(x, batch, in, p, weightOffset, out, p, biasOffset, y);
    }

    /**
     * Backward pass for upstream gradient {@code dy [batch*out]} and the forward input
     * {@code x [batch*in]}: accumulates {@code dW += dy^T x} and {@code db += sum_b dy} into
     * {@code store.grad()}; if {@code dx != null} overwrites {@code dx[0 .. batch*in) = dy W}.
     * {@code dy} is not modified.
     */
    public void backward(float[] x, float[] dy, float[] dx, int batch) {
        backward(x, dy, dx, batch, true);
    }

    /**
     * As {@link #backward(float[], float[], float[], int)}; with {@code accumulate = false} the
     * layer's gradients are overwritten instead of added to (the same bits as zeroing them first).
     */
    public void backward(float[] x, float[] dy, float[] dx, int batch, boolean accumulate) {
        float[] g = store.grad();
        if (accumulate) {
            Kernels.addTransposedProduct(x, in, dy, out, batch, g, weightOffset);
            Kernels.addColumnSums(dy, batch, out, g, biasOffset);
        } else {
            Kernels.transposedProduct(x, in, dy, out, batch, g, weightOffset);
            Kernels.columnSums(dy, batch, out, g, biasOffset);
        }
        if (dx != null) {
            Kernels.multiplyTransposed(dy, batch, out, store.data(), weightOffset, in, dx, scratch.get());
        }
    }

    /** E.g. {@code Linear[actor.backbone.0: 8 -> 64]}. */
    @Override
    public String toString() {
        return "Linear[" + name + ": " + in + " -> " + out + "]";
    }
}
