package org.recsysrl.ope.evaluation;

import java.util.Arrays;
import java.util.List;
import org.recsysrl.ope.estimator.UnitTerms;
import org.recsysrl.util.Rng;

/**
 * Bootstrap replicates of several estimates at once, on shared resamples (so differences between
 * them are paired). Each replicate gives every unit an independent Poisson(1) count k_u — the
 * Poisson bootstrap, which matches the multinomial resampling of n units for large n and lets the
 * units be read sequentially in cache-sized blocks; counts come four to a 64-bit random number through
 * a 65,536-entry table, so each count's probabilities are exact to 1/65,536 — and recomputes
 * Σ_c Σ_u k_u num_uc / Σ_u k_u den_uc for every {@link UnitTerms}. Seeded: the same seed gives the
 * same replicates to the bit.
 */
public final class Bootstrap {
    private static final int BLOCK = 4096;
    private static final double[] POISSON_CDF = poissonCdf();
    private static final byte[] POISSON_TABLE = poissonTable();

    private Bootstrap() {
    }

    /**
     * {@code replicates} values of each of {@code terms} (all with the same number of units); a
     * replicate whose denominator is 0 is {@code NaN}.
     */
    public static double[][] replicates(List<UnitTerms> terms, int replicates, long seed) {
        int t = terms.size();
        double[][] out = new double[t][replicates];
        if (t == 0 || replicates == 0) {
            return out;
        }
        int n = terms.get(0).units();
        for (UnitTerms u : terms) {
            if (u.units() != n) {
                throw new IllegalArgumentException("terms with different numbers of units: " + u.units() + " != " + n);
            }
        }
        double[][][] accNum = new double[t][][];
        double[][][] accDen = new double[t][][];
        for (int i = 0; i < t; i++) {
            accNum[i] = new double[terms.get(i).components()][replicates];
            accDen[i] = new double[terms.get(i).components()][replicates];
        }
        Rng rng = Rng.stream(seed, 0xB0075L);
        double[] counts = new double[BLOCK + 4];
        int maxComponents = 1;
        for (UnitTerms u : terms) {
            maxComponents = Math.max(maxComponents, u.components());
        }
        double[] sumNum = new double[maxComponents];
        double[] sumDen = new double[maxComponents];
        for (int start = 0; start < n; start += BLOCK) {
            int len = Math.min(BLOCK, n - start);
            for (int b = 0; b < replicates; b++) {
                double total = drawCounts(rng, counts, len);
                for (int ti = 0; ti < t; ti++) {
                    accumulate(terms.get(ti), counts, total, start, len, b, accNum[ti], accDen[ti], sumNum, sumDen);
                }
            }
        }
        for (int ti = 0; ti < t; ti++) {
            for (int b = 0; b < replicates; b++) {
                double v = 0;
                for (int cc = 0; cc < accNum[ti].length; cc++) {
                    double d = accDen[ti][cc][b];
                    v += d == 0 ? Double.NaN : accNum[ti][cc][b] / d;
                }
                out[ti][b] = v;
            }
        }
        return out;
    }

    /** Fills {@code counts[0, len)} (rounded up to 4) with Poisson(1) draws; returns the sum of the first len. */
    private static double drawCounts(Rng rng, double[] counts, int len) {
        double total = 0;
        for (int i = 0; i < len; i += 4) {
            long bits = rng.nextLong();
            double k0 = POISSON_TABLE[(int) (bits & 0xFFFF)];
            double k1 = POISSON_TABLE[(int) ((bits >>> 16) & 0xFFFF)];
            double k2 = POISSON_TABLE[(int) ((bits >>> 32) & 0xFFFF)];
            double k3 = POISSON_TABLE[(int) (bits >>> 48)];
            counts[i] = k0;
            counts[i + 1] = k1;
            counts[i + 2] = k2;
            counts[i + 3] = k3;
        }
        for (int i = 0; i < len; i++) {
            total += counts[i];
        }
        return total;
    }

    /**
     * Adds replicate b's weighted sums of one block of units [start, start + len) to the accumulators
     * of term u (component × replicate); {@code total} is the block's count, the denominator when u has none.
     */
    private static void accumulate(UnitTerms u, double[] counts, double total, int start, int len, int b,
            double[][] accNum, double[][] accDen, double[] sumNum, double[] sumDen) {
        int c = u.components();
        double[] num = u.numerator();
        double[] den = u.denominator();
        if (c == 1) {
            double sn = 0;
            for (int i = 0; i < len; i++) {
                sn += counts[i] * num[start + i];
            }
            double sd = total;
            if (den != null) {
                sd = 0;
                for (int i = 0; i < len; i++) {
                    sd += counts[i] * den[start + i];
                }
            }
            accNum[0][b] += sn;
            accDen[0][b] += sd;
        } else if (c == 2 && den != null) {
            double n0 = 0;
            double n1 = 0;
            double d0 = 0;
            double d1 = 0;
            for (int i = 0; i < len; i++) {
                double k = counts[i];
                int base = (start + i) * 2;
                n0 += k * num[base];
                n1 += k * num[base + 1];
                d0 += k * den[base];
                d1 += k * den[base + 1];
            }
            accNum[0][b] += n0;
            accNum[1][b] += n1;
            accDen[0][b] += d0;
            accDen[1][b] += d1;
        } else {
            java.util.Arrays.fill(sumNum, 0, c, 0.0);
            java.util.Arrays.fill(sumDen, 0, c, 0.0);
            for (int i = 0; i < len; i++) {
                double k = counts[i];
                int base = (start + i) * c;
                for (int cc = 0; cc < c; cc++) {
                    sumNum[cc] += k * num[base + cc];
                    sumDen[cc] += den == null ? k : k * den[base + cc];
                }
            }
            for (int cc = 0; cc < c; cc++) {
                accNum[cc][b] += sumNum[cc];
                accDen[cc][b] += sumDen[cc];
            }
        }
    }

    /** The {@code q}-quantile (0..1) of the finite values, by linear interpolation; NaN if none. */
    public static double quantile(double[] values, double q) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(v.length - 1, lo + 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    /** Sample standard deviation of the finite values. */
    public static double standardDeviation(double[] values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = Arrays.stream(v).average().orElse(0);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** Poisson(1) counts indexed by a 16-bit uniform: entry u is the smallest k with (u + ½) / 65536 ≤ P(K ≤ k). */
    private static byte[] poissonTable() {
        byte[] t = new byte[1 << 16];
        for (int u = 0; u < t.length; u++) {
            double p = (u + 0.5) / t.length;
            int k = 0;
            while (k < POISSON_CDF.length - 1 && p > POISSON_CDF[k]) {
                k++;
            }
            t[u] = (byte) k;
        }
        return t;
    }

    private static double[] poissonCdf() {
        double[] cdf = new double[20];
        double p = Math.exp(-1);
        double c = 0;
        for (int k = 0; k < cdf.length; k++) {
            c += p;
            cdf[k] = c;
            p /= k + 1;
        }
        cdf[cdf.length - 1] = 1.0;
        return cdf;
    }
}
