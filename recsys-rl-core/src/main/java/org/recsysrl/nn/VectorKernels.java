package org.recsysrl.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels on the JDK's incubating Vector API ({@code --add-modules jdk.incubator.vector}).
 *
 * <p>The matrix products live in {@link VectorProducts} (register-blocked 4 × 4 vectors); this
 * class picks the kernel for a shape and falls back to the plain loops when a row is shorter than
 * one vector. The softmax computes exp once per logit with a vectorised exponential and fuses
 * log-probabilities, probabilities and entropy.
 *
 * <p>Rules learned the hard way (each cost 5–10× when broken, because C2 then falls back to boxed,
 * non-intrinsic vector code): use ONE vector shape in the whole program (loading a second
 * {@code FloatVector} shape, e.g. 256-bit next to the preferred 512-bit, defeats the intrinsics);
 * keep each hot loop nest in a small method of its own; never pass vectors to helpers the JIT may
 * decline to inline (write stores in place); never merge two differently-made vectors at a branch.
 * Exp, tanh and lane sums use only IEEE add/mul/fma/div in a fixed order, with scalar twins, so a
 * run's bits do not depend on how far the JIT has compiled the code.
 */
final class VectorKernels implements KernelBackend {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ScalarKernels SCALAR = new ScalarKernels();

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public boolean fusedMultiply(int n) {
        return n >= L; // VectorProducts.multiply's blocks and its overlapping tail: fma chains from the bias
    }

    @Override
    public void multiply(float[] a, int rows, int k, float[] m, int mOff, int n, float[] bias, int bOff, float[] y) {
        if (n >= L) {
            VectorProducts.multiply(a, rows, k, m, mOff, n, bias, bOff, y);
        } else if (n == 1 && k >= L) {
            // a [k, 1] matrix is also a [1, k] one: one dot product per row
            VectorProducts.multiplyTransposedByDots(a, rows, k, m, mOff, 1, y);
            if (bias != null) {
                for (int r = 0; r < rows; r++) {
                    y[r] += bias[bOff];
                }
            }
        } else {
            SCALAR.multiply(a, rows, k, m, mOff, n, bias, bOff, y);
        }
    }

    @Override
    public void multiplyTransposed(float[] a, int rows, int k, float[] m, int mOff, int n, float[] y,
            float[] scratch) {
        if (k < VectorProducts.DOT_MIN_LENGTH && rows > VectorProducts.DOT_MAX_ROWS && scratch != null && n >= L) {
            VectorProducts.transpose(m, mOff, n, k, scratch);
            VectorProducts.multiply(a, rows, k, scratch, 0, n, null, 0, y);
        } else if (k >= L) {
            VectorProducts.multiplyTransposedByDots(a, rows, k, m, mOff, n, y);
        } else {
            SCALAR.multiplyTransposed(a, rows, k, m, mOff, n, y, scratch);
        }
    }

    @Override
    public void multiplyTransposedStrided(float[] a, int aOff, int aStride, int rows, int k, float[] m, int mOff,
            int mStride, int n, float[] y) {
        if (k >= L) {
            VectorProducts.multiplyTransposedByDots(a, aOff, aStride, rows, k, m, mOff, mStride, n, y);
        } else {
            SCALAR.multiplyTransposedStrided(a, aOff, aStride, rows, k, m, mOff, mStride, n, y);
        }
    }

    @Override
    public void transposedProduct(float[] a, int p, float[] b, int q, int rows, float[] dM, int mOff,
            boolean accumulate) {
        if (q >= L) {
            VectorProducts.transposedProduct(a, p, b, q, rows, dM, mOff, accumulate);
        } else if (q == 1 && p >= L) {
            // dM [p, 1] is also [1, p]: dM += bᵀ·a with the roles of a and b swapped
            VectorProducts.transposedProduct(b, 1, a, p, rows, dM, mOff, accumulate);
        } else {
            SCALAR.transposedProduct(a, p, b, q, rows, dM, mOff, accumulate);
        }
    }

