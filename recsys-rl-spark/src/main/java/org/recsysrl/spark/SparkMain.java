package org.recsysrl.spark;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.recsysrl.data.LogSpec;
import org.recsysrl.data.SplitSpec;
import org.recsysrl.eval.Estimate;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.eval.ProtocolSpec;
import org.recsysrl.spark.sweep.SparkSweep;
import org.recsysrl.util.UserInputException;

/**
 * The {@code spark-submit} entry point (docs/spark.md):
 *
 * <pre>
 * spark-submit --class org.recsysrl.spark.SparkMain recsys-rl-spark-job.jar prepare   --input LOG --output DIR [options]
 * spark-submit --class org.recsysrl.spark.SparkMain recsys-rl-spark-job.jar baselines --prepared DIR [--models popular,item-knn,als] [options]
 * spark-submit --class org.recsysrl.spark.SparkMain recsys-rl-spark-job.jar evaluate  --prepared DIR --checkpoint FILE [options]
 * spark-submit --class org.recsysrl.spark.SparkMain recsys-rl-spark-job.jar sweep     --out DIR [--grid K=v1;v2 ...] [options]
 * </pre>
 *
 * A mistake of the user (a missing file, an unknown option, a bad value) ends with one line on
 * standard error and exit code 2.
 */
public final class SparkMain {
    private static final String USAGE = String.join("\n",
            "usage: SparkMain <prepare|baselines|evaluate|sweep> [--option value ...]",
            "  prepare    --input LOG --output DIR [--format auto|csv|tsv|parquet] [--user-col C] [--item-col C]",
            "             [--time-col C] [--event-col C --event-weights view=1,buy=5] [--value-col C] [--min-value X]",
            "             [--user-core N] [--item-core N] [--repeats keep|first]",
            "             [--protocol loo|temporal|user-fraction] [--cutoff-fraction F | --cutoff-time T] [--all-targets]",
            "             [--warm-users-only] [--holdout-fraction F --min-user-interactions N]",
            "  baselines  --prepared DIR [--models popular,item-knn,als] [--knn-k 100] [--knn-shrink 10]",
            "             [--als-rank 64] [--als-iterations 10] [--als-alpha 20] [--als-reg 0.05] [evaluation options]",
            "  evaluate   --prepared DIR --checkpoint FILE [evaluation options]",
            "  sweep      --out DIR [--algo ppo|a2c] [--preset default] [--set group.field=v ...]",
            "             [--grid group.field=v1;v2 ...] [--seeds 5] [--episodes 200] [--total-timesteps N]",
            "  evaluation options: [--cutoffs 1,5,10,20] [--k 10] [--keep-known] [--bootstrap 1000] [--seed 0]",
            "                      [--task test|validation] [--results FILE.tsv]");

    private SparkMain() {
    }

    /** Runs one subcommand in the session spark-submit configured; exit code 2 on a user mistake. */
    public static void main(String[] args) {
        System.exit(runReporting(args, System.err));
    }

    /** Runs {@code args}; a user's mistake is one line on {@code err} and exit code 2, anything else is rethrown. */
    static int runReporting(String[] args, java.io.PrintStream err) {
        try {
            return run(args);
        } catch (RuntimeException e) {
            String mistake = userMistake(e);
            if (mistake == null) {
                throw e;
            }
            err.println("error: " + mistake);
            return 2;
        }
    }

    /**
     * The message of the user's mistake a job failed with, or null: a {@link UserInputException}
     * (thrown on the driver, or in a task and wrapped by Spark), or the text of a Spark
     * {@code raise_error} (a check inside a DataFrame expression).
     */
    static String userMistake(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserInputException u) {
                return u.getMessage();
            }
            if (t instanceof org.apache.spark.SparkThrowable s && "USER_RAISED_EXCEPTION".equals(s.getCondition())) {
                java.util.Map<String, String> parameters = s.getMessageParameters();
                String text = parameters.get("errorMessage");
                return text != null ? text.replaceAll("^'|'$", "") : t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** Runs {@code args}; returns the exit code. */
    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Options o = Options.parse(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "prepare" -> prepare(o);
            case "baselines" -> baselines(o);
            case "evaluate" -> evaluate(o);
            case "sweep" -> sweep(o);
            default -> throw new UserInputException("unknown subcommand " + args[0]
                    + ": use prepare, baselines, evaluate or sweep");
        }
        o.requireAllUsed();
        return 0;
    }

