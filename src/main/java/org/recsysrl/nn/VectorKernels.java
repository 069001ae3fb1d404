package org.recsysrl.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels on the JDK's incubating Vector API ({@code --add-modules jdk.incubator.vector}).
 *
 * <p>The three matrix products are register-blocked 4 rows × 4 vectors (16 accumulators) and
 * written so that every inner step is a broadcast times a contiguous vector (no horizontal
 * reductions): from 16 rows on, the forward product first transposes W into a scratch buffer
 * ([in, out]), below that it takes one dot product per output; the backward products read W and x
 * in their natural row-major layout. The softmax computes exp once per logit with a vectorised
 * exponential and fuses log-probabilities, probabilities and entropy.
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
    /**
     * Below this batch size the forward product uses one dot product per output instead of first
     * transposing W (the transpose costs as much as a product with about 16 rows).
     */
    private static final int TRANSPOSE_MIN_BATCH = 16;

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public void linearForward(float[] x, int batch, int in, float[] w, int wOff, float[] bias, int bOff, int out,
            float[] y, float[] scratch) {
        if (batch < TRANSPOSE_MIN_BATCH || out < L || scratch == null) {
            forwardByDots(x, batch, in, w, wOff, bias, bOff, out, y);
            return;
        }
        transpose(w, wOff, out, in, scratch);
        broadcastProduct(x, batch, in, scratch, 0, bias, bOff, out, y);
    }

    /** t[c*rows + r] = a[aOff + r*cols + c], in 16×16 tiles so that reads and writes stay in cache. */
    static void transpose(float[] a, int aOff, int rows, int cols, float[] t) {
        final int tile = 16;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                for (int r = r0; r < r1; r++) {
                    int src = aOff + r * cols;
                    for (int c = c0; c < c1; c++) {
                        t[c * rows + r] = a[src + c];
                    }
                }
            }
        }
    }

    // Stores are written out in place (no helper taking vectors as arguments): a call the JIT
    // declines to inline would force every accumulator into a heap object.

    /** One 4-row × 4-vector block of {@link #broadcastProduct}: y rows y0.. += x rows x0.. · m columns o.. */
    private static void productBlock(float[] x, int x0, int k, float[] m, int mOff, int n, int o, float[] y, int y0) {
        int x1 = x0 + k;
        int x2 = x1 + k;
        int x3 = x2 + k;
        int y1 = y0 + n;
        int y2 = y1 + n;
        int y3 = y2 + n;
        FloatVector a00 = FloatVector.fromArray(S, y, y0);
        FloatVector a01 = FloatVector.fromArray(S, y, y0 + L);
        FloatVector a02 = FloatVector.fromArray(S, y, y0 + 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, y, y0 + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, y, y1);
        FloatVector a11 = FloatVector.fromArray(S, y, y1 + L);
        FloatVector a12 = FloatVector.fromArray(S, y, y1 + 2 * L);
        FloatVector a13 = FloatVector.fromArray(S, y, y1 + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, y, y2);
        FloatVector a21 = FloatVector.fromArray(S, y, y2 + L);
        FloatVector a22 = FloatVector.fromArray(S, y, y2 + 2 * L);
        FloatVector a23 = FloatVector.fromArray(S, y, y2 + 3 * L);
        FloatVector a30 = FloatVector.fromArray(S, y, y3);
        FloatVector a31 = FloatVector.fromArray(S, y, y3 + L);
        FloatVector a32 = FloatVector.fromArray(S, y, y3 + 2 * L);
        FloatVector a33 = FloatVector.fromArray(S, y, y3 + 3 * L);
        for (int i = 0; i < k; i++) {
            int r = i * n + o;
            FloatVector v0 = FloatVector.fromArray(S, m, mOff + r);
            FloatVector v1 = FloatVector.fromArray(S, m, mOff + r + L);
            FloatVector v2 = FloatVector.fromArray(S, m, mOff + r + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, m, mOff + r + 3 * L);
            FloatVector s0 = FloatVector.broadcast(S, x[x0 + i]);
            a00 = v0.fma(s0, a00);
            a01 = v1.fma(s0, a01);
            a02 = v2.fma(s0, a02);
            a03 = v3.fma(s0, a03);
            FloatVector s1 = FloatVector.broadcast(S, x[x1 + i]);
            a10 = v0.fma(s1, a10);
            a11 = v1.fma(s1, a11);
            a12 = v2.fma(s1, a12);
            a13 = v3.fma(s1, a13);
            FloatVector s2 = FloatVector.broadcast(S, x[x2 + i]);
            a20 = v0.fma(s2, a20);
            a21 = v1.fma(s2, a21);
            a22 = v2.fma(s2, a22);
            a23 = v3.fma(s2, a23);
            FloatVector s3 = FloatVector.broadcast(S, x[x3 + i]);
            a30 = v0.fma(s3, a30);
            a31 = v1.fma(s3, a31);
            a32 = v2.fma(s3, a32);
            a33 = v3.fma(s3, a33);
        }
        a00.intoArray(y, y0);
        a01.intoArray(y, y0 + L);
        a02.intoArray(y, y0 + 2 * L);
        a03.intoArray(y, y0 + 3 * L);
        a10.intoArray(y, y0 + n);
        a11.intoArray(y, y0 + n + L);
        a12.intoArray(y, y0 + n + 2 * L);
        a13.intoArray(y, y0 + n + 3 * L);
        a20.intoArray(y, y0 + 2 * n);
        a21.intoArray(y, y0 + 2 * n + L);
        a22.intoArray(y, y0 + 2 * n + 2 * L);
        a23.intoArray(y, y0 + 2 * n + 3 * L);
        a30.intoArray(y, y0 + 3 * n);
        a31.intoArray(y, y0 + 3 * n + L);
        a32.intoArray(y, y0 + 3 * n + 2 * L);
        a33.intoArray(y, y0 + 3 * n + 3 * L);
    }

    /**
     * {@code y[b*n+j] = bias[bOff+j] + sum_i x[b*k+i] * m[mOff+i*n+j]}: a row-major [batch, k] by
     * [k, n] product where every step is a broadcast of x times a contiguous row of m. Blocked 4 rows
     * × 4 vectors. {@code bias} may be null.
     */
    private static void broadcastProduct(float[] x, int batch, int k, float[] m, int mOff, float[] bias, int bOff,
            int n, float[] y) {
        // y starts as the bias (or 0) and every block accumulates onto it: no branch between two
        // ways of making a vector, which would keep C2 from keeping the accumulators in registers
        for (int r = 0; r < batch; r++) {
            if (bias != null) {
                System.arraycopy(bias, bOff, y, r * n, n);
            } else {
                java.util.Arrays.fill(y, r * n, r * n + n, 0f);
            }
        }
        int b = 0;
        for (; b + 4 <= batch; b += 4) {
            int x0 = b * k;
            int x1 = x0 + k;
            int x2 = x1 + k;
            int x3 = x2 + k;
            int o = 0;
            for (; o + 4 * L <= n; o += 4 * L) {
                productBlock(x, x0, k, m, mOff, n, o, y, b * n + o);
            }
            for (; o + L <= n; o += L) {
                int y0 = b * n + o;
                FloatVector a0 = FloatVector.fromArray(S, y, y0);
                FloatVector a1 = FloatVector.fromArray(S, y, y0 + n);
                FloatVector a2 = FloatVector.fromArray(S, y, y0 + 2 * n);
                FloatVector a3 = FloatVector.fromArray(S, y, y0 + 3 * n);
                for (int i = 0; i < k; i++) {
                    FloatVector v = FloatVector.fromArray(S, m, mOff + i * n + o);
                    a0 = v.fma(FloatVector.broadcast(S, x[x0 + i]), a0);
                    a1 = v.fma(FloatVector.broadcast(S, x[x1 + i]), a1);
                    a2 = v.fma(FloatVector.broadcast(S, x[x2 + i]), a2);
                    a3 = v.fma(FloatVector.broadcast(S, x[x3 + i]), a3);
                }
                a0.intoArray(y, y0);
                a1.intoArray(y, y0 + n);
                a2.intoArray(y, y0 + 2 * n);
                a3.intoArray(y, y0 + 3 * n);
            }
            for (; o < n; o++) {
                for (int r = 0; r < 4; r++) {
                    int xr = (b + r) * k;
                    float s = y[(b + r) * n + o];
                    for (int i = 0; i < k; i++) {
                        s = Math.fma(x[xr + i], m[mOff + i * n + o], s);
                    }
                    y[(b + r) * n + o] = s;
                }
            }
        }
        for (; b < batch; b++) {
            int xr = b * k;
            int o = 0;
            for (; o + L <= n; o += L) {
                FloatVector a = FloatVector.fromArray(S, y, b * n + o);
                for (int i = 0; i < k; i++) {
                    a = FloatVector.fromArray(S, m, mOff + i * n + o).fma(FloatVector.broadcast(S, x[xr + i]), a);
                }
                a.intoArray(y, b * n + o);
            }
            for (; o < n; o++) {
                float s = y[b * n + o];
                for (int i = 0; i < k; i++) {
                    s = Math.fma(x[xr + i], m[mOff + i * n + o], s);
                }
                y[b * n + o] = s;
            }
        }
    }

    /** Small batches: one vectorised dot product per output. */
    private static void forwardByDots(float[] x, int batch, int in, float[] w, int wOff, float[] bias, int bOff,
            int out, float[] y) {
        int bound = S.loopBound(in);
        for (int b = 0; b < batch; b++) {
            int xr = b * in;
            for (int o = 0; o < out; o++) {
                int wr = wOff + o * in;
                FloatVector acc = FloatVector.broadcast(S, 0f);
                int i = 0;
                for (; i < bound; i += L) {
                    acc = FloatVector.fromArray(S, x, xr + i).fma(FloatVector.fromArray(S, w, wr + i), acc);
                }
                float s = sumLanes(acc);
                for (; i < in; i++) {
                    s = Math.fma(x[xr + i], w[wr + i], s);
                }
                y[b * out + o] = bias != null ? s + bias[bOff + o] : s;
            }
        }
    }

    /** dx = dy·W is the broadcast product of dy [batch, out] with W read as an [out, in] matrix. */
    @Override
    public void linearBackwardInput(float[] dy, int batch, int out, float[] w, int wOff, int in, float[] dx) {
        if (batch < 4 || in < L) {
            ScalarKernels.backwardInputRows(dy, batch, out, w, wOff, in, dx);
            return;
        }
        broadcastProduct(dy, batch, out, w, wOff, null, 0, in, dx);
    }

    /** One 4-row × 4-vector block of the weight gradient: dW rows w0.. (outputs o..), columns i.. */
    private static void paramsBlock(float[] dy, float[] x, int batch, int in, int out, int o, int i, float[] dW,
            int w0) {
        int w1 = w0 + in;
        int w2 = w1 + in;
        int w3 = w2 + in;
        FloatVector a00 = FloatVector.fromArray(S, dW, w0 + i);
        FloatVector a01 = FloatVector.fromArray(S, dW, w0 + i + L);
        FloatVector a02 = FloatVector.fromArray(S, dW, w0 + i + 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, dW, w0 + i + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, dW, w1 + i);
        FloatVector a11 = FloatVector.fromArray(S, dW, w1 + i + L);
        FloatVector a12 = FloatVector.fromArray(S, dW, w1 + i + 2 * L);
        FloatVector a13 = FloatVector.fromArray(S, dW, w1 + i + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, dW, w2 + i);
        FloatVector a21 = FloatVector.fromArray(S, dW, w2 + i + L);
        FloatVector a22 = FloatVector.fromArray(S, dW, w2 + i + 2 * L);
        FloatVector a23 = FloatVector.fromArray(S, dW, w2 + i + 3 * L);
        FloatVector a30 = FloatVector.fromArray(S, dW, w3 + i);
        FloatVector a31 = FloatVector.fromArray(S, dW, w3 + i + L);
        FloatVector a32 = FloatVector.fromArray(S, dW, w3 + i + 2 * L);
        FloatVector a33 = FloatVector.fromArray(S, dW, w3 + i + 3 * L);
        for (int b = 0; b < batch; b++) {
            int xr = b * in + i;
            FloatVector v0 = FloatVector.fromArray(S, x, xr);
            FloatVector v1 = FloatVector.fromArray(S, x, xr + L);
            FloatVector v2 = FloatVector.fromArray(S, x, xr + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, x, xr + 3 * L);
            int dr = b * out + o;
            FloatVector s0 = FloatVector.broadcast(S, dy[dr]);
            a00 = v0.fma(s0, a00);
            a01 = v1.fma(s0, a01);
            a02 = v2.fma(s0, a02);
            a03 = v3.fma(s0, a03);
            FloatVector s1 = FloatVector.broadcast(S, dy[dr + 1]);
            a10 = v0.fma(s1, a10);
            a11 = v1.fma(s1, a11);
            a12 = v2.fma(s1, a12);
            a13 = v3.fma(s1, a13);
            FloatVector s2 = FloatVector.broadcast(S, dy[dr + 2]);
            a20 = v0.fma(s2, a20);
            a21 = v1.fma(s2, a21);
            a22 = v2.fma(s2, a22);
            a23 = v3.fma(s2, a23);
            FloatVector s3 = FloatVector.broadcast(S, dy[dr + 3]);
            a30 = v0.fma(s3, a30);
            a31 = v1.fma(s3, a31);
            a32 = v2.fma(s3, a32);
            a33 = v3.fma(s3, a33);
        }
        a00.intoArray(dW, w0 + i);
        a01.intoArray(dW, w0 + i + L);
        a02.intoArray(dW, w0 + i + 2 * L);
        a03.intoArray(dW, w0 + i + 3 * L);
        a10.intoArray(dW, w1 + i);
        a11.intoArray(dW, w1 + i + L);
        a12.intoArray(dW, w1 + i + 2 * L);
        a13.intoArray(dW, w1 + i + 3 * L);
        a20.intoArray(dW, w2 + i);
        a21.intoArray(dW, w2 + i + L);
        a22.intoArray(dW, w2 + i + 2 * L);
        a23.intoArray(dW, w2 + i + 3 * L);
        a30.intoArray(dW, w3 + i);
        a31.intoArray(dW, w3 + i + L);
        a32.intoArray(dW, w3 + i + 2 * L);
        a33.intoArray(dW, w3 + i + 3 * L);
    }

    @Override
    public void linearBackwardParams(float[] dy, float[] x, int batch, int in, int out, float[] dW, int wOff,
            float[] dB, int bOff) {
        int o = 0;
        for (; o + 4 <= out; o += 4) {
            int w0 = wOff + o * in;
            int w1 = w0 + in;
            int w2 = w1 + in;
            int w3 = w2 + in;
            int i = 0;
            for (; i + 4 * L <= in; i += 4 * L) {
                paramsBlock(dy, x, batch, in, out, o, i, dW, w0);
            }
            for (; i + L <= in; i += L) {
                FloatVector a0 = FloatVector.fromArray(S, dW, w0 + i);
                FloatVector a1 = FloatVector.fromArray(S, dW, w1 + i);
                FloatVector a2 = FloatVector.fromArray(S, dW, w2 + i);
                FloatVector a3 = FloatVector.fromArray(S, dW, w3 + i);
                for (int b = 0; b < batch; b++) {
                    FloatVector v = FloatVector.fromArray(S, x, b * in + i);
                    int dr = b * out + o;
                    a0 = v.fma(FloatVector.broadcast(S, dy[dr]), a0);
                    a1 = v.fma(FloatVector.broadcast(S, dy[dr + 1]), a1);
                    a2 = v.fma(FloatVector.broadcast(S, dy[dr + 2]), a2);
                    a3 = v.fma(FloatVector.broadcast(S, dy[dr + 3]), a3);
                }
                a0.intoArray(dW, w0 + i);
                a1.intoArray(dW, w1 + i);
                a2.intoArray(dW, w2 + i);
                a3.intoArray(dW, w3 + i);
            }
            for (; i < in; i++) {
                for (int r = 0; r < 4; r++) {
                    float s = dW[w0 + r * in + i];
                    for (int b = 0; b < batch; b++) {
                        s = Math.fma(dy[b * out + o + r], x[b * in + i], s);
                    }
                    dW[w0 + r * in + i] = s;
                }
            }
        }
        for (; o < out; o++) {
            int wr = wOff + o * in;
            int i = 0;
            for (; i + L <= in; i += L) {
                FloatVector a = FloatVector.fromArray(S, dW, wr + i);
                for (int b = 0; b < batch; b++) {
                    a = FloatVector.fromArray(S, x, b * in + i).fma(FloatVector.broadcast(S, dy[b * out + o]), a);
                }
                a.intoArray(dW, wr + i);
            }
            for (; i < in; i++) {
                float s = dW[wr + i];
                for (int b = 0; b < batch; b++) {
                    s = Math.fma(dy[b * out + o], x[b * in + i], s);
                }
                dW[wr + i] = s;
            }
        }
        if (dB != null) {
            int j = 0;
            for (; j + L <= out; j += L) {
                FloatVector a = FloatVector.fromArray(S, dB, bOff + j);
                for (int b = 0; b < batch; b++) {
                    a = a.add(FloatVector.fromArray(S, dy, b * out + j));
                }
                a.intoArray(dB, bOff + j);
            }
            for (; j < out; j++) {
                float s = dB[bOff + j];
                for (int b = 0; b < batch; b++) {
                    s += dy[b * out + j];
                }
                dB[bOff + j] = s;
            }
        }
    }

    @Override
    public float softmax(float[] logits, int off, int n, float[] logp, float[] probs, int outOff) {
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
        FloatVector vm = FloatVector.broadcast(S, max);
        FloatVector vsum = FloatVector.broadcast(S, 0f);
        for (j = 0; j < bound; j += L) {
            FloatVector e = exp(FloatVector.fromArray(S, logits, off + j).sub(vm));
            e.intoArray(probs, outOff + j);
            vsum = vsum.add(e);
        }
        float sum = sumLanes(vsum);
        for (; j < n; j++) {
            float e = exp(logits[off + j] - max);
            probs[outOff + j] = e;
            sum += e;
        }
        float shift = max + (float) Math.log(sum);
        float inv = 1f / sum;
        FloatVector vshift = FloatVector.broadcast(S, shift);
        FloatVector vh = FloatVector.broadcast(S, 0f);
        for (j = 0; j < bound; j += L) {
            FloatVector lp = FloatVector.fromArray(S, logits, off + j).sub(vshift);
            FloatVector p = FloatVector.fromArray(S, probs, outOff + j).mul(inv);
            lp.intoArray(logp, outOff + j);
            p.intoArray(probs, outOff + j);
            VectorMask<Float> live = p.compare(VectorOperators.GT, 0f);
            vh = vh.sub(p.mul(lp), live);
        }
        float h = sumLanes(vh);
        for (; j < n; j++) {
            float lp = logits[off + j] - shift;
            float p = probs[outOff + j] * inv;
            logp[outOff + j] = lp;
            probs[outOff + j] = p;
            if (p > 0f) {
                h -= p * lp;
            }
        }
        return h;
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
    public void adamUpdate(float[] params, float[] grads, float[] m, float[] v, int n, float w1, float b2, float w2,
            float negStep, float bc2Sqrt, float eps) {
        ScalarKernels.adamRange(params, grads, m, v, 0, n, w1, b2, w2, negStep, bc2Sqrt, eps);
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
}
