package org.recsysrl.util;

/**
 * A small, fast, reproducible pseudo-random generator (SplitMix64) whose whole state is one
 * {@code long}, so it can be saved in a checkpoint and restored exactly.
 *
 * <p>Independent streams are derived from one master seed with {@link #stream(long, long)}: the
 * catalog, the users, each environment, action sampling and minibatch shuffling each get their own.
 * Not thread-safe: give each thread its own instance.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** Creates a generator whose sequence is fully determined by {@code seed}. */
    public Rng(long seed) {
        this.state = seed;
    }

    /**
     * Derives the seed of an independent stream: the same (master, streamId) pair always gives the
     * same stream, and different ids give statistically unrelated streams.
     */
    public static Rng stream(long masterSeed, long streamId) {
        return new Rng(mix(mix(masterSeed) ^ mix(streamId + GOLDEN_GAMMA)));
    }

    /** The generator's complete state; {@code new Rng(0).restore(s)} continues the same sequence. */
    public long state() {
        return state;
    }

    /** Replaces the state with one obtained from {@link #state()}. */
    public void restore(long savedState) {
        this.state = savedState;
    }

    /** Next uniformly distributed 64-bit value. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform integer in [0, bound), without modulo bias (Lemire's method). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Uniform double in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform float in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform double in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /**
     * Standard normal sample by the Box–Muller transform (one of the pair is used, so the state
     * stays a single long).
     */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Fisher–Yates shuffle of the first {@code n} entries of {@code a}, in place. */
    public void shuffle(int[] a, int n) {
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