    private static SparkSession session() {
        return SparkJobs.session(SparkSession.builder().appName("recsys-rl-spark"));
    }

    static void prepare(Options o) {
        String input = o.required("input");
        String output = o.required("output");
        LogSpec spec = new LogSpec(LogSpec.Format.AUTO, o.text("user-col", ""), o.text("item-col", ""),
                o.text("time-col", ""), o.text("event-col", ""), o.text("value-col", ""),
                LogSpec.parseEventWeights(o.text("event-weights", "")), o.number("min-value", 0.0),
                o.integer("user-core", 0), o.integer("item-core", 0), LogSpec.Repeats.of(o.text("repeats", "keep")));
        ProtocolSpec protocol = protocol(o);
        LogPreparation.Format format = LogPreparation.Format.of(o.text("format", "auto"), input);
        o.requireAllUsed();
        long start = System.nanoTime();
        SparkSession spark = session();
        PreparedLog log = LogPreparation.prepare(spark, input, format, spec, protocol);
        log.write(output);
        System.out.printf(Locale.ROOT, "prepared %s: %,d interactions, %,d users, %,d items; %s (%s)%s; %.1f s%n", input,
                log.size(), log.userCount(), log.itemCount(), protocol.kind().id(), LogPreparation.describe(log),
                log.cutoff() == Long.MIN_VALUE ? "" : ", cutoff " + log.cutoff(), (System.nanoTime() - start) / 1e9);
        System.out.println("wrote " + output);
    }

    static ProtocolSpec protocol(Options o) {
        ProtocolSpec.Kind kind = ProtocolSpec.Kind.of(o.text("protocol", "loo"));
        SplitSpec fraction = o.has("holdout-fraction")
                ? SplitSpec.lastFraction(o.number("holdout-fraction", 0.2), o.integer("min-user-interactions", 5))
                : SplitSpec.DEFAULT;
        return new ProtocolSpec(kind, o.number("cutoff-fraction", 0.8), o.text("cutoff-time", ""), o.flag("all-targets"),
                !o.flag("warm-users-only"), fraction);
    }

    static OfflineBenchmark.Settings settings(Options o) {
        int[] cutoffs = Arrays.stream(o.text("cutoffs", "1,5,10,20").split(",")).map(String::trim)
                .mapToInt(s -> parseInt("cutoffs", s)).toArray();
        int k = o.integer("k", 10);
        int[] all = java.util.stream.IntStream.concat(Arrays.stream(cutoffs), java.util.stream.IntStream.of(k))
                .distinct().sorted().toArray();
        if (all[0] < 1) {
            throw new UserInputException("--cutoffs and --k must be >= 1");
        }
        return new OfflineBenchmark.Settings(all, k, "ndcg", !o.flag("keep-known"), o.integer("bootstrap", 1000), 0,
                o.integer("seed", 0), 1);
    }

    static void baselines(Options o) {
        String dir = o.required("prepared");
        List<String> models = List.of(o.text("models", "popular,item-knn,als").split(","));
        for (String m : models) {
            if (!List.of("popular", "item-knn", "als").contains(m.trim())) {
                throw new UserInputException("--models: unknown model " + m + " (use popular, item-knn, als)");
            }
        }
        int knnK = o.integer("knn-k", 100);
        double shrink = o.number("knn-shrink", 10);
        int rank = o.integer("als-rank", 64);
        int iterations = o.integer("als-iterations", 10);
        double alpha = o.number("als-alpha", 20);
        double reg = o.number("als-reg", 0.05);
        Evaluation run = Evaluation.of(o, dir);
        for (String m : models) {
            long start = System.nanoTime();
            ScoringModel model = switch (m.trim()) {
                case "popular" -> SparkBaselines.popularity(run.log());
                case "item-knn" -> SparkBaselines.itemKnn(run.log(), knnK, shrink);
                default -> SparkBaselines.als(run.log(), rank, iterations, alpha, reg, run.settings().seed());
            };
            run.add(model, (System.nanoTime() - start) / 1e9);
        }
    }

