package org.recsysrl.seq;

import org.recsysrl.nn.Embedding;
import org.recsysrl.nn.HistoryEncoder;
import org.recsysrl.nn.Kernels;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.Rng;

/**
 * A next-item model over item histories: an item-embedding table, a {@link HistoryEncoder} that
 * turns a history's embeddings into a state per position, and an output layer that scores every
 * item i by {@code s_i = h·o_i + c_i} — a dot product with the item's output vector o_i (the input
 * embedding itself when tied, else a table of its own) plus a per-item bias. With a Q head (offline
 * actor-critic) a second table and bias give {@code Q(h, i) = h·q_i + d_i}.
 *
 * <p>Parameters (one flat {@link ParameterStore}): {@code items.weight [n, d]}, the encoder's
 * ({@code encoder.*}), {@code output.weight [n, d]} if untied, {@code output.bias [n]}, and
 * {@code q_head.weight [n, d]}, {@code q_head.bias [n]} with a Q head.
 *
 * <p>Not thread-safe for training; scoring takes a per-thread {@link Workspace}.
 */
public final class SequenceModel {
    private final SequenceSpec spec;
    private final ParameterStore store;
    private final Embedding items;
    private final Embedding output; // null when tied
    private final int outputBias;
    private final Embedding qItems; // null without a Q head
    private final int qBias;
    private final HistoryEncoder encoder;

    /** Allocates the parameters (zeros until {@link #initialize}). */
    public SequenceModel(SequenceSpec spec) {
        this.spec = spec;
        this.store = new ParameterStore();
        int n = spec.items();
        int d = spec.dim();
        this.items = new Embedding(store, "items", n, d);
        this.encoder = spec.encoder().create(store, "encoder", d, spec.maxLength(), spec.blocks(),
                spec.heads());
        this.output = spec.tied() ? null : new Embedding(store, "output", n, d);
        this.outputBias = store.allocate("output.bias", n);
        if (spec.qHead()) {
            this.qItems = new Embedding(store, "q_head", n, d);
            this.qBias = store.allocate("q_head.bias", n);
        } else {
            this.qItems = null;
            this.qBias = -1;
        }
    }

    /** Item tables N(0, 0.02²)·(√d scaled down), encoder as its own initialiser says, biases 0. */
    public void initialize(Rng rng) {
        double std = 1.0 / Math.sqrt(spec.dim());
        items.initializeNormal(std, rng);
        encoder.initialize(rng);
        if (output != null) {
            output.initializeNormal(std, rng);
        }
        if (qItems != null) {
            qItems.initializeNormal(std, rng);
        }
    }

    /** The architecture. */
    public SequenceSpec spec() {
        return spec;
    }

    /** The parameters. */
    public ParameterStore store() {
        return store;
    }

    /** Catalog size. */
    public int itemCount() {
        return spec.items();
    }

    /** Offset of the output table (item i's output vector at {@code outputOffset() + i·d}). */
    public int outputOffset() {
        return output == null ? items.offset() : output.offset();
    }

    /** Offset of the output biases ({@code n} floats). */
    public int outputBiasOffset() {
        return outputBias;
    }

    /** Offset of the Q table, or -1 without a Q head. */
    public int qOffset() {
        return qItems == null ? -1 : qItems.offset();
    }

    /** Offset of the Q biases, or -1 without a Q head. */
    public int qBiasOffset() {
        return qBias;
    }

    /** A copy of the input item embeddings, [items × dim] row-major: row i is item i's vector. */
    public float[] itemVectors() {
        int from = items.offset();
        return java.util.Arrays.copyOfRange(store.data(), from, from + items.rows() * items.dim());
    }

    /**
     * The encoder's parameters: {@code [encoderOffset(), encoderEnd())} of the store, allocated
     * between the input item table and the output layer.
     */
    int encoderOffset() {
        return items.offset() + spec.items() * spec.dim();
    }

    /** The end (exclusive) of the encoder's parameters; see {@link #encoderOffset()}. */
    int encoderEnd() {
        return output == null ? outputBias : output.offset();
    }

    /** The input item embeddings. */
    Embedding itemEmbedding() {
        return items;
    }

    /**
     * Buffers for batches of up to {@code maxBatch} histories of {@code spec.maxLength()} positions,
     * or training windows of one more (a look-ahead item).
     */
    public final class Workspace {
        final int maxBatch;
        final int[] ids;
        final int[] firstValid;
        final float[] embeddings;
        final float[] states;
        final float[] dStates;
        final float[] dEmbeddings;
        final HistoryEncoder.Workspace encoderWs;
        int batch;
        int length;

        Workspace(int maxBatch) {
            this.maxBatch = maxBatch;
            int rows = maxBatch * windowLength();
            ids = new int[rows];
            firstValid = new int[maxBatch];
            embeddings = new float[rows * spec.dim()];
            states = new float[rows * spec.dim()];
            dStates = new float[rows * spec.dim()];
            dEmbeddings = new float[rows * spec.dim()];
            encoderWs = encoder.newWorkspace(maxBatch, windowLength());
        }

        /** Item id per position of the current batch ({@code [batch·length]}, −1 = padding); fill before encoding. */
        public int[] ids() {
            return ids;
        }

        /** First valid position per history of the current batch. */
        public int[] firstValid() {
            return firstValid;
        }

