package org.recsysrl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.Presets;
import org.recsysrl.config.RunConfig;
import org.recsysrl.eval.EvaluationReport;
import org.recsysrl.io.SvgChart;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.PlatformWorkload;
import org.recsysrl.workload.Platforms;
import org.recsysrl.workload.Workload;
import org.recsysrl.train.Sweep;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recsys-rl sweep}: one configuration (or a grid of them) over several seeds, evaluated. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Train a configuration (or every combination of --grid values) over several seeds on"
                + " the simulator, evaluate each run against the reference policies, and print mean ± std of"
                + " the personalisation score P and the return per configuration. Runs are independent and"
                + " deterministic per seed; they share the cores."})
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--algo", defaultValue = "ppo", description = "ppo or a2c (default: ${DEFAULT-VALUE})")
    String algo;

    @Option(names = "--preset", defaultValue = "default", description = "starting settings (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--set", paramLabel = "group.field=value", description = "a setting for every run (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--grid", paramLabel = "group.field=v1;v2",
            description = "values to sweep, separated by ';' (repeatable: every combination is run)")
    List<String> grid = new ArrayList<>();

    @Option(names = "--seeds", defaultValue = "5", description = "seeds 1..N per configuration (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--total-timesteps", description = "steps per run (train.total_timesteps)")
    Long totalTimesteps;

    @Option(names = "--episodes", defaultValue = "200", description = "evaluation episodes per policy (default: ${DEFAULT-VALUE})")
    int episodes;

    @Option(names = "--threads", description = "runs in parallel (default: the number of cores)")
    Integer threads;

    @Option(names = "--out", defaultValue = "sweep", description = "directory of runs.csv, summary.csv, curves.csv"
            + " and curves.svg (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        Algorithm.actorCritic(algo);
        if (seeds <= 0 || episodes <= 0 || (threads != null && threads <= 0)) {
            throw new UserInputException("--seeds, --episodes and --threads must be positive");
        }
        RunConfig base = Presets.get(preset);
        List<String> sets = new ArrayList<>(overrides);
        if (totalTimesteps != null) {
            sets.add("train.total_timesteps=" + totalTimesteps);
        }
        base = Platforms.withSettings(base, sets, System.out::println);
        Map<String, RunConfig> configs = new LinkedHashMap<>();
        expand(base, 0, "", configs);
        List<Sweep.Job> jobs = new ArrayList<>();
        for (Map.Entry<String, RunConfig> e : configs.entrySet()) {
            for (long s = 1; s <= seeds; s++) {
                RunConfig c = ConfigJson.withOverride(e.getValue(), "train.seed=" + s);
                jobs.add(new Sweep.Job(e.getKey(), algo, c, s));
            }
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        System.out.println(String.format(Locale.ROOT, "sweep: %s, %d configuration(s) x %d seeds, %d steps each,"
                + " %d threads", algo, configs.size(), seeds, base.train().totalTimesteps(), t));
        Workload workload = Workload.of(base);
        if (workload instanceof PlatformWorkload) {
            for (RunConfig c : configs.values()) {
                if (!Workload.of(c).name().equals(workload.name()) || c.env().seed() != base.env().seed()) {
                    throw new UserInputException("--grid: every configuration of a sweep on " + workload.name()
                            + " must keep env.type and env.seed, so that they are compared on the same users");
                }
            }
            PlatformSweep.run(this, base, configs, jobs, t);
            return 0;
        }
        for (RunConfig c : configs.values()) {
            String other = Workload.of(c).name();
            if (!other.equals(workload.name())) {
                throw new UserInputException("--grid: a sweep runs on one environment, but its configurations use "
                        + workload.name() + " and " + other + ": choose it with --set env.type=" + other
                        + " and run one sweep per environment");
            }
        }
        List<Sweep.Outcome> outcomes = Sweep.run(jobs, t, episodes, 0, o -> System.out.println(String.format(Locale.ROOT,
                "  %-40s seed %d: P %.3f (sampled %.3f), return %.2f, %.1f s", o.job().label(), o.job().seed(),
                o.personalisation(), o.sampledPersonalisation(), o.argmax().summaries().get(0).total(), o.seconds())));
        String table = table(configs.keySet(), outcomes);
        System.out.println();
        System.out.print(table);
        write(configs.keySet(), outcomes);
        System.out.println("wrote " + out.resolve("runs.csv") + ", summary.csv, curves.csv, curves.svg");
        return 0;
    }

    private void expand(RunConfig cfg, int k, String label, Map<String, RunConfig> out) {
        if (k == grid.size()) {
            out.put(label.isEmpty() ? preset : label.trim(), cfg);
            return;
        }
        String g = grid.get(k);
        int eq = g.indexOf('=');
        if (eq <= 0 || eq == g.length() - 1) {
            throw new UserInputException("--grid " + g + " is not of the form group.field=v1;v2");
        }
        String key = g.substring(0, eq);
        String[] values = g.substring(eq + 1).split(";"); // a trailing ';' is tolerated, as it always was
        for (String v : values.length == 0 ? new String[] {""} : values) {
            if (v.isBlank()) {
                throw new UserInputException("--grid " + g + ": an empty value between ';': give the values of " + key
                        + " separated by ';', for example " + key + "=v1;v2");
            }
        }
        for (String v : values) {
            RunConfig next;
            try {
                next = ConfigJson.withOverride(cfg, key + "=" + v);
            } catch (UserInputException e) {
                // the setting's own message, said of the --grid that gave it (not of a --set)
                String why = e.getMessage().startsWith("--set ") ? e.getMessage().substring(6) : e.getMessage();
                throw new UserInputException("--grid " + g + ": " + why, e);
            }
            expand(next, k + 1, label + " " + key + "=" + v, out);
        }
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

    private static List<Double> pick(List<Sweep.Outcome> os, java.util.function.ToDoubleFunction<Sweep.Outcome> f) {
        List<Double> v = new ArrayList<>();
        for (Sweep.Outcome o : os) {
            v.add(f.applyAsDouble(o));
        }
        return v;
    }

    private static List<Sweep.Outcome> of(List<Sweep.Outcome> all, String label) {
        return all.stream().filter(o -> o.job().label().equals(label)).toList();
    }

    private String table(Iterable<String> labels, List<Sweep.Outcome> outcomes) {
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

    private void write(Iterable<String> labels, List<Sweep.Outcome> outcomes) throws Exception {
        StringBuilder runs = new StringBuilder("configuration,algo,seed,steps,train_seconds,p_argmax,p_sampled,"
                + "return_argmax,return_sampled,return_random,return_best_constant,return_oracle\n");
        StringBuilder curves = new StringBuilder("configuration,seed,step,episode_return_mean\n");
        for (Sweep.Outcome o : outcomes) {
            EvaluationReport a = o.argmax();
            runs.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%d,%.3f,%.5f,%.5f,%.5f,%.5f,%.5f,%.5f,%.5f%n",
                    o.job().label(), o.job().algo(), o.job().seed(), o.steps(), o.seconds(), o.personalisation(),
                    o.sampledPersonalisation(), a.summaries().get(0).total(), o.sampled().summaries().get(0).total(),
                    a.summary("random").total(), a.summary("best-constant").total(), a.summary("greedy-oracle").total()));
            for (double[] p : o.curve()) {
                curves.append(String.format(Locale.ROOT, "\"%s\",%d,%.0f,%.5f%n", o.job().label(), o.job().seed(), p[0],
                        p[1]));
            }
        }
        StringBuilder summary = new StringBuilder("configuration,seeds,p_argmax_mean,p_argmax_std,p_sampled_mean,"
                + "p_sampled_std,return_mean,return_std,train_seconds_mean\n");
        List<SvgChart.Series> series = new ArrayList<>();
        for (String label : labels) {
            List<Sweep.Outcome> os = of(outcomes, label);
            double[] pa = stats(pick(os, Sweep.Outcome::personalisation));
            double[] ps = stats(pick(os, Sweep.Outcome::sampledPersonalisation));
            double[] r = stats(pick(os, o -> o.argmax().summaries().get(0).total()));
            summary.append(String.format(Locale.ROOT, "\"%s\",%d,%.5f,%.5f,%.5f,%.5f,%.5f,%.5f,%.3f%n", label, os.size(),
                    pa[0], pa[1], ps[0], ps[1], r[0], r[1], stats(pick(os, Sweep.Outcome::seconds))[0]));
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
        OutputFiles.writeString(out.resolve("runs.csv"), runs.toString(), "--out");
        OutputFiles.writeString(out.resolve("summary.csv"), summary.toString(), "--out");
        OutputFiles.writeString(out.resolve("curves.csv"), curves.toString(), "--out");
        OutputFiles.writeString(out.resolve("curves.svg"), SvgChart.render(algo.toUpperCase(Locale.ROOT)
                + ": training episode return (mean over seeds)", "environment steps", "episode return", series), "--out");
    }
}
