package org.recsysrl.spark.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.eval.EvaluationReport;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.train.Sweep;

/**
 * Runs a sweep's jobs as Spark tasks, one job per task (one partition each), so a cluster trains
 * as many runs at once as it has task slots. A run is single-threaded and depends only on its
 * settings and seed, so each outcome equals the local sweep's for the same job: the settings
 * travel as their complete JSON and are read back over the defaults, and the outcome comes back
 * by Java serialization.
 *
 * <p>The executors run the same code as the driver: ship the job jar with {@code spark-submit}.
 * Runs that read a file ({@code data.path}) need that path on every executor.
 */
public final class SparkSweepRunner implements Sweep.Runner {
    private final JavaSparkContext context;

    /** A runner on {@code spark}'s cluster. */
    public SparkSweepRunner(SparkSession spark) {
        this.context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    /** One run as it travels to an executor. */
    record RemoteJob(int index, String label, String algo, String settingsJson, long seed, int episodes,
            long evalSeed) implements Serializable {
    }

    /** One run's outcome as it travels back: {@link Sweep.Outcome} without its job. */
    record RemoteOutcome(int index, long steps, double seconds, EvaluationReport argmax, EvaluationReport sampled,
            ArrayList<double[]> curve, PlatformComparison.Row platform) implements Serializable {
    }

    @Override
    public List<Sweep.Outcome> run(List<Sweep.Job> jobs, int episodes, long evalSeed, Consumer<Sweep.Outcome> onDone) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        List<RemoteJob> remote = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            Sweep.Job job = jobs.get(i);
            remote.add(new RemoteJob(i, job.label(), job.algo(), ConfigJson.toCompactJson(job.config()), job.seed(),
                    episodes, evalSeed));
        }
        context.setJobDescription("recsys-rl sweep: " + jobs.size() + " runs");
        List<RemoteOutcome> back = context.parallelize(remote, remote.size()).map(SparkSweepRunner::runRemote)
                .collect();
        List<Sweep.Outcome> outcomes = new ArrayList<>();
        for (RemoteOutcome r : back) {
            Sweep.Outcome o = new Sweep.Outcome(jobs.get(r.index()), r.steps(), r.seconds(), r.argmax(), r.sampled(),
                    r.curve(), r.platform());
            outcomes.add(o);
            onDone.accept(o);
        }
        return outcomes;
    }

    /** Trains and evaluates one run on an executor. */
    static RemoteOutcome runRemote(RemoteJob job) {
        RunConfig settings = ConfigJson.merge(RunConfig.defaults(), job.settingsJson(),
                "the settings of sweep run " + job.label() + " seed " + job.seed());
        Sweep.Outcome o = Sweep.runOne(new Sweep.Job(job.label(), job.algo(), settings, job.seed()), job.episodes(),
                job.evalSeed());
        return new RemoteOutcome(job.index(), o.steps(), o.seconds(), o.argmax(), o.sampled(),
                new ArrayList<>(o.curve()), o.platform());
    }
}