    @Override
    public void columnSums(float[] b, int rows, int q, float[] sums, int off, boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(sums, off, off + q, 0f);
        }
        int bound = S.loopBound(q);
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector s = FloatVector.fromArray(S, sums, off + j);
            for (int r = 0; r < rows; r++) {
                s = s.add(FloatVector.fromArray(S, b, r * q + j));
            }
            s.intoArray(sums, off + j);
        }
        for (; j < q; j++) {
            float s = sums[off + j];
            for (int r = 0; r < rows; r++) {
                s += b[r * q + j];
            }
            sums[off + j] = s;
        }
    }

    /**
     * Three passes over the row: the maximum m; then e = exp(z − m) into probs with S = Σ e and
     * X = Σ e·max(z − m, EXP_MIN); then logp = z − m − log S and p = e / S. The entropy is
     * −Σ p·logp = log S − X / S, so it needs no pass of its own and no mask: masked logits (−∞)
     * and logits too small for exp have e = 0 and add nothing to either sum.
     */
    @Override
    public float softmax(float[] logits, int off, int n, float[] logp, float[] probs, int outOff) {
        return softmax(logits, off, n, logp, probs, outOff, null, 0);
    }

    @Override
    public float softmax(float[] logits, int off, int n, float[] logp, float[] probs, int outOff, float[] shifts,
            int shiftAt) {
        int bound = S.loopBound(n);
        float max = max(logits, off, n);
        int j;
        FloatVector vm = FloatVector.broadcast(S, max);
        FloatVector vsum = FloatVector.broadcast(S, 0f);
        FloatVector vxe = FloatVector.broadcast(S, 0f);
        for (j = 0; j < bound; j += L) {
            FloatVector x = FloatVector.fromArray(S, logits, off + j).sub(vm);
            FloatVector e = exp(x);
            e.intoArray(probs, outOff + j);
            vsum = vsum.add(e);
            vxe = x.max(EXP_MIN).fma(e, vxe);
        }
        float sum = sumLanes(vsum);
        float xe = sumLanes(vxe);
        for (; j < n; j++) {
            float x = logits[off + j] - max;
            float e = exp(x);
            probs[outOff + j] = e;
            sum += e;
            xe = Math.fma(Math.max(x, EXP_MIN), e, xe);
        }
        float logSum = (float) Math.log(sum);
        float shift = max + logSum;
        if (shifts != null) {
            shifts[shiftAt] = shift;
        }
        float inv = 1f / sum;
        FloatVector vshift = FloatVector.broadcast(S, shift);
        FloatVector vinv = FloatVector.broadcast(S, inv);
        for (j = 0; j < bound; j += L) {
            FloatVector.fromArray(S, logits, off + j).sub(vshift).intoArray(logp, outOff + j);
            FloatVector.fromArray(S, probs, outOff + j).mul(vinv).intoArray(probs, outOff + j);
        }
        for (; j < n; j++) {
            logp[outOff + j] = logits[off + j] - shift;
            probs[outOff + j] *= inv;
        }
        return logSum - xe * inv;
    }

    @Override
    public void logSoftmax(float[] logits, int off, int n, float[] logp, int outOff) {
        // the first two loops of softmax, in the same order (so the same max and sum), without the
        // probabilities and the entropy
        int bound = S.loopBound(n);
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j < bound; j += L) {
            vmax = vmax.max(FloatVector.fromArray(S, logits, off + j));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            max = Math.max(max, logits[off + j]);
        }
        float sum = expSum(logits, off, n, bound, max);
        float shift = max + (float) Math.log(sum);
        FloatVector vshift = FloatVector.broadcast(S, shift);
        for (j = 0; j < bound; j += L) {
            FloatVector.fromArray(S, logits, off + j).sub(vshift).intoArray(logp, outOff + j);
        }
        for (; j < n; j++) {
            logp[outOff + j] = logits[off + j] - shift;
        }
    }

    /** Σ exp(logit − max) as {@link #softmax} sums it. */
    private static float expSum(float[] logits, int off, int n, int bound, float max) {
        FloatVector vm = FloatVector.broadcast(S, max);
        FloatVector vsum = FloatVector.broadcast(S, 0f);
        int j = 0;
        for (; j < bound; j += L) {
            vsum = vsum.add(exp(FloatVector.fromArray(S, logits, off + j).sub(vm)));
        }
        float sum = sumLanes(vsum);
        for (; j < n; j++) {
            sum += exp(logits[off + j] - max);
        }
        return sum;
    }

    @Override
    public int topK(float[] scores, int n, int k, int[] top) {
        // a vector of scores none of which beats the current k-th is skipped with one comparison;
        // the others go through the scalar insertion, in index order, so ties resolve as there
        int bound = S.loopBound(n);
        int m = 0;
        float threshold = Float.NEGATIVE_INFINITY;
        int i = 0;
        for (; i < bound; i += L) {
            if (FloatVector.fromArray(S, scores, i).compare(VectorOperators.GT, threshold).anyTrue()) {
                for (int j = i; j < i + L; j++) {
                    m = ScalarKernels.offer(scores, top, j, m, k);
                }
                threshold = m == k ? scores[top[k - 1]] : Float.NEGATIVE_INFINITY;
            }
        }
        for (; i < n; i++) {
            m = ScalarKernels.offer(scores, top, i, m, k);
        }
        return m;
    }

    @Override
    public float[] packColumns(float[] m, int k, int n) {
        // below one vector multiply takes the plain loops, whose sums the panels would not repeat
        return n < L ? null : VectorProducts.packColumns(m, k, n);
    }

    @Override
    public void multiplyPacked(float[] a, int k, float[] packed, int n, float scale, float[] bias, int bOff,
            float[] y) {
        VectorProducts.multiplyPacked(a, k, packed, n, scale, bias, bOff, y);
    }

    @Override
    public void multiplyPackedRows(float[] a, int rows, int k, float[] packed, int n, float scale, float[] bias,
            int bOff, float[][] y) {
        VectorProducts.multiplyPackedRows(a, rows, k, packed, n, scale, bias, bOff, y);
    }

    @Override
    public void categoricalBackward(float[] probs, float[] logp, int off, int n, int action, float gLogp,
            float gEntropy, float entropy, float[] dLogits, int dOff) {
        int bound = S.loopBound(n);
        FloatVector vg = FloatVector.broadcast(S, gLogp);
        FloatVector vge = FloatVector.broadcast(S, gEntropy);
        FloatVector vh = FloatVector.broadcast(S, entropy);
        FloatVector zero = FloatVector.broadcast(S, 0f);
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector p = FloatVector.fromArray(S, probs, off + j);
            FloatVector lp = FloatVector.fromArray(S, logp, off + j);
            // g = -p * (gLogp + gEntropy * (logp + H)); masked entries (p == 0) get 0
            FloatVector g = p.neg().mul(lp.add(vh).fma(vge, vg));
            g = zero.blend(g, p.compare(VectorOperators.GT, 0f));
            g.intoArray(dLogits, dOff + j);
        }
        for (; j < n; j++) {
            float p = probs[off + j];
            dLogits[dOff + j] = p > 0f ? -p * (gLogp + gEntropy * (logp[off + j] + entropy)) : 0f;
        }
        if (action >= 0) {
            dLogits[dOff + action] += gLogp;
        }
    }

    // ---- deterministic helpers -------------------------------------------------------------
    // The Vector API's own EXP and ADD-reductions may give different bits before and after the JIT
    // compiles them (a per-lane Math.exp and a sequential sum in the interpreter, a vector routine and
    // a tree sum when compiled). Everything below uses only IEEE add/mul/fma and lane reads in a fixed
    // order, so a run's results do not depend on how warm the JVM is.

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23: adding and subtracting it rounds to an integer
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float EXP_MIN = -87.33654f; // below this exp(x) is under the smallest normal float

    /**
     * exp(x) for x ≤ 0 (x − max of a softmax row): x = k·ln2 + r with |r| ≤ ln2/2, exp(r) by its
     * degree-7 Taylor polynomial (relative error below 1e-7), times 2^k built in the exponent bits;
     * 0 below {@value #EXP_MIN} and for −∞.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN);
        FloatVector t = xc.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUND));
        FloatVector k = t.sub(ROUND);
        FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, 1f / 5040f);
        p = p.fma(r, FloatVector.broadcast(S, 1f / 720f));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 120f));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 24f));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 6f));
        p = p.fma(r, FloatVector.broadcast(S, 0.5f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        // t = 1.5·2^23 + k holds the integer k in its low mantissa bits: no float-to-int conversion
        IntVector bits = t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        FloatVector scale = bits.reinterpretAsFloats();
        FloatVector result = p.mul(scale);
        return result.blend(FloatVector.broadcast(S, 0f), x.compare(VectorOperators.LT, EXP_MIN));
    }

    /** The scalar twin of {@link #exp(FloatVector)}: the same operations, so the same bits. */
    static float exp(float x) {
        float xc = Math.max(x, EXP_MIN);
        float t = Math.fma(xc, LOG2E, ROUND);
        float k = t - ROUND;
        float r = Math.fma(k, -LN2_HI, xc);
        r = Math.fma(k, -LN2_LO, r);
        float p = 1f / 5040f;
        p = Math.fma(p, r, 1f / 720f);
        p = Math.fma(p, r, 1f / 120f);
        p = Math.fma(p, r, 1f / 24f);
        p = Math.fma(p, r, 1f / 6f);
        p = Math.fma(p, r, 0.5f);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUND_BITS - 127)) << 23);
        return x < EXP_MIN ? 0f : p * scale;
    }

    private static final float TANH_SMALL = 0.25f;
    private static final float T3 = -1f / 3f;
    private static final float T5 = 2f / 15f;
    private static final float T7 = -17f / 315f;
    private static final float T9 = 62f / 2835f;
    private static final float T11 = -1382f / 155925f;

    /**
     * The plain loop: C2 vectorises it by itself and the update is bound by memory bandwidth (measured
     * with JMH: no faster with the Vector API), and it gives the same bits everywhere.
     */
    @Override
    public void adamUpdate(float[] params, float[] grads, float gradScale, float[] m, float[] v, int from, int to,
            float w1, float b2, float w2, float negStep, float bc2Sqrt, float eps) {
        ScalarKernels.adamRange(params, grads, gradScale, m, v, from, to, w1, b2, w2, negStep, bc2Sqrt, eps);
    }

    /**
     * Each row by whole vectors, then a plain tail of fewer than one vector: the plain loop of
     * {@link #adamUpdate}, compiled by C2, leaves up to a whole unrolled block of a short row to
     * its scalar post-loop. The same IEEE operations per value in the same order as
     * {@link ScalarKernels#adamRange}, so the same bits (the square root of a float taken in double
     * and rounded is the float square root).
     */
    @Override
    public void adamUpdateStrided(float[] params, float[] grads, float gradScale, float[] m, float[] v, int from,
            int width, int stride, int count, float w1, float b2, float w2, float negStep, float bc2Sqrt,
            float eps) {
        for (int r = 0; r < count; r++) {
            int start = from + r * stride;
            int whole = start + S.loopBound(width);
            adamVectors(params, grads, gradScale, m, v, start, whole, w1, b2, w2, negStep, bc2Sqrt, eps);
            ScalarKernels.adamRange(params, grads, gradScale, m, v, whole, start + width, w1, b2, w2, negStep,
                    bc2Sqrt, eps);
        }
    }

    /** The Adam update of {@code [from, to)}, a whole number of vectors. */
    private static void adamVectors(float[] params, float[] grads, float gradScale, float[] m, float[] v, int from,
            int to, float w1, float b2, float w2, float negStep, float bc2Sqrt, float eps) {
        for (int at = from; at < to; at += L) {
            FloatVector g = FloatVector.fromArray(S, grads, at).mul(gradScale);
            FloatVector m0 = FloatVector.fromArray(S, m, at);
            FloatVector mi = m0.add(g.sub(m0).mul(w1));
            FloatVector vi = FloatVector.fromArray(S, v, at).mul(b2).add(g.mul(w2).mul(g));
            mi.intoArray(m, at);
            vi.intoArray(v, at);
            FloatVector denom = vi.lanewise(VectorOperators.SQRT).div(bc2Sqrt).add(eps);
            FloatVector.fromArray(S, params, at).add(mi.div(denom).mul(negStep)).intoArray(params, at);
        }
    }

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final ThreadLocal<double[]> DOUBLE_LANES = ThreadLocal.withInitial(() -> new double[D.length()]);

    /**
     * Every float widened to double (exact), the products summed in double by fused multiply-adds
     * in four vector accumulators; then the accumulators, their lanes left to right and the scalar
     * tail, in that fixed order. About 5× faster than the scalar loop here.
     */
    @Override
    public double dot(float[] a, float[] b, int n) {
        if (D.length() * 2 != L) {
            return SCALAR.dot(a, b, n);
        }
        if (a == b) {
            return squares(a, 0, n);
        }
        DoubleVector c0 = DoubleVector.zero(D);
        DoubleVector c1 = DoubleVector.zero(D);
        DoubleVector c2 = DoubleVector.zero(D);
        DoubleVector c3 = DoubleVector.zero(D);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            FloatVector fa = FloatVector.fromArray(S, a, i);
            FloatVector ga = FloatVector.fromArray(S, a, i + L);
            FloatVector fb = FloatVector.fromArray(S, b, i);
            FloatVector gb = FloatVector.fromArray(S, b, i + L);
            DoubleVector a0 = (DoubleVector) fa.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector a1 = (DoubleVector) fa.convertShape(VectorOperators.F2D, D, 1);
            DoubleVector a2 = (DoubleVector) ga.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector a3 = (DoubleVector) ga.convertShape(VectorOperators.F2D, D, 1);
            c0 = a0.fma((DoubleVector) fb.convertShape(VectorOperators.F2D, D, 0), c0);
            c1 = a1.fma((DoubleVector) fb.convertShape(VectorOperators.F2D, D, 1), c1);
            c2 = a2.fma((DoubleVector) gb.convertShape(VectorOperators.F2D, D, 0), c2);
            c3 = a3.fma((DoubleVector) gb.convertShape(VectorOperators.F2D, D, 1), c3);
        }
        double[] lanes = DOUBLE_LANES.get();
        c0.add(c1).add(c2.add(c3)).intoArray(lanes, 0);
        double s = 0.0;
        for (double x : lanes) {
            s += x;
        }
        for (; i < n; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /**
     * {@code Σ a[i]²} over {@code [from, to)} in the order of {@link #dot} of {@code a[from..to)}
     * with itself (the same bits as that dot product of a copy of the range).
     */
    @Override
    public double sumOfSquares(float[] a, int from, int to) {
        if (D.length() * 2 != L) {
            return SCALAR.sumOfSquares(a, from, to);
        }
        return squares(a, from, to);
    }

    /**
     * {@link #dot} of {@code a[from..to)} with itself, widening each vector once: the same
     * operations, so the same bits.
     */
    private static double squares(float[] a, int from, int to) {
        DoubleVector c0 = DoubleVector.zero(D);
        DoubleVector c1 = DoubleVector.zero(D);
        DoubleVector c2 = DoubleVector.zero(D);
        DoubleVector c3 = DoubleVector.zero(D);
        int i = from;
        for (; i + 2 * L <= to; i += 2 * L) {
            FloatVector f = FloatVector.fromArray(S, a, i);
            FloatVector g = FloatVector.fromArray(S, a, i + L);
            DoubleVector d0 = (DoubleVector) f.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector d1 = (DoubleVector) f.convertShape(VectorOperators.F2D, D, 1);
            DoubleVector d2 = (DoubleVector) g.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector d3 = (DoubleVector) g.convertShape(VectorOperators.F2D, D, 1);
            c0 = d0.fma(d0, c0);
            c1 = d1.fma(d1, c1);
            c2 = d2.fma(d2, c2);
            c3 = d3.fma(d3, c3);
        }
        double[] lanes = DOUBLE_LANES.get();
        c0.add(c1).add(c2.add(c3)).intoArray(lanes, 0);
        double s = 0.0;
        for (double x : lanes) {
            s += x;
        }
        for (; i < to; i++) {
            s += (double) a[i] * a[i];
        }
        return s;
    }

    @Override
    public void tanhInPlace(float[] a, int n) {
        int j = 0;
        for (; j + L <= n; j += L) {
            tanh(FloatVector.fromArray(S, a, j)).intoArray(a, j);
        }
        for (; j < n; j++) {
            a[j] = tanh(a[j]);
        }
    }

    /**
     * tanh(x): for |x| &lt; 0.25 its Taylor series to x¹¹; otherwise (1 − t)/(1 + t) with
     * t = exp(−2|x|), sign restored. Relative error below 1e-6.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector x2 = x.mul(x);
        FloatVector p = FloatVector.broadcast(S, T11);
        p = p.fma(x2, FloatVector.broadcast(S, T9));
        p = p.fma(x2, FloatVector.broadcast(S, T7));
        p = p.fma(x2, FloatVector.broadcast(S, T5));
        p = p.fma(x2, FloatVector.broadcast(S, T3));
        FloatVector small = p.mul(x2).fma(x, x);
        FloatVector t = exp(ax.mul(-2f));
        FloatVector large = FloatVector.broadcast(S, 1f).sub(t).div(t.add(1f));
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        return large.blend(small, ax.compare(VectorOperators.LT, TANH_SMALL));
    }

    /** The scalar twin of {@link #tanh(FloatVector)}: the same operations, so the same bits. */
    static float tanh(float x) {
        float ax = Math.abs(x);
        if (ax < TANH_SMALL) {
            float x2 = x * x;
            float p = T11;
            p = Math.fma(p, x2, T9);
            p = Math.fma(p, x2, T7);
            p = Math.fma(p, x2, T5);
            p = Math.fma(p, x2, T3);
            return Math.fma(p * x2, x, x);
        }
        float t = exp(ax * -2f);
        float r = (1f - t) / (t + 1f);
        return x < 0f ? -r : r;
    }

    /** Per-thread room for one vector's lanes, for sums in a fixed order. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

    /** Sum of the lanes, left to right (through memory: the order never depends on the JIT). */
    static float sumLanes(FloatVector v) {
        float[] lanes = LANES.get();
        v.intoArray(lanes, 0);
        float s = 0f;
        for (int i = 0; i < L; i++) {
            s += lanes[i];
        }
        return s;
    }

    @Override
    public void addScaledTransposedProduct(double alpha, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
            int depth, int rows, int cols, double[] c, int cOff, int ldc) {
        DoubleProducts.addScaledTransposedProduct(alpha, a, aOff, lda, b, bOff, ldb, depth, rows, cols, c, cOff, ldc);
    }

    @Override
    public void blockProduct(float[] a, int aOff, int aRow, int aStep, int rows, float[] v, int vOff, int vStep,
            int cols, int steps, float[] c, int cOff, int cStride, boolean accumulate) {
        VectorProducts.blockProduct(a, aOff, aRow, aStep, rows, v, vOff, vStep, cols, steps, c, cOff, cStride,
                accumulate);
    }

    @Override
    public float max(float[] x, int off, int n) {
        int bound = S.loopBound(n);
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j < bound; j += L) {
            vmax = vmax.max(FloatVector.fromArray(S, x, off + j));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        return max;
    }

    @Override
    public float expInPlace(float[] x, int off, int n, float shift, float[] lanes) {
        int bound = S.loopBound(n);
        FloatVector vs = FloatVector.broadcast(S, shift);
        FloatVector acc = FloatVector.broadcast(S, 0f);
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector e = exp(FloatVector.fromArray(S, x, off + j).sub(vs));
            e.intoArray(x, off + j);
            acc = acc.add(e);
        }
        // the lanes left to right, as sumLanes does, in the caller's buffer
        acc.intoArray(lanes, 0);
        float sum = 0f;
        for (int i = 0; i < L; i++) {
            sum += lanes[i];
        }
        for (; j < n; j++) {
            float e = exp(x[off + j] - shift);
            x[off + j] = e;
            sum += e;
        }
        return sum;
    }

    @Override
    public void expScale(float[] x, int off, int n, float shift, float scale) {
        int bound = S.loopBound(n);
        FloatVector vs = FloatVector.broadcast(S, shift);
        FloatVector vk = FloatVector.broadcast(S, scale);
        int j = 0;
        for (; j < bound; j += L) {
            exp(FloatVector.fromArray(S, x, off + j).sub(vs)).mul(vk).intoArray(x, off + j);
        }
        for (; j < n; j++) {
            x[off + j] = exp(x[off + j] - shift) * scale;
        }
    }

    @Override
    public void gradientRow(float[] x, int off, int n, float factor, int target, float weight, float[] sums,
            int sOff) {
        int bound = S.loopBound(n);
        FloatVector vk = FloatVector.broadcast(S, factor);
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector.fromArray(S, x, off + j).mul(vk).intoArray(x, off + j);
        }
        for (; j < n; j++) {
            x[off + j] *= factor;
        }
        if (target >= 0 && target < n) {
            x[off + target] -= weight;
        }
        // the row is in the L1 cache now: the bias sums element by element, as the scalar loop adds them
        j = 0;
        for (; j < bound; j += L) {
            FloatVector.fromArray(S, sums, sOff + j).add(FloatVector.fromArray(S, x, off + j)).intoArray(sums, sOff + j);
        }
        for (; j < n; j++) {
            sums[sOff + j] += x[off + j];
        }
    }
}
