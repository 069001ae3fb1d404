package org.recsysrl.nn;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link QuantizedScan} on the Vector API: one lane per item of a block, the bytes of one
 * dimension widened to floats and fused-multiply-added onto the block's accumulator; a block
 * whose upper bounds all fall below the running θ is done with one comparison, the others are
 * offered lane by lane. Needs at least 8 float lanes (a byte vector is at least 64 bits);
 * {@link QuantizedTopK} takes the plain loops below that.
 */
final class VectorQuantizedScan implements QuantizedScan {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[2 * L]);

    /** Whether the preferred vector shape is wide enough (at least 8 floats). */
    static boolean usable() {
        return L >= 8 && B.length() == L;
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public void scan(float[] q, int dim, byte[] codes, float[] scale, float[] bias, float[] slope,
            float[] intercept, float qNorm, int n, int fromBlock, int toBlock, QuantizedSelection selection) {
        float[] lanes = LANES.get();
        FloatVector norm = FloatVector.broadcast(S, qNorm);
        float theta = selection.theta();
        for (int b = fromBlock; b < toBlock; b++) {
            int base = b * dim * L;
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0; j < dim; j++) {
                FloatVector code = (FloatVector) ByteVector.fromArray(B, codes, base + j * L)
                        .convertShape(VectorOperators.B2F, S, 0);
                acc = code.fma(FloatVector.broadcast(S, q[j]), acc);
            }
            int i = b * L;
            FloatVector s = acc.fma(FloatVector.fromArray(S, scale, i), FloatVector.fromArray(S, bias, i));
            FloatVector e = norm.fma(FloatVector.fromArray(S, slope, i), FloatVector.fromArray(S, intercept, i));
            if (s.add(e).compare(VectorOperators.GE, theta).anyTrue()) {
                s.intoArray(lanes, 0);
                e.intoArray(lanes, L);
                // lane by lane in index order, with the scalar scan's operations: the same offers
                int end = Math.min(L, n - i);
                for (int l = 0; l < end; l++) {
                    selection.consider(i + l, lanes[l] - lanes[L + l], lanes[l] + lanes[L + l]);
                }
                theta = selection.theta();
            }
        }
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }
}
