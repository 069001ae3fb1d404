package org.recsysrl.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.recsysrl.config.RunConfig;
import org.recsysrl.eval.EvaluationReport;
import org.recsysrl.io.SvgChart;
import org.recsysrl.train.Sweep;

/**
 * {@code sweep} on the simulator (or MovieLens): every run's agent against the reference
 * policies, then per configuration the mean ± std over the seeds of the personalisation score P
 * (argmax and sampled) and of the return. Files: runs.csv, summary.csv, curves.csv, curves.svg.
 */
public final class SimulatorSweep {
    private SimulatorSweep() {
    }

    /**
     * The runs of a sweep.
     *
     * @param algo the algorithm's name
     * @param labels the configurations, in order
     * @param outcomes every run
     */
    public record Result(String algo, List<String> labels, List<Sweep.Outcome> outcomes) implements SweepResult {
        /** Copies the lists. */
        public Result {
            labels = List.copyOf(labels);
            outcomes = List.copyOf(outcomes);
        }

        @Override
        public String text() {
            return System.lineSeparator() + table(labels, outcomes);
        }

        @Override
        public Map<String, String> files() {
            Map<String, String> files = new LinkedHashMap<>();
            files.put("runs.csv", runsCsv(outcomes));
            files.put("summary.csv", summaryCsv(labels, outcomes));
            files.put("curves.csv", curvesCsv(outcomes));
            files.put("curves.svg", SvgChart.render(algo.toUpperCase(Locale.ROOT)
                    + ": training episode return (mean over seeds)", "environment steps", "episode return",
                    curves(labels, outcomes)));
            return files;
        }
    }

    static Result run(SweepOptions o, Sweep.Runner runner, Map<String, RunConfig> configs, List<Sweep.Job> jobs,
            Consumer<String> lines) throws InterruptedException {
        List<Sweep.Outcome> outcomes = runner.run(jobs, o.episodes(), 0, out -> lines.accept(String.format(
                Locale.ROOT, "  %-40s seed %d: P %.3f (sampled %.3f), return %.2f, %.1f s", out.job().label(),
                out.job().seed(), out.personalisation(), out.sampledPersonalisation(),
                out.argmax().summaries().get(0).total(), out.seconds())));
        return new Result(o.algo(), new ArrayList<>(configs.keySet()), outcomes);
    }

    private static double[] stats(List<Double> v) {
        double m = 0;
        for (double x : v) {
            m += x;
        }
        m /= v.size();
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return new double[] {m, v.size() > 1 ? Math.sqrt(s / (v.size() - 1)) : 0};
    }

    private static String pm(List<Double> v, String fmt) {
        double[] s = stats(v);
        return String.format(Locale.ROOT, fmt + " ± " + fmt, s[0], s[1]);
    }

    private static List<Double> pick(List<Sweep.Outcome> os, ToDoubleFunction<Sweep.Outcome> f) {
        List<Double> v = new ArrayList<>();
        for (Sweep.Outcome o : os) {
            v.add(f.applyAsDouble(o));
        }
        return v;
    }

    private static List<Sweep.Outcome> of(List<Sweep.Outcome> all, String label) {
        return all.stream().filter(o -> o.job().label().equals(label)).toList();
    }

    static String table(List<String> labels, List<Sweep.Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-40s %6s %16s %16s %16s %9s%n", "configuration", "seeds", "P (argmax)",
                "P (sampled)", "return", "train s"));
        for (String label : labels) {
            List<Sweep.Outcome> os = of(outcomes, label);
            sb.append(String.format(Locale.ROOT, "%-40s %6d %16s %16s %16s %9.1f%n", label, os.size(),
                    pm(pick(os, Sweep.Outcome::personalisation), "%.3f"),
                    pm(pick(os, Sweep.Outcome::sampledPersonalisation), "%.3f"),
                    pm(pick(os, o -> o.argmax().summaries().get(0).total()), "%.2f"),
                    stats(pick(os, Sweep.Outcome::seconds))[0]));
        }
        Sweep.Outcome any = outcomes.get(0);
        sb.append(String.format(Locale.ROOT, "references on the same users: random %.2f, best-constant %.2f,"
                + " greedy-oracle %.2f (return)%n", any.argmax().summary("random").total(),
                any.argmax().summary("best-constant").total(), any.argmax().summary("greedy-oracle").total()));
        return sb.toString();
    }

    private static String runsCsv(List<Sweep.Outcome> outcomes) {
        StringBuilder runs = new StringBuilder("configuration,algo,seed,steps,train_seconds,p_argmax,p_sampled,"
                + "return_argmax,return_sampled,return_random,return_best_constant,return_oracle\n");
        for (Sweep.Outcome o : outcomes) {
            EvaluationReport a = o.argmax();
            runs.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%d,%.3f,%.5f,%.5f,%.5f,%.5f,%.5f,%.5f,%.5f%n",
                    o.job().label(), o.job().algo(), o.job().seed(), o.steps(), o.seconds(), o.personalisation(),
                    o.sampledPersonalisation(), a.summaries().get(0).total(), o.sampled().summaries().get(0).total(),
                    a.summary("random").total(), a.summary("best-constant").total(), a.summary("greedy-oracle").total()));
        }
        return runs.toString();
    }

    /** Every run's training curve, one row per logged point (shared with the platform sweep). */
    static String curvesCsv(List<Sweep.Outcome> outcomes) {
        StringBuilder curves = new StringBuilder("configuration,seed,step,episode_return_mean\n");
        for (Sweep.Outcome o : outcomes) {
            for (double[] p : o.curve()) {
                curves.append(String.format(Locale.ROOT, "\"%s\",%d,%.0f,%.5f%n", o.job().label(), o.job().seed(), p[0],
                        p[1]));
            }
        }
        return curves.toString();
    }

    private static String summaryCsv(List<String> labels, List<Sweep.Outcome> outcomes) {
        StringBuilder summary = new StringBuilder("configuration,seeds,p_argmax_mean,p_argmax_std,p_sampled_mean,"
                + "p_sampled_std,return_mean,return_std,train_seconds_mean\n");
        for (String label : labels) {
            List<Sweep.Outcome> os = of(outcomes, label);
            double[] pa = stats(pick(os, Sweep.Outcome::personalisation));
            double[] ps = stats(pick(os, Sweep.Outcome::sampledPersonalisation));
            double[] r = stats(pick(os, o -> o.argmax().summaries().get(0).total()));
            summary.append(String.format(Locale.ROOT, "\"%s\",%d,%.5f,%.5f,%.5f,%.5f,%.5f,%.5f,%.3f%n", label, os.size(),
                    pa[0], pa[1], ps[0], ps[1], r[0], r[1], stats(pick(os, Sweep.Outcome::seconds))[0]));
        }
        return summary.toString();
    }

    /** Per configuration, the mean over seeds of the training curve (points where a seed has none skipped). */
    private static List<SvgChart.Series> curves(List<String> labels, List<Sweep.Outcome> outcomes) {
        List<SvgChart.Series> series = new ArrayList<>();
        for (String label : labels) {
            List<Sweep.Outcome> os = of(outcomes, label);
            int n = os.get(0).curve().size();
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = os.get(0).curve().get(i)[0];
                double s = 0;
                int c = 0;
                for (Sweep.Outcome o : os) {
                    if (i < o.curve().size() && Double.isFinite(o.curve().get(i)[1])) {
                        s += o.curve().get(i)[1];
                        c++;
                    }
                }
                y[i] = c == 0 ? Double.NaN : s / c;
            }
            series.add(new SvgChart.Series(label, x, y));
        }
        return series;
    }
}