    static void evaluate(Options o) {
        String dir = o.required("prepared");
        java.nio.file.Path checkpoint = java.nio.file.Path.of(o.required("checkpoint"));
        Evaluation run = Evaluation.of(o, dir);
        run.add(ScoringModels.checkpoint(checkpoint, run.log().itemCount()), 0);
    }

    /**
     * {@code sweep}: the local {@code recsys-rl sweep} with one Spark task per run; the same lines,
     * table and files (written to {@code --out}, any Hadoop file system, each file atomically).
     */
    static void sweep(Options o) {
        String out = o.required("out");
        List<String> sets = new ArrayList<>(o.all("set"));
        if (o.has("total-timesteps")) {
            sets.add("train.total_timesteps=" + o.text("total-timesteps", ""));
        }
        SparkSweep.Request request = new SparkSweep.Request(o.text("algo", "ppo"), o.text("preset", "default"), sets,
                o.all("grid"), o.integer("seeds", 5), o.integer("episodes", 200));
        o.requireAllUsed();
        SparkSweep.Report report = SparkSweep.run(request, SparkMain::session, System.out::println);
        System.out.print(report.text());
        for (Map.Entry<String, String> file : report.files().entrySet()) {
            writeAtomically(out + "/" + file.getKey(), file.getValue(), "--out");
        }
        System.out.println("wrote " + out + "/" + String.join(", ", report.files().keySet()));
    }

    /** The evaluation options of {@code baselines} and {@code evaluate}, the session, the prepared log and the results table. */
    private record Evaluation(SparkSession spark, PreparedLog log, SparkEvaluation.Task task,
            OfflineBenchmark.Settings settings, Table table) {
        /** Reads the evaluation options (then refuses any option left unread) and the prepared log. */
        static Evaluation of(Options o, String dir) {
            OfflineBenchmark.Settings settings = SparkMain.settings(o);
            SparkEvaluation.Task task = SparkMain.task(o);
            Table table = new Table(o.text("results", ""));
            o.requireAllUsed();
            SparkSession spark = session();
            return new Evaluation(spark, PreparedLog.read(spark, dir), task, settings, table);
        }

        /** Evaluates {@code model} (fitted in {@code fitSeconds}) and adds its row. */
        void add(ScoringModel model, double fitSeconds) {
            table.add(model.name(), fitSeconds, SparkEvaluation.evaluate(spark, log, model, task, settings), settings);
        }
    }

    private static SparkEvaluation.Task task(Options o) {
        return switch (o.text("task", "test")) {
            case "test" -> SparkEvaluation.Task.TEST;
            case "validation" -> SparkEvaluation.Task.VALIDATION;
            default -> throw new UserInputException("--task must be test or validation (got " + o.text("task", "") + ")");
        };
    }

