package org.recsysrl.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.train.Sweep;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.PlatformWorkload;
import org.recsysrl.workload.Workload;

/**
 * {@code sweep}: expands the grid into configurations, runs every configuration over the seeds,
 * and reports them the way their workload is compared (the simulator's personalisation score, or a
 * platform's return and engagement figures against its references).
 */
public final class Sweeps {
    private Sweeps() {
    }

    /**
     * Runs the sweep; {@code lines} receives the header and one line per finished run.
     *
     * @throws UserInputException for a grid that is malformed or mixes environments
     * @throws InterruptedException when interrupted while the runs go on
     */
    public static SweepResult run(SweepOptions o, Consumer<String> lines) throws InterruptedException {
        return run(o, Sweep.Runner.threads(o.threads()), lines);
    }

    /**
     * Runs the sweep with {@code runner} executing its runs (the report is made here, on the
     * caller's side); {@code lines} receives the header and one line per finished run.
     *
     * @throws UserInputException for a grid that is malformed or mixes environments
     * @throws InterruptedException when interrupted while the runs go on
     */
    public static SweepResult run(SweepOptions o, Sweep.Runner runner, Consumer<String> lines)
            throws InterruptedException {
        Map<String, RunConfig> configs = new LinkedHashMap<>();
        expand(o, o.base(), 0, "", configs);
        List<Sweep.Job> jobs = new ArrayList<>();
        for (Map.Entry<String, RunConfig> e : configs.entrySet()) {
            for (long s = 1; s <= o.seeds(); s++) {
                RunConfig c = ConfigJson.withOverride(e.getValue(), "train.seed=" + s);
                jobs.add(new Sweep.Job(e.getKey(), o.algo(), c, s));
            }
        }
        lines.accept(String.format(Locale.ROOT, "sweep: %s, %d configuration(s) x %d seeds, %d steps each,"
                + " %d threads", o.algo(), configs.size(), o.seeds(), o.base().train().totalTimesteps(), o.threads()));
        Workload workload = Workload.of(o.base());
        if (workload instanceof PlatformWorkload platform) {
            for (RunConfig c : configs.values()) {
                if (!Workload.of(c).name().equals(workload.name()) || c.env().seed() != o.base().env().seed()) {
                    throw new UserInputException("--grid: every configuration of a sweep on " + workload.name()
                            + " must keep env.type and env.seed, so that they are compared on the same users");
                }
            }
            return PlatformSweep.run(o, runner, platform, configs, jobs, lines);
        }
        for (RunConfig c : configs.values()) {
            String other = Workload.of(c).name();
            if (!other.equals(workload.name())) {
                throw new UserInputException("--grid: a sweep runs on one environment, but its configurations use "
                        + workload.name() + " and " + other + ": choose it with --set env.type=" + other
                        + " and run one sweep per environment");
            }
        }
        return SimulatorSweep.run(o, runner, configs, jobs, lines);
    }

    private static void expand(SweepOptions o, RunConfig cfg, int k, String label, Map<String, RunConfig> out) {
        if (k == o.grid().size()) {
            out.put(label.isEmpty() ? o.baseLabel() : label.trim(), cfg);
            return;
        }
        String g = o.grid().get(k);
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
            expand(o, next, k + 1, label + " " + key + "=" + v, out);
        }
    }
}
