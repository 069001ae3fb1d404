package org.recsysrl.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.recsysrl.agent.Policy;
import org.recsysrl.config.RunConfig;
import org.recsysrl.eval.Estimate;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.eval.Replicates;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.Setup;
import org.recsysrl.train.Sweep;
import org.recsysrl.workload.PlatformWorkload;

/**
 * {@code sweep} on a platform environment: every run's agent (argmax) on the same evaluation users,
 * then per configuration the mean ± 95 % t-interval over the seeds of the return, its change
 * against the platform's baseline, and the engagement figures; the reference policies once, on the
 * same users. Files: runs.csv, summary.csv, references.csv and curves.csv.
 */
public final class PlatformSweep {
    private static final long EVAL_SEED = 0;

    private PlatformSweep() {
    }

    /**
     * The runs of a sweep on a platform, and its reference policies on the same users.
     *
     * @param platform the platform
     * @param users evaluation users per policy
     * @param labels the configurations, in order
     * @param outcomes every run
     * @param references the reference policies' rows
     */
    public record Result(Platform platform, int users, List<String> labels, List<Sweep.Outcome> outcomes,
            List<PlatformComparison.Row> references) implements SweepResult {
        /** Copies the lists. */
        public Result {
            labels = List.copyOf(labels);
            outcomes = List.copyOf(outcomes);
            references = List.copyOf(references);
        }

        /** The baseline reference's mean return, which the other returns are given relative to. */
        double baseline() {
            return references.stream().filter(r -> r.policy().equals(platform.baseline())).findFirst().orElseThrow()
                    .episodeReturn().mean();
        }

        @Override
        public String text() {
            return table(this);
        }

        @Override
        public Map<String, String> files() {
            Map<String, String> files = new LinkedHashMap<>();
            files.put("runs.csv", runsCsv(this));
            files.put("summary.csv", summaryCsv(this));
            files.put("references.csv", referencesCsv(this));
            files.put("curves.csv", SimulatorSweep.curvesCsv(outcomes));
            return files;
        }
    }

    static Result run(SweepOptions o, Sweep.Runner runner, PlatformWorkload workload, Map<String, RunConfig> configs,
            List<Sweep.Job> jobs, Consumer<String> lines) throws InterruptedException {
        Platform platform = workload.platform();
        List<Sweep.Outcome> outcomes = runner.run(jobs, o.episodes(), EVAL_SEED, out -> lines.accept(
                String.format(Locale.ROOT, "  %-40s seed %d: return %.2f, %.1f s", out.job().label(), out.job().seed(),
                        out.platform().episodeReturn().mean(), out.seconds())));
        Setup setup = workload.setup(null);
        List<Policy> references = platform.references(setup, o.base().env().seed(), EVAL_SEED);
        List<PlatformComparison.Row> refRows = PlatformComparison.run(setup.newEnv(), references,
                PlatformComparison.users(o.episodes(), setup.userCount(), EVAL_SEED), EVAL_SEED, platform.figures());
        return new Result(platform, o.episodes(), new ArrayList<>(configs.keySet()), outcomes, refRows);
    }

