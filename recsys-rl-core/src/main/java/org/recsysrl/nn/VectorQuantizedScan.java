package org.recsysrl.nn;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link QuantizedScan} on the Vector API: one lane per item of a block, the bytes of one
 * dimension widened to floats and fused-multiply-added onto the block's accumulator. Needs at
 * least 8 float lanes (a byte vector is at least 64 bits); {@link QuantizedTopK} takes the plain
 * loops below that.
 */
final class VectorQuantizedScan implements QuantizedScan {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));

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
            float[] intercept, float qNorm, int fromBlock, int toBlock, float[] approx, float[] low) {
        FloatVector norm = FloatVector.broadcast(S, qNorm);
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
            s.intoArray(approx, i);
            FloatVector e = norm.fma(FloatVector.fromArray(S, slope, i), FloatVector.fromArray(S, intercept, i));
            s.sub(e).intoArray(low, i);
        }
    }

    @Override
    public int candidates(float[] approx, float[] slope, float[] intercept, float qNorm, float theta, int n,
            int[] out, int count) {
        FloatVector norm = FloatVector.broadcast(S, qNorm);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector s = FloatVector.fromArray(S, approx, i);
            FloatVector high = s.add(norm.fma(FloatVector.fromArray(S, slope, i), FloatVector.fromArray(S, intercept, i)));
            if (high.compare(VectorOperators.GE, theta).anyTrue()) {
                // the lanes again in scalar code: the same operations, so the same verdicts
                for (int j = i; j < i + L; j++) {
                    float a = approx[j];
                    if (a > Float.NEGATIVE_INFINITY && a + Math.fma(qNorm, slope[j], intercept[j]) >= theta) {
                        out[count++] = j;
                    }
                }
            }
        }
        for (; i < n; i++) {
            float a = approx[i];
            if (a > Float.NEGATIVE_INFINITY && a + Math.fma(qNorm, slope[i], intercept[i]) >= theta) {
                out[count++] = i;
            }
        }
        return count;
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }
}
