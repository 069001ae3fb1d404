/**
 * Distributed sweeps: the runs of a {@code sweep} (every configuration of a grid over its seeds)
 * executed as Spark tasks, one training run per task, reported exactly as the local
 * {@code recsys-rl sweep} reports them. Unlike the rest of the module, this package trains, so it
 * uses the core's training and reporting packages (docs/spark.md, docs/architecture.md).
 */
package org.recsysrl.spark.sweep;
