package org.recsysrl.nn;

import java.util.Arrays;
import org.recsysrl.util.Rng;

/**
 * A single-layer GRU over batches of left-padded sequences, with PyTorch's {@code nn.GRU}
 * equations (gate order r, z, n):
 *
 * <pre>
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}
 * </pre>
 *
 * <p>Layout: a batch of B sequences of length L is row-major with sequence b's position t in row
 * {@code b*L + t} (inputs {@code [B*L*in]}, states {@code [B*L*hidden]}). Sequence b starts at
 * {@code firstValid[b]}: positions before it are padding, their output is 0, and the state before
 * the first valid position is 0, so padding affects nothing.
 *
 * <p>Parameters: two {@link Linear} layers in the store, {@code name + ".input"} ({@code in ->
 * 3*hidden}, i.e. PyTorch's {@code weight_ih}/{@code bias_ih} with rows r, z, n) and
 * {@code name + ".hidden"} ({@code hidden -> 3*hidden}, {@code weight_hh}/{@code bias_hh}).
 * The input projection of all B·L rows is one batched product; the recurrence runs one product
 * of B rows per step.
 *
 * <p>All activations and scratch live in a {@link Workspace}; forward and backward allocate
 * nothing. Every row's result depends only on that row's sequence (the kernels treat rows alike
 * and the gate nonlinearities use {@link StrictMath}), so a sequence gives the same bits alone or
 * in any batch. Not thread-safe (the layers' scratch and the workspace belong to one thread).
 */
public final class Gru {

    /**
     * Buffers for one {@link Gru}, sized for up to {@link #maxBatch()} sequences of length up to
     * {@link #maxLength()}: the gate activations and states of the last forward (kept for
     * backward) and the gradient scratch.
     */
    public static final class Workspace {
        private final Gru owner;
        private final int maxBatch;
        private final int maxLength;
        /** [B*L*3H]: the input projection, then (per row, at its step) the activated gates r, z, n. */
        private final float[] gates;
        /** [B*L*H]: W_hn h_{t-1} + b_hn (the hidden part of n before r multiplies it). */
        private final float[] hn;
        /** [B*L*H]: the states h_t (0 at padding), a copy of the forward output. */
        private final float[] h;
        /** [B*L*3H]: dLoss/d(input projection), the upstream gradient of the batched input backward. */
        private final float[] dGi;
        /** [B*H]: h_{t-1} of the rows of one step (the hidden layer's input). */
        private final float[] hPrev;
        /** [B*3H]: the hidden projection of one step (forward), its gradient (backward). */
        private final float[] gh;
        /** [B*H]: dLoss/dh_{t-1} through the hidden projection of one step. */
        private final float[] dhPrev;
        /** [B*H]: dLoss/dh_t coming from later steps. */
        private final float[] carry;
        /** firstValid, batch and length of the last forward (-1: none yet). */
        private final int[] firstValid;
        private int batch = -1;
        private int length = -1;

        private Workspace(Gru owner, int maxBatch, int maxLength) {
            this.owner = owner;
            this.maxBatch = maxBatch;
            this.maxLength = maxLength;
            int rows = Math.multiplyExact(maxBatch, maxLength);
            int hidden = owner.hidden;
            this.gates = new float[Math.multiplyExact(rows, 3 * hidden)];
            this.hn = new float[Math.multiplyExact(rows, hidden)];
            this.h = new float[rows * hidden];
            this.dGi = new float[rows * 3 * hidden];
            this.hPrev = new float[maxBatch * hidden];
            this.gh = new float[maxBatch * 3 * hidden];
            this.dhPrev = new float[maxBatch * hidden];
            this.carry = new float[maxBatch * hidden];
            this.firstValid = new int[maxBatch];
        }

        /** Maximum number of sequences per call. */
        public int maxBatch() {
            return maxBatch;
        }

        /** Maximum sequence length per call. */
        public int maxLength() {
            return maxLength;
        }
    }

    private final int in;
    private final int hidden;
    private final Linear input;
    private final Linear recurrent;

