package org.recsysrl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.AtomicFiles;
import org.recsysrl.io.SvgChart;
import org.recsysrl.ope.sim.Exploration;
import org.recsysrl.ope.sim.OpeValidation;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recsys-rl ope-validate}: off-policy estimates against the simulator's ground truth
 * ({@link OpeValidation}), as tables of relative error per estimator and log size, and optionally
 * an SVG plot of the median relative error against the log size.
 */
@Command(name = "ope-validate", mixinStandardHelpOptions = true,
        description = "Check off-policy estimators against a platform environment's ground truth: independent logs"
                + " per size, every target with every estimator, relative error median and 90th percentile.")
final class OpeValidateCommand implements Callable<Integer> {
    static final int MAX_ROUNDS = 1_000_000;

    @Option(names = "--env", required = true, description = "a platform environment (on a slate platform such as"
            + " interest-evolution: the one-step slate estimators iips, rips, pi, sips, sdr, cascade-dr)")
    String env;

    @Option(names = "--env-seed", description = "catalogue and users (default: the default env.seed)")
    Long envSeed;

    @Option(names = "--policy", defaultValue = "myopic", description = "the logging policy (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--explore", defaultValue = "epsilon=0.3",
            description = "the logging policy's exploration (default: ${DEFAULT-VALUE})")
    String explore;

    @Option(names = "--target", description = "a target policy NAME or NAME@EXPLORATION, repeatable (default:"
            + " myopic@epsilon=0.1, myopic@epsilon=0.5, random)")
    List<String> targets;

    @Option(names = "--sizes", defaultValue = "1000,10000", split = ",",
            description = "logged rounds per log (default: ${DEFAULT-VALUE})")
    int[] sizes;

    @Option(names = "--datasets", defaultValue = "20", description = "independent logs per size (default: ${DEFAULT-VALUE})")
    int datasets;

    @Option(names = "--gamma", defaultValue = "0.9", description = "discount of the multi-step value (default:"
            + " ${DEFAULT-VALUE})")
    double gamma;

    @Option(names = "--ridge", defaultValue = "1.0", description = "ridge of the value model's per-item part"
            + " (default: ${DEFAULT-VALUE})")
    double ridge;

    @Option(names = "--clip", description = "also run the clipped multi-step estimators cpdis and cdr, every"
            + " cumulative weight clipped at this value")
    Double clip;

    @Option(names = "--folds", defaultValue = "2", description = "cross-fitting folds of the value model, 1 for none"
            + " (default: ${DEFAULT-VALUE})")
    int folds;

    @Option(names = "--truth-episodes", defaultValue = "20000",
            description = "episodes per target for the multi-step truth (default: ${DEFAULT-VALUE})")
    int truthEpisodes;

    @Option(names = "--truth-rounds", defaultValue = "50000",
            description = "states per target for the one-step truth (default: ${DEFAULT-VALUE})")
    int truthRounds;

    @Option(names = "--resamples", defaultValue = "100", description = "bootstrap resamples per estimate (default:"
            + " ${DEFAULT-VALUE})")
    int resamples;

    @Option(names = "--seed", defaultValue = "0", description = "master seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--clip-auto", description = "also run cdr-auto, the clipped multi-step DR whose clip is chosen"
            + " from the data (the candidate with the smallest estimated MSE against DR)")
    boolean clipAuto;

    @Option(names = "--other-reward-models", description = "also one-step DR with the ope command's reward models on"
            + " the logged context (no item features): dr-ridge, and dr-logistic (rewards scaled to [0, 1] by the log's"
            + " range)")
    boolean otherRewardModels;

    @Option(names = "--item-features", paramLabel = "SPEC", description = "also the marginalized one-step estimators"
            + " mips and mdr over this item embedding (repeatable): the platform's item features joined by +, a"
            + " numeric one cut into B bins of equally many items with NAME:B (short-video: topic, length;"
            + " e-commerce: category, price; education: skill, level; any: item), e.g. topic or topic+length:2")
    List<String> itemFeatures = new ArrayList<>();

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Option(names = "--plot", description = "write an SVG of the median relative error against the log size")
    Path plot;

    @Option(names = "--plot-estimators", defaultValue = "dr", split = ",",
            description = "estimators drawn by --plot, one line per target and form (default: ${DEFAULT-VALUE})")
    List<String> plotEstimators;

    @Option(names = "--from-json", arity = "1..*", description = "instead of running, read the results of earlier --json runs (of one"
            + " environment; repeatable, e.g. a run of larger sizes) and print or plot them together")
    List<Path> fromJson;

