package org.recsysrl.report;

/**
 * The outcome of evaluating one checkpoint, one kind per workload, each with its two renderings:
 * {@link #text()} for people and {@link #json()} for programs, each exactly what is printed.
 */
public sealed interface EvaluationResult permits SimulatorEvaluation.Result, MovieLensEvaluation.Result,
        PlatformEvaluation.Result, LogEvaluation.Result {
    /** The report as text, ending with a line break. */
    String text();

    /** The report as JSON, ending with a line break. */
    String json();
}