    /**
     * Allocates {@code name + ".input"} = Linear(in, 3*hidden) (gate order r, z, n as in PyTorch's
     * {@code weight_ih}) and {@code name + ".hidden"} = Linear(hidden, 3*hidden) in {@code store}
     * (which must not be frozen yet). Parameters are zero until {@link #initialize}.
     *
     * @throws IllegalArgumentException if a size is not positive or a name is taken
     */
    public Gru(ParameterStore store, String name, int in, int hidden) {
        if (in <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("Gru '" + name + "' needs positive sizes: in=" + in + ", hidden=" + hidden);
        }
        this.in = in;
        this.hidden = hidden;
        this.input = new Linear(store, name + ".input", in, 3 * hidden);
        this.recurrent = new Linear(store, name + ".hidden", hidden, 3 * hidden);
    }

    /** Input width. */
    public int in() {
        return in;
    }

    /** State width. */
    public int hidden() {
        return hidden;
    }

    /** The input projection {@code in -> 3*hidden} (rows r, z, n of W_ih, b_ih). */
    public Linear inputLayer() {
        return input;
    }

    /** The hidden projection {@code hidden -> 3*hidden} (rows r, z, n of W_hh, b_hh). */
    public Linear hiddenLayer() {
        return recurrent;
    }

    /**
     * Initialises all weights and biases uniform in ±1/sqrt(hidden) (PyTorch's GRU default),
     * drawing in PyTorch's parameter order: W_ih row by row ({@code [3H, in]}), W_hh row by row,
     * b_ih, b_hh. Overwrites both layers' parameters (freezes the store layout); advances
     * {@code rng} by {@code 3H·in + 3H·H + 6H} draws.
     */
    public void initialize(Rng rng) {
        double bound = 1.0 / Math.sqrt(hidden);
        float[] p = input.store().data();
        for (Linear l : new Linear[] {input, recurrent}) {
            for (int o = 0; o < l.out(); o++) {
                for (int i = 0; i < l.in(); i++) {
                    p[l.weightIndex(o, i)] = (float) rng.uniform(-bound, bound);
                }
            }
        }
        for (Linear l : new Linear[] {input, recurrent}) {
            for (int o = 0; o < l.out(); o++) {
                p[l.biasOffset() + o] = (float) rng.uniform(-bound, bound);
            }
        }
    }

