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
        int r = 0;
        // four rows at a time: their sums are four independent chains (each row's still adds its
        // terms in order, so the bits are those of one row at a time)
        for (; r + 4 <= rows; r += 4) {
            forwardFour(ws, x, y, r * dim, p);
        }
        for (; r < rows; r++) {
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
            normalizeRow(ws, x, y, o, mean, var / dim, p);
        }
    }

    /** Rows o/dim .. o/dim + 3 of {@link #forward}, their mean and variance sums interleaved. */
    private void forwardFour(Workspace ws, float[] x, float[] y, int o, float[] p) {
        int o1 = o + dim;
        int o2 = o1 + dim;
        int o3 = o2 + dim;
        double m0 = 0;
        double m1 = 0;
        double m2 = 0;
        double m3 = 0;
        for (int j = 0; j < dim; j++) {
            m0 += x[o + j];
            m1 += x[o1 + j];
            m2 += x[o2 + j];
            m3 += x[o3 + j];
        }
        m0 /= dim;
        m1 /= dim;
        m2 /= dim;
        m3 /= dim;
        double v0 = 0;
        double v1 = 0;
        double v2 = 0;
        double v3 = 0;
        for (int j = 0; j < dim; j++) {
            double c0 = x[o + j] - m0;
            double c1 = x[o1 + j] - m1;
            double c2 = x[o2 + j] - m2;
            double c3 = x[o3 + j] - m3;
            v0 += c0 * c0;
            v1 += c1 * c1;
            v2 += c2 * c2;
            v3 += c3 * c3;
        }
        normalizeRow(ws, x, y, o, m0, v0 / dim, p);
        normalizeRow(ws, x, y, o1, m1, v1 / dim, p);
        normalizeRow(ws, x, y, o2, m2, v2 / dim, p);
        normalizeRow(ws, x, y, o3, m3, v3 / dim, p);
    }

    /** The row at {@code o} normalised with its mean and variance, into the workspace and y. */
    private void normalizeRow(Workspace ws, float[] x, float[] y, int o, double mean, double var, float[] p) {
        float inv = (float) (1.0 / Math.sqrt(var + eps));
        ws.invStd[o / dim] = inv;
        for (int j = 0; j < dim; j++) {
            float xh = (float) ((x[o + j] - mean) * inv);
            ws.normalized[o + j] = xh;
            y[o + j] = p[gammaOffset + j] * xh + p[betaOffset + j];
        }
    }

    /**
     * Accumulates dγ and dβ into {@code store.grad()} and overwrites {@code dx[0 .. rows·dim)}
     * (which may be {@code dy} itself) with the input gradient.
     */
    public void backward(Workspace ws, float[] dy, float[] dx, int rows) {
        float[] p = store.data();
        float[] g = store.grad();
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            backwardFour(ws, dy, dx, r * dim, p, g);
        }
        for (; r < rows; r++) {
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
            inputGradient(ws, dy, dx, o, meanG / dim, meanGx / dim, p);
        }
    }

    /**
     * Rows o/dim .. o/dim + 3 of {@link #backward} with their sums interleaved: each row's sums, and
     * each entry of dγ and dβ (rows added in order), get the bits of one row at a time.
     */
    private void backwardFour(Workspace ws, float[] dy, float[] dx, int o, float[] p, float[] g) {
        int o1 = o + dim;
        int o2 = o1 + dim;
        int o3 = o2 + dim;
        float[] xn = ws.normalized;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double t0 = 0;
        double t1 = 0;
        double t2 = 0;
        double t3 = 0;
        for (int j = 0; j < dim; j++) {
            float gamma = p[gammaOffset + j];
            float d0 = dy[o + j];
            float d1 = dy[o1 + j];
            float d2 = dy[o2 + j];
            float d3 = dy[o3 + j];
            g[gammaOffset + j] = g[gammaOffset + j] + d0 * xn[o + j] + d1 * xn[o1 + j] + d2 * xn[o2 + j]
                    + d3 * xn[o3 + j];
            g[betaOffset + j] = g[betaOffset + j] + d0 + d1 + d2 + d3;
            double g0 = (double) d0 * gamma;
            double g1 = (double) d1 * gamma;
            double g2 = (double) d2 * gamma;
            double g3 = (double) d3 * gamma;
            s0 += g0;
            s1 += g1;
            s2 += g2;
            s3 += g3;
            t0 += g0 * xn[o + j];
            t1 += g1 * xn[o1 + j];
            t2 += g2 * xn[o2 + j];
            t3 += g3 * xn[o3 + j];
        }
        inputGradient(ws, dy, dx, o, s0 / dim, t0 / dim, p);
        inputGradient(ws, dy, dx, o1, s1 / dim, t1 / dim, p);
        inputGradient(ws, dy, dx, o2, s2 / dim, t2 / dim, p);
        inputGradient(ws, dy, dx, o3, s3 / dim, t3 / dim, p);
    }

    /** dx of the row at {@code o} from its two means (dx may be dy itself). */
    private void inputGradient(Workspace ws, float[] dy, float[] dx, int o, double meanG, double meanGx, float[] p) {
        float inv = ws.invStd[o / dim];
        for (int j = 0; j < dim; j++) {
            double gj = (double) dy[o + j] * p[gammaOffset + j];
            dx[o + j] = (float) ((gj - meanG - ws.normalized[o + j] * meanGx) * inv);
        }
    }
}
