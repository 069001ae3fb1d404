package org.recsysrl.agent;

/**
 * A PPO minibatch step (forward pass, loss, gradient, gradient norm, clipped Adam step) spread
 * over T ≥ 2 threads: the calling thread and T − 1 helpers ({@link ShareThreads}). Results are
 * bit-identical for a given T and within rounding of one thread's. {@link #of} picks the split.
 */
interface ThreadedMinibatch {

    /**
     * The system property that picks the split of {@link Ppo}'s public constructors:
     * {@code -Drecsysrl.ppo.split=outputs} takes {@link OutputSplitMinibatch} where it applies;
     * unset (or {@code rows}), {@link ParallelMinibatch}, which was as fast or faster on the 2-core
     * host (docs/performance.md, "The second core").
     */
    String SPLIT_PROPERTY = "recsysrl.ppo.split";

    /** Whether {@link #SPLIT_PROPERTY} asks for the output split. */
    static boolean outputSplitAsked() {
        return "outputs".equals(System.getProperty(SPLIT_PROPERTY));
    }

    /**
     * The split for {@code model}: with {@code splitOutputs}, by the logits layer's outputs
     * ({@link OutputSplitMinibatch}) where it applies, else by the minibatch's rows
     * ({@link ParallelMinibatch}).
     *
     * @param shape a minibatch of the shape to expect (its rows are not read)
     * @param capacity the largest minibatch
     * @param threads T ≥ 2, the calling thread included
     */
    static ThreadedMinibatch of(ActorCritic model, org.recsysrl.nn.Adam adam, org.recsysrl.config.PpoConfig cfg,
            Minibatch shape, int capacity, int threads, boolean splitOutputs) {
        return splitOutputs && OutputSplitMinibatch.supports(model, threads)
                ? new OutputSplitMinibatch(model, adam, cfg, capacity, threads)
                : new ParallelMinibatch(model, adam, cfg, shape, capacity, threads);
    }

    /** The calling thread and the helpers that run the shares. */
    ShareThreads threadPool();

    /** Threads of a minibatch, the calling thread included. */
    default int threads() {
        return threadPool().threads();
    }

    /** Wakes (or starts) the helpers for an update's minibatches; call {@link #end} after them. */
    default void begin() {
        threadPool().begin();
    }

    /** Lets the helpers park until the next {@link #begin}. */
    default void end() {
        threadPool().end();
    }

    /** Whether helper w (1 ≤ w < T) has a live thread. */
    default boolean helperAlive(int w) {
        return threadPool().helperAlive(w);
    }

    /**
     * The PPO step of the first {@code rows} rows of {@code mb}: the loss terms into {@code terms},
     * the gradient into the store's gradient, the clipped Adam step on the parameters.
     *
     * @return the gradient's global norm (before clipping)
     * @throws org.recsysrl.util.NonFiniteException as {@link OnPolicyLearner#checkedStep}, before
     *     any parameter changes (for a non-finite term or norm) or after the step (for a non-finite
     *     parameter)
     */
    double step(Minibatch mb, int rows, ActorCriticLoss.Terms terms);

    /**
     * Each share's CPU nanoseconds by phase since the last call, which resets them (row w:
     * {@code [compute, reduce, Adam, minibatches]}); all zero unless
     * {@code -Drecsysrl.ppo.phaseCpu=true}. Call between updates.
     */
    long[][] phaseCpuNanos();
}