    /**
     * Buffers for batches of up to {@code maxBatch} sequences of length up to {@code maxLength}
     * (gate activations kept for backward): about {@code maxBatch·maxLength·8·hidden} floats.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public Workspace newWorkspace(int maxBatch, int maxLength) {
        if (maxBatch <= 0 || maxLength <= 0) {
            throw new IllegalArgumentException(
                    "workspace sizes must be positive: maxBatch=" + maxBatch + ", maxLength=" + maxLength);
        }
        return new Workspace(this, maxBatch, maxLength);
    }

    /**
     * Runs the GRU over {@code batch} sequences of {@code length} positions. {@code x [B*L*in]}
     * holds sequence b's input at position t in row {@code b*L+t}; {@code firstValid[b]} (in
     * {@code [0, length]}; {@code length} means an all-padding sequence) is the first non-padding
     * position of sequence b. Overwrites {@code hOut[0 .. B*L*hidden)} with every h_t (exactly 0
     * at padding positions; padding inputs are never read) and keeps the activations in
     * {@code ws} for {@link #backward}. {@code x} and {@code firstValid} are not modified.
     *
     * @throws IllegalArgumentException if the workspace belongs to another Gru, batch or length
     *     does not fit it, an array is too short, or a firstValid is outside [0, length]
     */
    public void forward(Workspace ws, float[] x, int[] firstValid, int batch, int length, float[] hOut) {
        check(ws, firstValid, batch, length);
        int rows = batch * length;
        checkLength("x", x, rows * in);
        checkLength("hOut", hOut, rows * hidden);
        ws.batch = -1; // invalid until this pass completes
        System.arraycopy(firstValid, 0, ws.firstValid, 0, batch);
        int h3 = 3 * hidden;
        float[] gates = ws.gates;
        float[] hn = ws.hn;
        float[] hs = ws.h;
        if (rows > 0) {
            input.forward(x, gates, rows); // gates holds W_i x + b_i for every row
        }
        for (int t = 0; t < length; t++) {
            boolean active = false;
            for (int b = 0; b < batch; b++) {
                int fv = firstValid[b];
                active |= t >= fv;
                int dst = b * hidden;
                if (t > fv) {
                    System.arraycopy(hs, (b * length + t - 1) * hidden, ws.hPrev, dst, hidden);
                } else {
                    Arrays.fill(ws.hPrev, dst, dst + hidden, 0f);
                }
            }
            if (!active) {
                for (int b = 0; b < batch; b++) {
                    int row = b * length + t;
                    Arrays.fill(hs, row * hidden, (row + 1) * hidden, 0f);
                }
                continue;
            }
            recurrent.forward(ws.hPrev, ws.gh, batch);
            for (int b = 0; b < batch; b++) {
                int row = b * length + t;
                int hOff = row * hidden;
                if (t < firstValid[b]) {
                    Arrays.fill(hs, hOff, hOff + hidden, 0f);
                    continue;
                }
                int gOff = row * h3;
                int ghOff = b * h3;
                int pOff = b * hidden;
                for (int j = 0; j < hidden; j++) {
                    float r = sigmoid(gates[gOff + j] + ws.gh[ghOff + j]);
                    float z = sigmoid(gates[gOff + hidden + j] + ws.gh[ghOff + hidden + j]);
                    float hnj = ws.gh[ghOff + 2 * hidden + j];
                    float n = (float) StrictMath.tanh(gates[gOff + 2 * hidden + j] + r * hnj);
                    gates[gOff + j] = r;
                    gates[gOff + hidden + j] = z;
                    gates[gOff + 2 * hidden + j] = n;
                    hn[hOff + j] = hnj;
                    hs[hOff + j] = (1f - z) * n + z * ws.hPrev[pOff + j];
                }
            }
        }
        System.arraycopy(hs, 0, hOut, 0, rows * hidden);
        ws.batch = batch;
        ws.length = length;
    }

