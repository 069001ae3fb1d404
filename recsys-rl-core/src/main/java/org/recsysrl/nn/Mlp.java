package org.recsysrl.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Multi-layer perceptron {@code h_0 = x, h_{k+1} = act(h_k W_k^T + b_k)}: Linear, act, Linear,
 * act, ... with the activation after <em>every</em> layer (like the original backbone
 * {@code nn.Sequential}). Layer {@code k} is named {@code prefix + "." + (2*k)} (e.g.
 * {@code "actor.backbone.0"}, {@code "actor.backbone.2"}), so its parameters are
 * {@code prefix.(2k).weight} and {@code prefix.(2k).bias}, matching the PyTorch state-dict keys.
 *
 * <p>The network itself is stateless apart from its parameters; all activations and gradient
 * scratch live in a {@link Workspace} obtained from {@link #newWorkspace(int)}.
 */
public final class Mlp {

    /**
     * Preallocated buffers for one {@link Mlp}: the output of every layer (kept for the backward
     * pass) and two gradient scratch arrays, all sized for up to {@link #capacity()} rows.
     */
    public static final class Workspace {
        private final Mlp owner;
        private final int capacity;
        private final float[][] acts;
        private final float[] scratchA;
        private final float[] scratchB;
        private final float[] identity; // output buffer when there are no layers

        private Workspace(Mlp owner, int capacity) {
            this.owner = owner;
            this.capacity = capacity;
            int n = owner.layers.size();
            this.acts = new float[n][];
            int maxWidth = 1;
            for (int k = 0; k < n; k++) {
                Linear l = owner.layers.get(k);
                acts[k] = new float[capacity * l.out()];
                maxWidth = Math.max(maxWidth, l.out());
            }
            // gradients w.r.t. inputs of layers 1..n-1, i.e. widths of hidden outputs 0..n-2
            int scratch = n > 1 ? capacity * maxWidth : 0;
            this.scratchA = new float[scratch];
            this.scratchB = new float[scratch];
            this.identity = n == 0 ? new float[capacity * owner.inputSize] : null;
        }

        /** Maximum number of rows per forward/backward call. */
        public int capacity() {
            return capacity;
        }

        /** The array holding the network's output after a forward pass on this workspace. */
        public float[] output() {
            return identity != null ? identity : acts[acts.length - 1];
        }

        /**
         * Copies every layer output of {@code rows} rows of {@code source} (a workspace of the same
         * network), from {@code sourceRow}, into this workspace from {@code targetRow}: afterwards a
         * {@link Mlp#backward} on this workspace sees those rows as if its own forward pass had
         * computed them.
         */
        public void copyRows(Workspace source, int sourceRow, int targetRow, int rows) {
            if (source.owner != owner) {
                throw new IllegalArgumentException("workspace belongs to a different Mlp");
            }
            if (sourceRow < 0 || sourceRow + rows > source.capacity || targetRow < 0 || targetRow + rows > capacity) {
                throw new IllegalArgumentException("rows outside the workspaces' capacity");
            }
            for (int k = 0; k < acts.length; k++) {
                int width = owner.layers.get(k).out();
                System.arraycopy(source.acts[k], sourceRow * width, acts[k], targetRow * width, rows * width);
            }
            if (identity != null) {
                int width = owner.inputSize;
                System.arraycopy(source.identity, sourceRow * width, identity, targetRow * width, rows * width);
            }
        }
    }

    private final int inputSize;
    private final int outputSize;
    private final Activation activation;
    private final List<Linear> layers;

    /**
     * Allocates one {@link Linear} per entry of {@code hiddenSizes} in {@code store} (which must
     * not be frozen yet). With an empty {@code hiddenSizes} the network is the identity.
     *
     * @param prefix name prefix; if empty, layers are named {@code "0"}, {@code "2"}, ...
     * @throws IllegalArgumentException if a size is not positive
     */
    public Mlp(ParameterStore store, String prefix, int inputSize, int[] hiddenSizes, Activation activation) {
        if (inputSize <= 0) {
            throw new IllegalArgumentException("Mlp '" + prefix + "' needs a positive input size: " + inputSize);
        }
        if (activation == null) {
            throw new IllegalArgumentException("Mlp '" + prefix + "' needs an activation");
        }
        this.inputSize = inputSize;
        this.activation = activation;
        List<Linear> ls = new ArrayList<>(hiddenSizes.length);
        int width = inputSize;
        for (int k = 0; k < hiddenSizes.length; k++) {
            String name = prefix.isEmpty() ? Integer.toString(2 * k) : prefix + "." + (2 * k);
            Linear l = new Linear(store, name, width, hiddenSizes[k]);
            ls.add(l);
            width = hiddenSizes[k];
        }
        this.layers = Collections.unmodifiableList(ls);
        this.outputSize = width;
    }

    /** Width of the input rows. */
    public int inputSize() {
        return inputSize;
    }

    /** Width of the output rows: last hidden size, or {@link #inputSize()} if there are no layers. */
    public int outputSize() {
        return outputSize;
    }

    /** The layers in order (unmodifiable). */
    public List<Linear> layers() {
        return layers;
    }

    /** The activation applied after every layer. */
    public Activation activation() {
        return activation;
    }

    /** Allocates buffers for batches of up to {@code capacity} rows (activations of every layer, gradient scratch). */
    public Workspace newWorkspace(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("workspace capacity must be positive: " + capacity);
        }
        return new Workspace(this, capacity);
    }

    /**
     * Forward pass {@code h_{k+1} = act(h_k W_k^T + b_k)} for {@code batch} rows of {@code x}
     * ({@code [batch*inputSize]}). Stores every layer output in {@code ws} and returns the workspace
     * array holding the output {@code [batch*outputSize]} (valid until the next forward on
     * {@code ws}). {@code x} is not modified and must stay unchanged until {@link #backward}.
     */
    public float[] forward(Workspace ws, float[] x, int batch) {
        check(ws, batch);
        int n = layers.size();
        if (n == 0) {
            System.arraycopy(x, 0, ws.identity, 0, batch * inputSize);
            return ws.identity;
        }
        float[] cur = x;
        for (int k = 0; k < n; k++) {
            Linear l = layers.get(k);
            float[] y = ws.acts[k];
            l.forward(cur, y, batch);
            activation.forwardInPlace(y, batch * l.out());
            cur = y;
        }
        return cur;
    }

    /**
     * Backward pass after {@link #forward} on the same {@code ws}, {@code x} and {@code batch}:
     * given {@code dOut = dL/dOutput [batch*outputSize]} (overwritten with scratch values),
     * accumulates every layer's dL/dW and dL/db into {@code store.grad()} and, if
     * {@code dx != null}, overwrites {@code dx[0 .. batch*inputSize)} with dL/dx.
     */
    public void backward(Workspace ws, float[] x, float[] dOut, float[] dx, int batch) {
        backward(ws, x, dOut, dx, batch, true);
    }

    /**
     * As {@link #backward(Workspace, float[], float[], float[], int)}; with {@code accumulate =
     * false} every layer's gradients are overwritten instead of added to.
     */
    public void backward(Workspace ws, float[] x, float[] dOut, float[] dx, int batch, boolean accumulate) {
        check(ws, batch);
        int n = layers.size();
        if (n == 0) {
            if (dx != null) {
                System.arraycopy(dOut, 0, dx, 0, batch * inputSize);
            }
            return;
        }
        float[] g = dOut;
        boolean useA = true;
        for (int k = n - 1; k >= 0; k--) {
            Linear l = layers.get(k);
            activation.backwardInPlace(ws.acts[k], g, batch * l.out());
            float[] input = k == 0 ? x : ws.acts[k - 1];
            float[] gIn;
            if (k == 0) {
                gIn = dx;
            } else {
                gIn = useA ? ws.scratchA : ws.scratchB;
                useA = !useA;
            }
            l.backward(input, g, gIn, batch, accumulate);
            g = gIn;
        }
    }

    private void check(Workspace ws, int batch) {
        if (ws.owner != this) {
            throw new IllegalArgumentException("workspace belongs to a different Mlp");
        }
        if (batch < 0 || batch > ws.capacity) {
            throw new IllegalArgumentException("batch " + batch + " outside [0, " + ws.capacity + "]");
        }
    }
}
