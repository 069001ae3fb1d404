package org.recsysrl.nn;

/**
 * Layer normalisation over the last dimension (Ba et al. 2016): for each row x of width d,
 * {@code y = γ ⊙ (x − μ) / sqrt(σ² + ε) + β} with μ and σ² the row's mean and (biased) variance.
 * Allocates {@code name + ".weight"} (γ, initialised to 1 by {@link #initialize}) and
 * {@code name + ".bias"} (β, 0), PyTorch's names.
 *
 * <p>Backward, with x̂ the normalised row and g = dy ⊙ γ:
 * {@code dx = (g − mean(g) − x̂ · mean(g ⊙ x̂)) / sqrt(σ² + ε)}, {@code dγ += Σ_rows dy ⊙ x̂},
 * {@code dβ += Σ_rows dy}. Statistics are computed in double.
 */
public final class LayerNorm {
    private final ParameterStore store;
    private final int dim;
    private final int gammaOffset;
    private final int betaOffset;
    private final double eps;

    /** Allocates γ and β of width {@code dim}; ε = 1e-5 (PyTorch's default). */
    public LayerNorm(ParameterStore store, String name, int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("LayerNorm '" + name + "' needs a positive width");
        }
        this.store = store;
        this.dim = dim;
        this.gammaOffset = store.allocate(name + ".weight", dim);
        this.betaOffset = store.allocate(name + ".bias", dim);
        this.eps = 1e-5;
    }

    /** Width of a row. */
    public int dim() {
        return dim;
    }

    /** Sets γ = 1 and β = 0. */
    public void initialize() {
        float[] p = store.data();
        java.util.Arrays.fill(p, gammaOffset, gammaOffset + dim, 1f);
        java.util.Arrays.fill(p, betaOffset, betaOffset + dim, 0f);
    }

    /** Per-row statistics kept for the backward pass. */
    public static final class Workspace {
        final float[] normalized;
        final float[] invStd;
        final int capacity;

        Workspace(int rows, int dim) {
            this.capacity = rows;
            this.normalized = new float[rows * dim];
            this.invStd = new float[rows];
        }
    }

    /** Buffers for up to {@code rows} rows. */
    public Workspace newWorkspace(int rows) {
        return new Workspace(rows, dim);
    }

    /** Normalises {@code rows} rows of {@code x} into {@code y} (which may be x itself). */
    public void forward(Workspace ws, float[] x, float[] y, int rows) {
        if (rows > ws.capacity) {
            throw new IllegalArgumentException("LayerNorm workspace holds " + ws.capacity + " rows, not " + rows);
        }
        float[] p = store.data();
        for (int r = 0; r < rows; r++) {
            int o = r * dim;
            double mean = 0;
            for (int j = 0; j < dim; j++) {
                mean += x[o + j];
            }
            mean /= dim;
            double var = 0;
            for (int j = 0; j < dim; j++) {
                double c = x[o + j] - mean;
                var += c * c;
            }
            var /= dim;
            float inv = (float) (1.0 / Math.sqrt(var + eps));
            ws.invStd[r] = inv;
            for (int j = 0; j < dim; j++) {
                float xh = (float) ((x[o + j] - mean) * inv);
                ws.normalized[o + j] = xh;
                y[o + j] = p[gammaOffset + j] * xh + p[betaOffset + j];
            }
        }
    }

    /**
     * Accumulates dγ and dβ into {@code store.grad()} and overwrites {@code dx[0 .. rows·dim)}
     * (which may be {@code dy} itself) with the input gradient.
     */
    public void backward(Workspace ws, float[] dy, float[] dx, int rows) {
        float[] p = store.data();
        float[] g = store.grad();
        for (int r = 0; r < rows; r++) {
            int o = r * dim;
            double meanG = 0;
            double meanGx = 0;
            for (int j = 0; j < dim; j++) {
                float d = dy[o + j];
                float xh = ws.normalized[o + j];
                g[gammaOffset + j] += d * xh;
                g[betaOffset + j] += d;
                double gj = (double) d * p[gammaOffset + j];
                meanG += gj;
                meanGx += gj * xh;
            }
            meanG /= dim;
            meanGx /= dim;
            float inv = ws.invStd[r];
            for (int j = 0; j < dim; j++) {
                double gj = (double) dy[o + j] * p[gammaOffset + j];
                dx[o + j] = (float) ((gj - meanG - ws.normalized[o + j] * meanGx) * inv);
            }
        }
    }
}
