package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.fail;

import java.util.function.DoubleSupplier;

/** Central finite-difference helpers for gradient checks (test-only). */
public final class GradCheck {
    private GradCheck() {}

    /** (L(p + eps) - L(p - eps)) / (2 eps), restoring p[i] afterwards. */
    public static double numeric(float[] p, int i, double eps, DoubleSupplier loss) {
        float orig = p[i];
        float plus = (float) (orig + eps);
        float minus = (float) (orig - eps);
        p[i] = plus;
        double lp = loss.getAsDouble();
        p[i] = minus;
        double lm = loss.getAsDouble();
        p[i] = orig;
        return (lp - lm) / ((double) plus - minus); // exact float step actually used
    }

    /**
     * Checks analytic[aOff + j] against the numeric derivative w.r.t. p[pOff + j] for j < n:
     * |num - ana| <= rtol * max(|num|, |ana|) + atol.
     */
    static void check(String what, float[] p, int pOff, float[] analytic, int aOff, int n,
                      double eps, double rtol, double atol, DoubleSupplier loss) {
        int nonZero = 0;
        for (int j = 0; j < n; j++) {
            double num = numeric(p, pOff + j, eps, loss);
            double ana = analytic[aOff + j];
            if (Math.abs(num) > 1e-6) {
                nonZero++;
            }
            double tol = rtol * Math.max(Math.abs(num), Math.abs(ana)) + atol;
            if (!(Math.abs(num - ana) <= tol)) {
                fail("%s[%d]: analytic %.8g vs numeric %.8g (tol %.3g)", what, j, ana, num, tol);
            }
        }
        if (n > 0 && nonZero == 0) {
            fail("%s: all numeric gradients are ~0, the check is vacuous", what);
        }
    }

    static float[] randomArray(org.recsysrl.util.Rng rng, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.uniform(lo, hi);
        }
        return a;
    }

    static double dot(float[] a, float[] c, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[i] * c[i];
        }
        return s;
    }
}
