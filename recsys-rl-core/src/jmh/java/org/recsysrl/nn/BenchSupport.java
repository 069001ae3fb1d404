package org.recsysrl.nn;

import java.util.SplittableRandom;

/** Shared set-up for the JMH benchmarks: backend selection and reproducible random inputs. */
final class BenchSupport {
    /** The JVM arguments every forked benchmark JVM gets (the SIMD backend needs the module). */
    static final String ADD_VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    private BenchSupport() {
    }

    /**
     * {@code "scalar"}: the plain-loop baseline ({@link ScalarKernels}); {@code "active"}: the
     * backend {@link Kernels} chose in this JVM (the SIMD one when the vector module is present).
     */
    static KernelBackend backend(String name) {
        switch (name) {
            case "scalar":
                return Kernels.scalar();
            case "active":
                KernelBackend active = Kernels.active();
                if (active.name().equals("scalar") && !"scalar".equals(System.getProperty("recsysrl.kernels"))) {
                    // comparing the baseline with itself would be a silently useless run
                    throw new IllegalStateException("the active backend is the scalar one: run the forked JVM with "
                            + ADD_VECTOR_MODULE);
                }
                return active;
            default:
                throw new IllegalArgumentException("backend must be scalar or active: " + name);
        }
    }

    /** {@code n} floats uniform in [-scale, scale), from a fixed seed. */
    static float[] uniform(int n, float scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2.0 - 1.0) * scale);
        }
        return a;
    }

    /** {@code n} standard-normal floats times {@code scale}, from a fixed seed. */
    static float[] gaussian(int n, float scale, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }
}