    private static int parseInt(String key, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UserInputException("--" + key + " expects whole numbers (got " + text + ")");
        }
    }

    /**
     * The results, printed as each model finishes and, with {@code --results}, rewritten as a
     * tab-separated file after each model (written beside, then renamed over the old one), so a
     * later failure loses nothing finished.
     */
    static final class Table {
        private final String file;
        private final List<String> rows = new ArrayList<>();
        private String header;

        Table(String file) {
            this.file = file;
        }

        void add(String name, double fitSeconds, SparkEvaluation.Result r, OfflineBenchmark.Settings s) {
            List<String> metrics = r.ranking().metrics();
            if (header == null) {
                StringBuilder h = new StringBuilder("model\tusers\tfit_s\teval_s");
                for (String m : metrics) {
                    h.append('\t').append(m).append('\t').append(m).append("_low\t").append(m).append("_high");
                }
                r.ranking().catalog().keySet().forEach(k -> h.append('\t').append(k));
                header = h.toString();
            }
            StringBuilder row = new StringBuilder(name).append('\t').append(r.ranking().userCount())
                    .append(String.format(Locale.ROOT, "\t%.1f\t%.1f", fitSeconds, r.ranking().seconds()));
            Estimate[] e = r.intervals();
            for (int m = 0; m < metrics.size(); m++) {
                row.append(String.format(Locale.ROOT, "\t%.6f\t%.6f\t%.6f", e[m].mean(), e[m].low(), e[m].high()));
            }
            r.ranking().catalog().values().forEach(v -> row.append(String.format(Locale.ROOT, "\t%.6f", v)));
            rows.add(row.toString());
            int main = metrics.indexOf("ndcg@" + s.k());
            int hr = metrics.indexOf("hr@" + s.k());
            System.out.printf(Locale.ROOT, "%-12s %,9d users  ndcg@%d %.4f [%.4f, %.4f]  hr@%d %.4f [%.4f, %.4f]"
                    + "  fit %.1f s, evaluation %.1f s%n", name, r.ranking().userCount(), s.k(), e[main].mean(),
                    e[main].low(), e[main].high(), s.k(), e[hr].mean(), e[hr].low(), e[hr].high(), fitSeconds,
                    r.ranking().seconds());
            if (!file.isEmpty()) {
                write();
            }
        }

        private void write() {
            StringBuilder text = new StringBuilder(header).append('\n');
            for (String r : rows) {
                text.append(r).append('\n');
            }
            writeAtomically(file, text.toString(), "--results");
        }
    }

    /**
     * Writes {@code text} to {@code file} (any Hadoop file system) beside it first, then renamed
     * over the old one, so a failure never leaves a torn file.
     *
     * @param option the option that named the file, for the error message
     */
    static void writeAtomically(String file, String text, String option) {
        Path target = new Path(file);
        Path partial = new Path(file + ".partial");
        try {
            FileSystem fs = target.getFileSystem(new org.apache.hadoop.conf.Configuration());
            try (FSDataOutputStream out = fs.create(partial, true);
                    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                w.write(text);
            }
            fs.delete(target, false);
            if (!fs.rename(partial, target)) {
                throw new IOException("rename of " + partial + " failed");
            }
        } catch (IOException e) {
            throw new UserInputException("cannot write " + option + " " + file + " (" + e.getMessage() + ")", e);
        }
    }

    /** {@code --name value} options and {@code --flag}s, each to be used once. */
    static final class Options {
        private static final List<String> FLAGS = List.of("all-targets", "warm-users-only", "keep-known");
        /** Options that may be given more than once, each time adding a value. */
        private static final List<String> REPEATABLE = List.of("set", "grid");
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, List<String>> repeated = new LinkedHashMap<>();
        private final java.util.Set<String> used = new java.util.HashSet<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--") || a.length() == 2) {
                    throw new UserInputException("expected an option like --input, got " + a + " (see --help)");
                }
                String name = a.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (FLAGS.contains(name)) {
                    value = "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UserInputException("--" + name + " needs a value");
                }
                if (REPEATABLE.contains(name)) {
                    o.repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else if (o.values.put(name, value) != null) {
                    throw new UserInputException("--" + name + " is given twice");
                }
            }
            return o;
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        /** Every value of a repeatable option, in the order given (empty when it was not given). */
        List<String> all(String name) {
            used.add(name);
            return List.copyOf(repeated.getOrDefault(name, List.of()));
        }

        String required(String name) {
            if (!values.containsKey(name)) {
                throw new UserInputException("--" + name + " is required (see --help)");
            }
            return text(name, "");
        }

        String text(String name, String otherwise) {
            used.add(name);
            return values.getOrDefault(name, otherwise);
        }

        boolean flag(String name) {
            return Boolean.parseBoolean(text(name, "false"));
        }

        int integer(String name, int otherwise) {
            String v = text(name, null);
            return v == null ? otherwise : parseInt(name, v);
        }

        double number(String name, double otherwise) {
            String v = text(name, null);
            if (v == null) {
                return otherwise;
            }
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new UserInputException("--" + name + " expects a number (got " + v + ")");
            }
        }

        /** Refuses options no subcommand step read (a typo would otherwise be ignored silently). */
        void requireAllUsed() {
            for (String name : java.util.stream.Stream.concat(values.keySet().stream(), repeated.keySet().stream())
                    .toList()) {
                if (!used.contains(name)) {
                    throw new UserInputException("unknown option --" + name + " for this subcommand (see --help)");
                }
            }
        }
    }
}