    private static String table(Result r) {
        Platform platform = r.platform();
        double baseline = r.baseline();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n%s, %d users; agents: mean ± 95%% t-interval over seeds%n%-40s %5s %18s %12s", platform.name(),
                r.users(), "configuration", "seeds", "return", "vs " + platform.baseline()));
        for (String f : platform.figures().names()) {
            table.append(String.format(Locale.ROOT, " %16s", f));
        }
        table.append(String.format(Locale.ROOT, " %8s%n", "train s"));
        for (String label : r.labels()) {
            List<Sweep.Outcome> os = of(r, label);
            Estimate ret = overSeeds(os, -1);
            table.append(String.format(Locale.ROOT, "%-40s %5d %18s %+11.1f%%", label, os.size(),
                    String.format(Locale.ROOT, "%.2f ± %.2f", ret.mean(), ret.halfWidth()),
                    100 * (ret.mean() / baseline - 1)));
            for (int j = 0; j < platform.figures().names().size(); j++) {
                table.append(String.format(Locale.ROOT, " %16.2f", overSeeds(os, j).mean()));
            }
            table.append(String.format(Locale.ROOT, " %8.1f%n", seconds(os)));
        }
        table.append(String.format(Locale.ROOT, "%nreference policies on the same users: mean ± 95%% interval over users%n"));
        for (PlatformComparison.Row ref : r.references()) {
            table.append(String.format(Locale.ROOT, "%-40s %5s %18s %+11.1f%%", ref.policy(), "",
                    String.format(Locale.ROOT, "%.2f ± %.2f", ref.episodeReturn().mean(), ref.episodeReturn().halfWidth()),
                    100 * (ref.episodeReturn().mean() / baseline - 1)));
            for (Estimate e : ref.figures()) {
                table.append(String.format(Locale.ROOT, " %16.2f", e.mean()));
            }
            table.append('\n');
        }
        return table.toString();
    }

    private static String summaryCsv(Result r) {
        double baseline = r.baseline();
        List<String> figures = r.platform().figures().names();
        StringBuilder summary = new StringBuilder("configuration,seeds,return_mean,return_ci,vs_baseline");
        for (String f : figures) {
            summary.append(',').append(f.replace(' ', '_')).append("_mean");
        }
        summary.append(",train_seconds_mean\n");
        for (String label : r.labels()) {
            List<Sweep.Outcome> os = of(r, label);
            Estimate ret = overSeeds(os, -1);
            summary.append(String.format(Locale.ROOT, "\"%s\",%d,%.5f,%.5f,%.5f", label, os.size(), ret.mean(),
                    ret.halfWidth(), ret.mean() / baseline - 1));
            for (int j = 0; j < figures.size(); j++) {
                summary.append(String.format(Locale.ROOT, ",%.5f", overSeeds(os, j).mean()));
            }
            summary.append(String.format(Locale.ROOT, ",%.3f%n", seconds(os)));
        }
        return summary.toString();
    }

    private static String referencesCsv(Result r) {
        double baseline = r.baseline();
        StringBuilder refCsv = new StringBuilder("policy,return_mean,return_ci,vs_baseline");
        for (String f : r.platform().figures().names()) {
            refCsv.append(',').append(f.replace(' ', '_')).append("_mean");
        }
        refCsv.append('\n');
        for (PlatformComparison.Row ref : r.references()) {
            refCsv.append(String.format(Locale.ROOT, "%s,%.5f,%.5f,%.5f", ref.policy(), ref.episodeReturn().mean(),
                    ref.episodeReturn().halfWidth(), ref.episodeReturn().mean() / baseline - 1));
            for (Estimate e : ref.figures()) {
                refCsv.append(String.format(Locale.ROOT, ",%.5f", e.mean()));
            }
            refCsv.append('\n');
        }
        return refCsv.toString();
    }

    private static String runsCsv(Result r) {
        StringBuilder runs = new StringBuilder("configuration,algo,seed,steps,train_seconds,return");
        for (String f : r.platform().figures().names()) {
            runs.append(',').append(f.replace(' ', '_'));
        }
        runs.append('\n');
        for (Sweep.Outcome o : r.outcomes()) {
            runs.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%d,%.3f,%.5f", o.job().label(), o.job().algo(),
                    o.job().seed(), o.steps(), o.seconds(), o.platform().episodeReturn().mean()));
            for (Estimate e : o.platform().figures()) {
                runs.append(String.format(Locale.ROOT, ",%.5f", e.mean()));
            }
            runs.append('\n');
        }
        return runs.toString();
    }

    private static List<Sweep.Outcome> of(Result r, String label) {
        return r.outcomes().stream().filter(o -> o.job().label().equals(label)).toList();
    }

    private static double seconds(List<Sweep.Outcome> os) {
        return os.stream().mapToDouble(Sweep.Outcome::seconds).average().orElse(0);
    }

    /** Mean ± 95 % t-interval over the runs of the return ({@code figure} −1) or of a figure. */
    private static Estimate overSeeds(List<Sweep.Outcome> os, int figure) {
        double[] v = new double[os.size()];
        for (int i = 0; i < v.length; i++) {
            PlatformComparison.Row r = os.get(i).platform();
            v[i] = figure < 0 ? r.episodeReturn().mean() : r.figures().get(figure).mean();
        }
        return PlatformComparison.interval(v, v.length > 1 ? Replicates.t975(v.length - 1) : 0);
    }
}
