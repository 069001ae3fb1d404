package org.recsysrl.nn;

/** {@link QuantizedScan} in plain loops; the reference for {@link VectorQuantizedScan}. */
final class ScalarQuantizedScan implements QuantizedScan {
    private final int lanes;

    /** A scan over tables laid out in blocks of {@code lanes} items. */
    ScalarQuantizedScan(int lanes) {
        this.lanes = lanes;
    }

    @Override
    public int lanes() {
        return lanes;
    }

    @Override
    public void scan(float[] q, int dim, byte[] codes, float[] scale, float[] bias, float[] slope,
            float[] intercept, float qNorm, int fromBlock, int toBlock, float[] approx, float[] low) {
        for (int b = fromBlock; b < toBlock; b++) {
            int base = b * dim * lanes;
            for (int l = 0; l < lanes; l++) {
                float acc = 0f;
                for (int j = 0; j < dim; j++) {
                    acc = Math.fma((float) codes[base + j * lanes + l], q[j], acc);
                }
                int i = b * lanes + l;
                float s = Math.fma(acc, scale[i], bias[i]);
                approx[i] = s;
                low[i] = s - Math.fma(qNorm, slope[i], intercept[i]);
            }
        }
    }

    @Override
    public int candidates(float[] approx, float[] slope, float[] intercept, float qNorm, float theta, int n,
            int[] out, int count) {
        for (int i = 0; i < n; i++) {
            float s = approx[i];
            if (s > Float.NEGATIVE_INFINITY && s + Math.fma(qNorm, slope[i], intercept[i]) >= theta) {
                out[count++] = i;
            }
        }
        return count;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