    /**
     * Backpropagation through time after {@link #forward} on the same {@code ws}, {@code x},
     * {@code firstValid}, {@code batch} and {@code length}, for upstream gradients
     * {@code dh [B*L*hidden]} = dLoss/dh_t of every output (rows at padding positions are not
     * read). Accumulates (adds) dLoss/dW and dLoss/db of both layers into {@code store.grad()}; if
     * {@code dx != null} overwrites {@code dx[0 .. B*L*in)} with dLoss/dx (exactly 0 at padding
     * positions). {@code dh}, {@code x} and {@code firstValid} are not modified; the activations
     * in {@code ws} are kept, so backward may be repeated.
     *
     * @throws IllegalArgumentException as {@link #forward}, or if the last forward on {@code ws}
     *     had another batch, length or firstValid
     */
    public void backward(Workspace ws, float[] x, int[] firstValid, float[] dh, float[] dx, int batch, int length) {
        check(ws, firstValid, batch, length);
        if (ws.batch != batch || ws.length != length) {
            throw new IllegalArgumentException("backward(batch=" + batch + ", length=" + length
                    + ") does not match the last forward on this workspace (batch=" + ws.batch + ", length="
                    + ws.length + ")");
        }
        for (int b = 0; b < batch; b++) {
            if (firstValid[b] != ws.firstValid[b]) {
                throw new IllegalArgumentException("firstValid[" + b + "] = " + firstValid[b]
                        + " differs from the last forward's " + ws.firstValid[b]);
            }
        }
        int rows = batch * length;
        checkLength("x", x, rows * in);
        checkLength("dh", dh, rows * hidden);
        if (dx != null) {
            checkLength("dx", dx, rows * in);
        }
        if (rows == 0) {
            return;
        }
        int h3 = 3 * hidden;
        float[] gates = ws.gates;
        float[] hs = ws.h;
        float[] dGi = ws.dGi;
        float[] dGh = ws.gh;
        float[] carry = ws.carry;
        Arrays.fill(carry, 0, batch * hidden, 0f);
        for (int t = length - 1; t >= 0; t--) {
            boolean active = false;
            boolean hasPrev = false;
            for (int b = 0; b < batch; b++) {
                int row = b * length + t;
                int fv = firstValid[b];
                int gOff = row * h3;
                int ghOff = b * h3;
                int pOff = b * hidden;
                if (t < fv) {
                    Arrays.fill(dGi, gOff, gOff + h3, 0f);
                    Arrays.fill(dGh, ghOff, ghOff + h3, 0f);
                    Arrays.fill(ws.hPrev, pOff, pOff + hidden, 0f);
                    continue;
                }
                active = true;
                boolean prev = t > fv;
                hasPrev |= prev;
                if (prev) {
                    System.arraycopy(hs, (row - 1) * hidden, ws.hPrev, pOff, hidden);
                } else {
                    Arrays.fill(ws.hPrev, pOff, pOff + hidden, 0f);
                }
                int hOff = row * hidden;
                for (int j = 0; j < hidden; j++) {
                    float r = gates[gOff + j];
                    float z = gates[gOff + hidden + j];
                    float n = gates[gOff + 2 * hidden + j];
                    float hp = ws.hPrev[pOff + j];
                    float g = dh[hOff + j] + carry[pOff + j];
                    float dnPre = g * (1f - z) * (1f - n * n);
                    float dzPre = g * (hp - n) * z * (1f - z);
                    float drPre = dnPre * ws.hn[hOff + j] * r * (1f - r);
                    dGi[gOff + j] = drPre;
                    dGi[gOff + hidden + j] = dzPre;
                    dGi[gOff + 2 * hidden + j] = dnPre;
                    dGh[ghOff + j] = drPre;
                    dGh[ghOff + hidden + j] = dzPre;
                    dGh[ghOff + 2 * hidden + j] = dnPre * r;
                    carry[pOff + j] = g * z; // the direct path h_{t-1} -> h_t
                }
            }
            if (!active) {
                continue;
            }
            // rows without a previous state have hPrev = 0: they add only to the hidden bias gradient
            recurrent.backward(ws.hPrev, dGh, hasPrev ? ws.dhPrev : null, batch);
            if (hasPrev) {
                for (int b = 0; b < batch; b++) {
                    if (t > firstValid[b]) {
                        int pOff = b * hidden;
                        for (int j = 0; j < hidden; j++) {
                            carry[pOff + j] += ws.dhPrev[pOff + j];
                        }
                    }
                }
            }
        }
        input.backward(x, dGi, dx, rows);
        if (dx != null) {
            for (int b = 0; b < batch; b++) {
                int start = b * length * in;
                Arrays.fill(dx, start, start + Math.min(firstValid[b], length) * in, 0f);
            }
        }
    }

    private static float sigmoid(float a) {
        return (float) (1.0 / (1.0 + StrictMath.exp(-(double) a)));
    }

    private void check(Workspace ws, int[] firstValid, int batch, int length) {
        if (ws.owner != this) {
            throw new IllegalArgumentException("workspace belongs to a different Gru");
        }
        if (batch < 0 || batch > ws.maxBatch) {
            throw new IllegalArgumentException("batch " + batch + " outside [0, " + ws.maxBatch + "]");
        }
        if (length < 0 || length > ws.maxLength) {
            throw new IllegalArgumentException("length " + length + " outside [0, " + ws.maxLength + "]");
        }
        if (firstValid.length < batch) {
            throw new IllegalArgumentException("firstValid has " + firstValid.length + " entries, batch is " + batch);
        }
        for (int b = 0; b < batch; b++) {
            if (firstValid[b] < 0 || firstValid[b] > length) {
                throw new IllegalArgumentException(
                        "firstValid[" + b + "] = " + firstValid[b] + " outside [0, " + length + "]");
            }
        }
    }

    private static void checkLength(String what, float[] a, int needed) {
        if (a.length < needed) {
            throw new IllegalArgumentException(what + " has " + a.length + " floats, needs " + needed);
        }
    }

    /** E.g. {@code Gru[enc: 8 -> 16]}. */
    @Override
    public String toString() {
        String n = input.name();
        return "Gru[" + n.substring(0, n.length() - ".input".length()) + ": " + in + " -> " + hidden + "]";
    }
}
