package org.recsysrl.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.recsysrl.agent.Policy;
import org.recsysrl.config.RunConfig;
import org.recsysrl.eval.Estimate;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.eval.Replicates;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.Setup;
import org.recsysrl.train.Sweep;
import org.recsysrl.workload.PlatformWorkload;
import org.recsysrl.workload.Workload;

/**
 * {@code sweep} on a platform environment: every run's agent (argmax) on the same evaluation users,
 * then per configuration the mean ± 95 % t-interval over the seeds of the return, its change
 * against the platform's baseline, and the engagement figures; the reference policies once, on the
 * same users. Writes runs.csv, summary.csv, references.csv and curves.csv.
 */
final class PlatformSweep {
    private static final long EVAL_SEED = 0;

    private PlatformSweep() {
    }

    static void run(SweepCommand cmd, RunConfig base, Map<String, RunConfig> configs, List<Sweep.Job> jobs,
            int threads) throws Exception {
        PlatformWorkload workload = (PlatformWorkload) Workload.of(base);
        Platform platform = workload.platform();
        List<String> figures = platform.figures().names();
        List<Sweep.Outcome> outcomes = Sweep.run(jobs, threads, cmd.episodes, EVAL_SEED, o -> System.out.println(
                String.format(Locale.ROOT, "  %-40s seed %d: return %.2f, %.1f s", o.job().label(), o.job().seed(),
                        o.platform().episodeReturn().mean(), o.seconds())));
        Setup setup = workload.setup(null);
        List<Policy> references = platform.references(setup, base.env().seed(), EVAL_SEED);
        List<PlatformComparison.Row> refRows = PlatformComparison.run(setup.newEnv(), references,
                PlatformComparison.users(cmd.episodes, setup.userCount(), EVAL_SEED), EVAL_SEED, platform.figures());
        double baseline = refRows.stream().filter(r -> r.policy().equals(platform.baseline())).findFirst()
                .orElseThrow().episodeReturn().mean();

        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n%s, %d users; agents: mean ± 95%% t-interval over seeds%n%-40s %5s %18s %12s", platform.name(),
                cmd.episodes, "configuration", "seeds", "return", "vs " + platform.baseline()));
        for (String f : figures) {
            table.append(String.format(Locale.ROOT, " %16s", f));
        }
        table.append(String.format(Locale.ROOT, " %8s%n", "train s"));
        StringBuilder summary = new StringBuilder("configuration,seeds,return_mean,return_ci,vs_baseline");
        for (String f : figures) {
            summary.append(',').append(f.replace(' ', '_')).append("_mean");
        }
        summary.append(",train_seconds_mean\n");
        for (String label : configs.keySet()) {
            List<Sweep.Outcome> os = outcomes.stream().filter(o -> o.job().label().equals(label)).toList();
            Estimate ret = overSeeds(os, -1);
            table.append(String.format(Locale.ROOT, "%-40s %5d %18s %+11.1f%%", label, os.size(),
                    String.format(Locale.ROOT, "%.2f ± %.2f", ret.mean(), ret.halfWidth()),
                    100 * (ret.mean() / baseline - 1)));
            summary.append(String.format(Locale.ROOT, "\"%s\",%d,%.5f,%.5f,%.5f", label, os.size(), ret.mean(),
                    ret.halfWidth(), ret.mean() / baseline - 1));
            for (int j = 0; j < figures.size(); j++) {
                double m = overSeeds(os, j).mean();
                table.append(String.format(Locale.ROOT, " %16.2f", m));
                summary.append(String.format(Locale.ROOT, ",%.5f", m));
            }
            double secs = os.stream().mapToDouble(Sweep.Outcome::seconds).average().orElse(0);
            table.append(String.format(Locale.ROOT, " %8.1f%n", secs));
            summary.append(String.format(Locale.ROOT, ",%.3f%n", secs));
        }
        table.append(String.format(Locale.ROOT, "%nreference policies on the same users: mean ± 95%% interval over users%n"));
        StringBuilder refCsv = new StringBuilder("policy,return_mean,return_ci,vs_baseline");
        for (String f : figures) {
            refCsv.append(',').append(f.replace(' ', '_')).append("_mean");
        }
        refCsv.append('\n');
        for (PlatformComparison.Row r : refRows) {
            table.append(String.format(Locale.ROOT, "%-40s %5s %18s %+11.1f%%", r.policy(), "",
                    String.format(Locale.ROOT, "%.2f ± %.2f", r.episodeReturn().mean(), r.episodeReturn().halfWidth()),
                    100 * (r.episodeReturn().mean() / baseline - 1)));
            refCsv.append(String.format(Locale.ROOT, "%s,%.5f,%.5f,%.5f", r.policy(), r.episodeReturn().mean(),
                    r.episodeReturn().halfWidth(), r.episodeReturn().mean() / baseline - 1));
            for (Estimate e : r.figures()) {
                table.append(String.format(Locale.ROOT, " %16.2f", e.mean()));
                refCsv.append(String.format(Locale.ROOT, ",%.5f", e.mean()));
            }
            table.append('\n');
            refCsv.append('\n');
        }
        System.out.print(table);

        StringBuilder runs = new StringBuilder("configuration,algo,seed,steps,train_seconds,return");
        for (String f : figures) {
            runs.append(',').append(f.replace(' ', '_'));
        }
        runs.append('\n');
        StringBuilder curves = new StringBuilder("configuration,seed,step,episode_return_mean\n");
        for (Sweep.Outcome o : outcomes) {
            runs.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%d,%.3f,%.5f", o.job().label(), o.job().algo(),
                    o.job().seed(), o.steps(), o.seconds(), o.platform().episodeReturn().mean()));
            for (Estimate e : o.platform().figures()) {
                runs.append(String.format(Locale.ROOT, ",%.5f", e.mean()));
            }
            runs.append('\n');
            for (double[] p : o.curve()) {
                curves.append(String.format(Locale.ROOT, "\"%s\",%d,%.0f,%.5f%n", o.job().label(), o.job().seed(), p[0],
                        p[1]));
            }
        }
        OutputFiles.writeString(cmd.out.resolve("runs.csv"), runs.toString(), "--out");
        OutputFiles.writeString(cmd.out.resolve("summary.csv"), summary.toString(), "--out");
        OutputFiles.writeString(cmd.out.resolve("references.csv"), refCsv.toString(), "--out");
        OutputFiles.writeString(cmd.out.resolve("curves.csv"), curves.toString(), "--out");
        System.out.println("wrote " + cmd.out.resolve("runs.csv") + ", summary.csv, references.csv, curves.csv");
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