    @Override
    public Integer call() throws IOException {
        if (fromJson != null && !fromJson.isEmpty()) {
            OpeValidation.Result merged = read(fromJson);
            if (!merged.settings().platform().equals(env)) {
                throw new UserInputException("--from-json holds results of " + merged.settings().platform() + ", not "
                        + env + ": pass --env " + merged.settings().platform());
            }
            report(merged);
            return 0;
        }
        check(sizes.length > 0, "--sizes: give at least one size");
        for (int s : sizes) {
            check(s >= 1 && s <= MAX_ROUNDS, "--sizes: every size must be in [1, " + MAX_ROUNDS + "] (got " + s + ")");
        }
        check(datasets >= 1 && datasets <= 1000, "--datasets must be in [1, 1000] (got " + datasets + ")");
        check(gamma >= 0 && gamma < 1, "--gamma must be in [0, 1) (got " + gamma + ")");
        check(ridge > 0 && Double.isFinite(ridge), "--ridge must be a positive number (got " + ridge + ")");
        check(clip == null || clip > 0 && Double.isFinite(clip), "--clip must be a positive number (got " + clip + ")");
        check(folds >= 1 && folds <= 20, "--folds must be in [1, 20] (got " + folds + ")");
        check(truthEpisodes >= 1 && truthEpisodes <= 10_000_000, "--truth-episodes must be in [1, 10000000]");
        check(truthRounds >= 1 && truthRounds <= 10_000_000, "--truth-rounds must be in [1, 10000000]");
        check(resamples >= 0 && resamples <= 10_000, "--resamples must be in [0, 10000]");
        List<String> t = targets == null || targets.isEmpty()
                ? List.of("myopic@epsilon=0.1", "myopic@epsilon=0.5", "random") : targets;
        long es = envSeed != null ? envSeed : RunConfig.defaults().env().seed();
        OpeValidation.Settings settings = new OpeValidation.Settings(env, es, policy,
                Exploration.parse(explore, "--explore"), t, sizes, datasets, gamma, ridge, folds, truthEpisodes, truthRounds,
                resamples, seed, clip == null ? Double.POSITIVE_INFINITY : clip, clipAuto);
        OpeValidation.Result r = OpeValidation.run(settings, otherRewardModels, itemFeatures, line -> {
            System.err.println(line);
        });
        report(r);
        return 0;
    }

    private void report(OpeValidation.Result r) throws IOException {
        System.out.print(json ? json(r) : OpeValidation.text(r));
        if (plot != null) {
            AtomicFiles.writeString(plot, plot(r, plotEstimators));
            System.err.println("wrote " + plot);
        }
    }

    /** The results of {@code --json} files, cells of every file in order (one environment). */
    static OpeValidation.Result read(List<Path> files) throws IOException {
        ObjectMapper m = new ObjectMapper();
        List<OpeValidation.Truth> truths = new ArrayList<>();
        List<OpeValidation.Cell> cells = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String env = null;
        String logger = null;
        long envSeed = 0;
        int datasets = 0;
        double gamma = 0;
        for (Path f : files) {
            com.fasterxml.jackson.databind.JsonNode root = readResult(m, f);
            String e = root.get("environment").asText();
            if (env != null && !env.equals(e)) {
                throw new UserInputException("--from-json " + f + " is of " + e + ", the first file of " + env
                        + ": merge the results of one environment");
            }
            env = e;
            logger = root.path("logging_policy").asText();
            envSeed = root.path("env_seed").asLong();
            datasets = Math.max(datasets, root.path("datasets").asInt());
            gamma = root.path("gamma").asDouble();
            root.path("warnings").forEach(w -> warnings.add(w.asText()));
            for (com.fasterxml.jackson.databind.JsonNode t : root.get("truths")) {
                String name = t.path("target").asText();
                if (truths.stream().noneMatch(x -> x.target().equals(name))) {
                    truths.add(new OpeValidation.Truth(name, new org.recsysrl.ope.sim.GroundTruth.Value(
                            t.path("one_step").asDouble(), t.path("one_step_se").asDouble(), 0),
                            new org.recsysrl.ope.sim.GroundTruth.Value(t.path("multi_step").asDouble(),
                                    t.path("multi_step_se").asDouble(), 0)));
                }
            }
            for (com.fasterxml.jackson.databind.JsonNode c : root.get("results")) {
                cells.add(cell(c, f));
            }
        }
        OpeValidation.Settings s = new OpeValidation.Settings(env, envSeed, "", Exploration.NONE, List.of(),
                new int[0], datasets, gamma, 0, 0, 0, 0, 0, 0);
        return new OpeValidation.Result(s, logger, truths, cells, warnings.stream().distinct().toList());
    }

