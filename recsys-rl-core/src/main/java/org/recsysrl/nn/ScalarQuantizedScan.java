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
            float[] intercept, float qNorm, int n, int fromBlock, int toBlock, QuantizedSelection selection) {
        for (int b = fromBlock; b < toBlock; b++) {
            int base = b * dim * lanes;
            for (int l = 0; l < lanes; l++) {
                int i = b * lanes + l;
                if (i >= n) {
                    break;
                }
                float acc = 0f;
                for (int j = 0; j < dim; j++) {
                    acc = Math.fma((float) codes[base + j * lanes + l], q[j], acc);
                }
                float s = Math.fma(acc, scale[i], bias[i]);
                float e = Math.fma(qNorm, slope[i], intercept[i]);
                selection.consider(i, s - e, s + e);
            }
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
