package org.recsysrl.api;

import java.util.Objects;
import java.util.function.IntPredicate;
import org.recsysrl.nn.QuantizedTopK;

/**
 * An exact {@link ItemIndex} over a model's {@link LogitVectors}: an int8 copy of the item rows
 * ({@link QuantizedTopK}: one byte per component and a scale per row, a quarter of the float
 * table's bytes) is scanned for approximate logits with a proven error bound per item, and only
 * the items that could still be in the top k (usually a few dozen) are scored again by
 * {@link LogitVectors#logit}. Its answer is the top k by that logit, ties to the item first in the
 * data, to the bit: what scoring every item's logit and sorting would give, the excluded items
 * left out. What {@code serve --index int8} builds.
 *
 * <p>A row's bias component ({@link LogitVectors#lastIsBias()}) is kept apart from the quantised
 * direction, exactly. Memory: one byte per component and four floats per item beside the vectors,
 * which it keeps by reference. Safe for concurrent searches (each thread gets its own buffers).
 */
public final class Int8ItemIndex implements ItemIndex {
    private final LogitVectors vectors;
    private final QuantizedTopK table;
    private final QuantizedTopK.ItemScore logits;
    private final ThreadLocal<Buffers> buffers;

    private record Buffers(QuantizedTopK.Workspace workspace, float[] scores) {
    }

    private Int8ItemIndex(LogitVectors vectors, QuantizedTopK table) {
        this.vectors = vectors;
        this.table = table;
        this.logits = vectors::logit;
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(table.newWorkspace(), new float[16]));
    }

    /**
     * The index over {@code vectors}, or null when a component is not finite or a row so large
     * that a logit could overflow (such a model is answered by scoring every item).
     */
    public static Int8ItemIndex of(LogitVectors vectors) {
        Objects.requireNonNull(vectors, "vectors");
        int width = vectors.dimension();
        float[] rows = vectors.rows();
        QuantizedTopK table;
        if (vectors.lastIsBias() && width > 1) {
            float[] bias = new float[vectors.items()];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = rows[i * width + width - 1];
            }
            table = QuantizedTopK.of(rows, 0, vectors.items(), width - 1, width, bias, 0);
        } else {
            table = QuantizedTopK.of(rows, 0, vectors.items(), width, width, null, 0);
        }
        return table == null ? null : new Int8ItemIndex(vectors, table);
    }

    /**
     * The exact top {@code count} by {@link LogitVectors#logit} among the items {@code allowed}
     * accepts, best first (ties to the lower index); 0 when the query is so large that the bound
     * could overflow (the caller then scores every item).
     */
    @Override
    public int search(float[] query, int count, IntPredicate allowed, int[] out) {
        Buffers b = buffers.get();
        float[] scores = b.scores();
        if (scores.length < count) {
            scores = new float[count];
            buffers.set(new Buffers(b.workspace(), scores));
        }
        int found = table.topK(query, count, allowed, logits, b.workspace(), out, scores);
        return Math.max(found, 0);
    }

    /** How many items the calling thread's last search scored exactly (those that could be in the top k). */
    public int lastCandidates() {
        return buffers.get().workspace().lastCandidates();
    }

    /** The scan in use ({@code "vector-512"}, {@code "scalar"}, …). */
    public String backend() {
        return table.backend();
    }

    /** The vectors this index answers for. */
    public LogitVectors vectors() {
        return vectors;
    }
}