    /** The JSON of one {@code --from-json} file, after checking it is a result of ope-validate --json. */
    private static com.fasterxml.jackson.databind.JsonNode readResult(ObjectMapper m, Path f) throws IOException {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = m.readTree(f.toFile());
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new UserInputException("--from-json " + f + " does not exist: pass a file written by"
                    + " ope-validate --json");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserInputException("--from-json " + f + " is not JSON: pass a file written by ope-validate"
                    + " --json");
        }
        if (root == null || !root.has("results") || !root.has("environment") || !root.has("truths")) {
            throw new UserInputException("--from-json " + f + " is not a result of ope-validate --json");
        }
        return root;
    }

    /** One cell of a result's "results" array (file {@code f}, for the messages). */
    private static OpeValidation.Cell cell(com.fasterxml.jackson.databind.JsonNode c, Path f) {
        double[] errs = new double[c.path("relative_errors").size()];
        for (int i = 0; i < errs.length; i++) {
            errs[i] = c.path("relative_errors").get(i).asDouble();
        }
        if (errs.length == 0) {
            throw new UserInputException("--from-json " + f + ": a result without relative_errors");
        }
        double[] signed = new double[errs.length];
        for (int i = 0; i < errs.length; i++) {
            com.fasterxml.jackson.databind.JsonNode v = c.path("signed_relative_errors").get(i);
            signed[i] = v == null ? Double.NaN : v.asDouble();
        }
        return new OpeValidation.Cell(c.path("target").asText(), c.path("form").asText(),
                c.path("estimator").asText(), c.path("rounds").asInt(), errs,
                (int) Math.round(c.path("coverage").asDouble() * errs.length), c.path("mean_ess").asDouble(),
                c.path("mean_units").asDouble(), signed);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new UserInputException(message);
        }
    }

    /** Median relative error (%) against log10(rounds), one line per target, form and estimator of {@code estimators}. */
    static String plot(OpeValidation.Result r, List<String> estimators) {
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        List<OpeValidation.Cell> sorted = new ArrayList<>(r.cells());
        sorted.sort(java.util.Comparator.comparingInt(OpeValidation.Cell::size));
        for (OpeValidation.Cell c : sorted) {
            if (!estimators.contains(c.estimator())) {
                continue;
            }
            lines.computeIfAbsent(c.target() + " " + c.form() + " " + c.estimator(), k -> new ArrayList<>())
                    .add(new double[] {Math.log10(c.size()), 100 * c.median()});
        }
        List<SvgChart.Series> series = new ArrayList<>();
        for (Map.Entry<String, List<double[]>> e : lines.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
            series.add(new SvgChart.Series(e.getKey(), x, y));
        }
        return SvgChart.render(r.settings().platform() + ": off-policy estimates vs ground truth",
                "log10 logged rounds", "median relative error (%)", series);
    }

    static String json(OpeValidation.Result r) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        OpeValidation.Settings s = r.settings();
        root.put("environment", s.platform());
        root.put("env_seed", s.envSeed());
        root.put("logging_policy", r.loggerName());
        root.put("datasets", s.datasets());
        root.put("gamma", s.gamma());
        if (Double.isFinite(s.weightClip())) {
            root.put("weight_clip", s.weightClip());
        }
        ArrayNode w = root.putArray("warnings");
        r.warnings().forEach(w::add);
        ArrayNode truths = root.putArray("truths");
        for (OpeValidation.Truth t : r.truths()) {
            ObjectNode o = truths.addObject();
            o.put("target", t.target());
            o.put("one_step", t.oneStep().mean());
            o.put("one_step_se", t.oneStep().standardError());
            o.put("multi_step", t.multiStep().mean());
            o.put("multi_step_se", t.multiStep().standardError());
        }
        ArrayNode cells = root.putArray("results");
        for (OpeValidation.Cell c : r.cells()) {
            ObjectNode o = cells.addObject();
            o.put("target", c.target());
            o.put("form", c.form());
            o.put("estimator", c.estimator());
            o.put("rounds", c.size());
            o.put("median_relative_error", c.median());
            o.put("p90_relative_error", c.p90());
            o.put("coverage", (double) c.covered() / c.relativeErrors().length);
            o.put("mean_ess", c.meanEss());
            o.put("mean_units", c.meanUnits());
            ArrayNode errs = o.putArray("relative_errors");
            Arrays.stream(c.relativeErrors()).forEach(errs::add);
            if (Arrays.stream(c.signedErrors()).noneMatch(Double::isNaN)) {
                o.put("median_signed_relative_error", c.medianSigned());
                ArrayNode signed = o.putArray("signed_relative_errors");
                Arrays.stream(c.signedErrors()).forEach(signed::add);
            }
        }
        return m.writeValueAsString(root) + System.lineSeparator();
    }
}