        /** The states of the last {@link #encode}, {@code [batch·length·d]}. */
        public float[] states() {
            return states;
        }

        /** Where the caller writes the gradient of the loss w.r.t. the states before {@link #backward}. */
        public float[] dStates() {
            return dStates;
        }

        /** The batch size of the last encode. */
        public int batch() {
            return batch;
        }

        /** The length of the last encode. */
        public int length() {
            return length;
        }

        SequenceModel owner() {
            return SequenceModel.this;
        }
    }

    /** A workspace for batches of up to {@code maxBatch} histories. */
    public Workspace newWorkspace(int maxBatch) {
        return new Workspace(maxBatch);
    }

    /**
     * The longest training window: {@code spec.maxLength()} items whose states are trained to
     * predict the next one, plus the look-ahead item (the last target, whose state bootstraps TD).
     */
    public int windowLength() {
        return spec.maxLength() + 1;
    }

    /**
     * Encodes the batch whose ids (left-padded rows of {@code length} ≤ {@code spec.maxLength()})
     * and first valid positions the caller wrote into the workspace, as histories to recommend
     * from: the state at a row's last position is the one a recommendation is scored from.
     * {@code rng} non-null = training (dropout).
     */
    public void encode(Workspace ws, int batch, int length, Rng rng) {
        encode(ws, batch, length, false, rng);
    }

    /**
     * As {@link #encode(Workspace, int, int, Rng)}; with {@code lookahead} the rows are training
     * windows (up to {@link #windowLength()}) whose last item is a look-ahead: the encoder numbers
     * positions so that the state before it sits where a recommendation's state sits.
     */
    public void encode(Workspace ws, int batch, int length, boolean lookahead, Rng rng) {
        int max = lookahead ? windowLength() : spec.maxLength();
        if (ws.owner() != this || batch > ws.maxBatch || length > max || length <= 0) {
            throw new IllegalArgumentException("workspace cannot hold " + batch + " × " + length);
        }
        ws.batch = batch;
        ws.length = length;
        items.forward(ws.ids, batch * length, ws.embeddings);
        encoder.forward(ws.encoderWs, ws.embeddings, ws.firstValid, batch, length, lookahead, ws.states,
                spec.dropout(), rng);
    }

    /**
     * Back-propagates {@code ws.dStates()} through the encoder and the item lookups of the last
     * encode, accumulating into {@code store().grad()}; the rows read are added to {@code touched}
     * (may be null).
     */
    public void backward(Workspace ws, Embedding.RowSet touched) {
        int rows = ws.batch * ws.length;
        encoder.backward(ws.encoderWs, ws.embeddings, ws.firstValid, ws.dStates, ws.dEmbeddings, ws.batch, ws.length);
        items.backward(ws.ids, rows, ws.dEmbeddings, touched);
    }

    /**
     * Writes the output table transposed ({@code [d, n]}) into {@code out}, so that scores are one
     * broadcast product {@code h·Oᵀ} ({@link Kernels#multiply}).
     */
    public void transposedOutput(float[] out) {
        transposedOutput(out, 0, spec.items());
    }

    /**
     * The items {@code [from, to)} of {@link #transposedOutput} (columns {@code from..to} of every
     * row of {@code out}; the rest of {@code out} is left as it is), so that threads can each
     * transpose a range of items.
     */
    public void transposedOutput(float[] out, int from, int to) {
        transpose(store.data(), outputOffset(), spec.items(), spec.dim(), out, from, to);
    }

    /** As {@link #transposedOutput} for the Q table. */
    public void transposedQ(float[] out) {
        transpose(store.data(), qOffset(), spec.items(), spec.dim(), out, 0, spec.items());
    }

    /** Items transposed together: their rows are read while in L1, their columns written a cache line at a time. */
    private static final int TRANSPOSE_BLOCK = 16;

    /**
     * {@code out[j·n + i] = p[off + i·d + j]} for items i in [from, to): blocks of
     * {@link #TRANSPOSE_BLOCK} items at a time (writing one column of the whole table per item
     * strides n floats between writes and misses the cache on nearly every one).
     */
    private static void transpose(float[] p, int off, int n, int d, float[] out, int from, int to) {
        if (from < 0 || to > n || from > to) {
            throw new IllegalArgumentException("items [" + from + ", " + to + ") outside [0, " + n + ")");
        }
        for (int i0 = from; i0 < to; i0 += TRANSPOSE_BLOCK) {
            int i1 = Math.min(to, i0 + TRANSPOSE_BLOCK);
            for (int j = 0; j < d; j++) {
                int column = j * n;
                for (int i = i0; i < i1; i++) {
                    out[column + i] = p[off + i * d + j];
                }
            }
        }
    }

    /**
     * Scores for {@code rows} states: {@code scores[r·n + i] = h_r·o_i + c_i}, given the transposed
     * output table from {@link #transposedOutput}.
     */
    public void score(float[] states, int rows, float[] transposedTable, float[] scores) {
        Kernels.multiply(states, rows, spec.dim(), transposedTable, 0, spec.items(), store.data(), outputBias, scores);
    }

    /** Q values for {@code rows} states, given the transposed Q table from {@link #transposedQ}. */
    public void qValues(float[] states, int rows, float[] transposedQ, float[] out) {
        Kernels.multiply(states, rows, spec.dim(), transposedQ, 0, spec.items(), store.data(), qBias, out);
    }
}
