package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/**
 * Parameter initialisers. They write into {@code layer.store().data()}, which freezes the store
 * layout, so call them after every tensor has been allocated.
 */
public final class Init {

    private Init() {}

    /**
     * PyTorch {@code nn.Linear} default: with {@code bound = 1/sqrt(in)}, every weight entry (row
     * major) and then every bias entry is drawn as {@code rng.uniform(-bound, bound)}. Overwrites the
     * layer's weight and bias; advances {@code rng} by {@code out*in + out} draws.
     */
    public static void pytorchDefault(Linear layer, Rng rng) {
        float[] p = layer.store().data();
        double bound = 1.0 / Math.sqrt(layer.in());
        for (int o = 0; o < layer.out(); o++) {
            for (int i = 0; i < layer.in(); i++) {
                p[layer.weightIndex(o, i)] = (float) rng.uniform(-bound, bound);
            }
        }
        int bOff = layer.biasOffset();
        for (int o = 0; o < layer.out(); o++) {
            p[bOff + o] = (float) rng.uniform(-bound, bound);
        }
    }

    /**
     * Orthogonal weight times {@code gain} (see {@link #orthogonal(float[], int, int, int, double,
     * Rng)}) and bias = 0. Overwrites the layer's weight and bias.
     */
    public static void orthogonal(Linear layer, double gain, Rng rng) {
        float[] p = layer.store().data();
        float[] w = new float[layer.out() * layer.in()];
        orthogonal(w, 0, layer.out(), layer.in(), gain, rng);
        for (int o = 0; o < layer.out(); o++) {
            for (int i = 0; i < layer.in(); i++) {
                p[layer.weightIndex(o, i)] = w[o * layer.in() + i];
            }
        }
        int bOff = layer.biasOffset();
        for (int o = 0; o < layer.out(); o++) {
            p[bOff + o] = 0f;
        }
    }

    /**
     * Fills the row-major {@code rows x cols} matrix at {@code data[off ..]} with a (semi-)orthogonal
     * matrix times {@code gain}, like PyTorch {@code nn.init.orthogonal_}: a Gaussian matrix A is
     * drawn row-major ({@code rows*cols} calls to {@code rng.nextGaussian()}), transposed if
     * {@code rows < cols}, factored A = QR in double (modified Gram–Schmidt with
     * re-orthogonalisation, which yields diag(R) &gt; 0, i.e. the sign fix), and Q (transposed back)
     * is stored. Result: {@code W W^T = gain^2 I} if {@code rows <= cols}, else
     * {@code W^T W = gain^2 I}. Overwrites {@code data[off .. off+rows*cols)}.
     */
    public static void orthogonal(float[] data, int off, int rows, int cols, double gain, Rng rng) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("orthogonal needs positive sizes: " + rows + "x" + cols);
        }
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows; // tall matrix m x k, m >= k
        int k = transpose ? rows : cols;
        // q[c][r]: column c of the tall matrix, contiguous
        double[][] q = new double[k][m];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double val = a[r * cols + c];
                if (transpose) {
                    q[r][c] = val; // tall = A^T: tall[c][r] = A[r][c]; column r
                } else {
                    q[c][r] = val; // tall = A: column c
                }
            }
        }
        for (int j = 0; j < k; j++) {
            double[] qj = q[j];
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < j; i++) {
                    double[] qi = q[i];
                    double dot = 0.0;
                    for (int r = 0; r < m; r++) {
                        dot += qi[r] * qj[r];
                    }
                    for (int r = 0; r < m; r++) {
                        qj[r] -= dot * qi[r];
                    }
                }
            }
            double norm = 0.0;
            for (int r = 0; r < m; r++) {
                norm += qj[r] * qj[r];
            }
            norm = Math.sqrt(norm);
            if (!(norm > 1e-12)) {
                throw new IllegalStateException("orthogonal: degenerate random matrix");
            }
            for (int r = 0; r < m; r++) {
                qj[r] /= norm;
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double val = transpose ? q[r][c] : q[c][r];
                data[off + r * cols + c] = (float) (gain * val);
            }
        }
    }
}
