package org.recsysrl.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.eval.Estimate;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.eval.OfflineBenchmark.ModelRun;
import org.recsysrl.eval.PairedComparison;
import org.recsysrl.eval.Replicates;
import org.recsysrl.eval.RankingResult;
import org.recsysrl.io.AtomicFiles;
import org.recsysrl.recommend.Hyperparameters;

/**
 * Renders an {@link OfflineBenchmark.Report} (of {@code benchmark}, and of {@code evaluate} on a
 * checkpoint trained on logs): the text table (mean ± half-width of the 95 % bootstrap interval),
 * the JSON summary, and the per-user CSV files.
 */
public final class BenchmarkReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] TABLE_METRICS = {"hr", "ndcg", "mrr", "recall", "precision"};

    private BenchmarkReport() {
    }

    /** One line naming the data. */
    public static String describeData(InteractionLog log) {
        return String.format(Locale.ROOT, "%s (%s, %,d interactions, %,d users, %,d items%s%s)",
                log.identity().path(), log.identity().layout().id(), log.size(), log.userCount(), log.itemCount(),
                log.hasTimes() ? "" : ", no times", log.ratings() ? ", ratings" : "");
    }

    /** The text report: header, the table, the paired comparisons. */
    public static String text(InteractionLog log, OfflineBenchmark.Report r) {
        OfflineBenchmark.Settings s = r.settings();
        StringBuilder sb = new StringBuilder();
        sb.append("data      ").append(describeData(log)).append('\n');
        sb.append("protocol  ").append(r.split()).append('\n');
        sb.append(String.format(Locale.ROOT,
                "ranking   full catalog (%,d items), known items %s; %,d validation users, %,d test users%s%n",
                log.itemCount(), s.excludeKnown() ? "excluded" : "kept", r.validationUsers(), r.testUsers(),
                r.droppedTargets() > 0 ? " (" + r.droppedTargets() + " test targets already known, dropped)" : ""));
        sb.append(String.format(Locale.ROOT,
                "tuning    each model's grid fitted on the training part, chosen on validation %s; "
                        + "test values: mean ± 95%% bootstrap CI half-width (%d resamples)%n%n",
                s.tuneKey(), s.bootstrap()));
        int nameWidth = 14;
        for (ModelRun m : r.models()) {
            nameWidth = Math.max(nameWidth, m.name().length());
        }
        table(sb, r, nameWidth);
        replicates(sb, r, nameWidth);
        comparisons(sb, r, nameWidth);
        sb.append(String.format(Locale.ROOT, "%nwall time %.1f s%n", r.seconds()));
        return sb.toString();
    }

    /** The table: one line per model, its chosen hyperparameters and test estimates. */
    private static void table(StringBuilder sb, OfflineBenchmark.Report r, int nameWidth) {
        int k = r.settings().k();
        boolean ild = false;
        for (ModelRun m : r.models()) {
            if (m.test() != null && m.test().indexOf("ild@" + k) >= 0) {
                ild = true;
            }
        }
        int hpWidth = 10;
        for (ModelRun m : r.models()) {
            hpWidth = Math.max(hpWidth, m.chosen().toString().length());
        }
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-" + hpWidth + "s",
                "model", "chosen"));
        for (String m : TABLE_METRICS) {
            head.append(String.format(Locale.ROOT, "  %-14s", label(m) + "@" + k));
        }
        head.append(String.format(Locale.ROOT, "  %8s  %8s  %7s", "cov@" + k, "novelty", "gini@" + k));
        if (ild) {
            head.append(String.format(Locale.ROOT, "  %6s", "ild@" + k));
        }
        head.append(String.format(Locale.ROOT, "  %7s", "fit s"));
        sb.append(head).append('\n');
        for (ModelRun m : r.models()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-" + hpWidth + "s",
                    m.name(), m.skipped() != null ? "-" : m.chosen().toString()));
            if (m.test() == null) {
                line.append("  skipped: ").append(m.skipped());
                sb.append(line).append('\n');
                continue;
            }
            row(line, m, k, ild);
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /** A tested model's estimates, after its name and hyperparameters. */
    private static void row(StringBuilder line, ModelRun m, int k, boolean ild) {
        for (String metric : TABLE_METRICS) {
            Estimate e = m.estimate(metric + "@" + k);
            line.append(String.format(Locale.ROOT, "  %-14s", String.format(Locale.ROOT, "%.4f ±%.4f", e.mean(),
                    e.halfWidth())));
        }
        Map<String, Double> cat = m.test().catalog();
        line.append(String.format(Locale.ROOT, "  %8.4f  %8.2f  %7.4f", cat.get("coverage@" + k),
                m.estimate("novelty@" + k).mean(), cat.get("gini@" + k)));
        if (ild) {
            int idx = m.test().indexOf("ild@" + k);
            line.append(idx < 0 ? String.format(Locale.ROOT, "  %6s", "n/a")
                    : String.format(Locale.ROOT, "  %6.4f", m.intervals()[idx].mean()));
        }
        line.append(String.format(Locale.ROOT, "  %7.1f", m.fitSeconds()));
    }

    /** The replicates' means (checkpoints of one model), if any. */
    private static void replicates(StringBuilder sb, OfflineBenchmark.Report r, int nameWidth) {
        OfflineBenchmark.Settings s = r.settings();
        List<Replicates.Group> groups = Replicates.of(r.models(), s.tuneKey());
        if (!groups.isEmpty()) {
            double best = r.bestBaseline() == null ? Double.NaN : r.model(r.bestBaseline()).test().mean(s.tuneKey());
            sb.append(String.format(Locale.ROOT, "%nreplicates (checkpoints of one model, e.g. seeds): mean of their test %s"
                    + " ± 95%% t-interval over the replicates%n", s.tuneKey()));
            for (Replicates.Group g : groups) {
                sb.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s n=%d  %.4f ±%.4f%s%n", g.name(), g.n(),
                        g.mean(), g.halfWidth(), Double.isNaN(best) ? "" : String.format(Locale.ROOT,
                                "  (%.2f × %s)", g.mean() / best, r.bestBaseline())));
            }
        }
    }

    /** The paired comparisons, grouped by the model compared against. */
    private static void comparisons(StringBuilder sb, OfflineBenchmark.Report r, int nameWidth) {
        OfflineBenchmark.Settings s = r.settings();
        java.util.Set<String> againsts = new java.util.LinkedHashSet<>();
        for (OfflineBenchmark.Comparison c : r.comparisons()) {
            againsts.add(c.against());
        }
        for (String against : againsts) {
            sb.append(String.format(Locale.ROOT,
                    "%npaired comparison on test %s against %s (difference of means, 95%% bootstrap CI, "
                            + "two-sided sign-flip p over %,d flips):%n", s.tuneKey(),
                    against.equals(r.bestBaseline()) ? "the best baseline, " + against : against, s.flips()));
            for (OfflineBenchmark.Comparison c : r.comparisons()) {
                if (!c.against().equals(against)) {
                    continue;
                }
                PairedComparison pc = c.result();
                sb.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s %+.4f  [%+.4f, %+.4f]  p %s%n", c.model(),
                        pc.difference().mean(), pc.difference().low(), pc.difference().high(), formatP(pc)));
            }
        }
    }

    private static String formatP(PairedComparison pc) {
        double floor = 1.0 / (pc.flips() + 1);
        if (pc.pValue() <= floor) {
            return String.format(Locale.ROOT, "< %.0e", 1.0 / pc.flips());
        }
        return String.format(Locale.ROOT, "%.4f", pc.pValue());
    }

    private static String label(String metric) {
        return switch (metric) {
            case "hr" -> "HR";
            case "ndcg" -> "NDCG";
            case "mrr" -> "MRR";
            case "recall" -> "Recall";
            case "precision" -> "Prec";
            default -> metric;
        };
    }

    /** The JSON summary: data, protocol, settings, every model's tuning and test estimates, comparisons. */
    public static ObjectNode json(InteractionLog log, OfflineBenchmark.Report r) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode data = root.putObject("data");
        data.put("path", log.identity().path());
        data.put("layout", log.identity().layout().id());
        data.put("sha256", log.identity().sha256());
        data.put("interactions", log.size());
        data.put("users", log.userCount());
        data.put("items", log.itemCount());
        data.put("has_times", log.hasTimes());
        root.put("protocol", r.split());
        OfflineBenchmark.Settings s = r.settings();
        ObjectNode settings = root.putObject("settings");
        ArrayNode cut = settings.putArray("cutoffs");
        for (int c : s.cutoffs()) {
            cut.add(c);
        }
        settings.put("k", s.k());
        settings.put("tune_metric", s.tuneKey());
        settings.put("exclude_known", s.excludeKnown());
        settings.put("bootstrap", s.bootstrap());
        settings.put("sign_flips", s.flips());
        settings.put("seed", s.seed());
        settings.put("threads", s.threads());
        root.put("validation_users", r.validationUsers());
        root.put("test_users", r.testUsers());
        root.put("dropped_test_targets", r.droppedTargets());
        ArrayNode models = root.putArray("models");
        for (ModelRun m : r.models()) {
            model(models.addObject(), m, s);
        }
        if (r.bestBaseline() != null) {
            root.put("best_baseline", r.bestBaseline());
        }
        replicates(root.putArray("replicates"), r);
        comparisons(root.putArray("comparisons"), r);
        root.put("wall_seconds", round(r.seconds()));
        return root;
    }

    /** One model: its description, tuning grid and test estimates. */
    private static void model(ObjectNode mo, ModelRun m, OfflineBenchmark.Settings s) {
        mo.put("name", m.name());
        mo.put("description", m.description());
        mo.put("baseline", m.baseline());
        if (m.skipped() != null) {
            mo.put("skipped", m.skipped());
            return;
        }
        mo.set("chosen", hyperparameters(m.chosen()));
        ArrayNode tuning = mo.putArray("tuning");
        for (OfflineBenchmark.GridPoint g : m.tuning()) {
            ObjectNode t = tuning.addObject();
            t.set("hyperparameters", hyperparameters(g.hyperparameters()));
            putNumber(t, "validation_" + s.tuneKey(), g.validation());
            t.put("fit_seconds", round(g.fitSeconds()));
            t.put("ranking_seconds", round(g.evalSeconds()));
        }
        mo.put("fit_seconds", round(m.fitSeconds()));
        mo.put("test_ranking_seconds", round(m.test().seconds()));
        ObjectNode test = mo.putObject("test");
        List<String> names = m.test().metrics();
        for (int i = 0; i < names.size(); i++) {
            Estimate e = m.intervals()[i];
            ObjectNode v = test.putObject(names.get(i));
            putNumber(v, "mean", e.mean());
            putNumber(v, "ci_low", e.low());
            putNumber(v, "ci_high", e.high());
            v.put("users", e.n());
        }
        ObjectNode catalog = mo.putObject("catalog");
        for (Map.Entry<String, Double> e : m.test().catalog().entrySet()) {
            putNumber(catalog, e.getKey(), e.getValue());
        }
    }

    private static void replicates(ArrayNode reps, OfflineBenchmark.Report r) {
        for (Replicates.Group g : Replicates.of(r.models(), r.settings().tuneKey())) {
            ObjectNode o = reps.addObject();
            o.put("model", g.name());
            o.put("metric", r.settings().tuneKey());
            o.put("n", g.n());
            o.put("mean", g.mean());
            o.put("ci_half_width", g.halfWidth());
            ArrayNode members = o.putArray("members");
            g.members().forEach(members::add);
            ArrayNode values = o.putArray("values");
            for (double v : g.values()) {
                values.add(v);
            }
        }
    }

    private static void comparisons(ArrayNode comps, OfflineBenchmark.Report r) {
        for (OfflineBenchmark.Comparison c : r.comparisons()) {
            PairedComparison pc = c.result();
            ObjectNode co = comps.addObject();
            co.put("model", c.model());
            co.put("against", c.against());
            co.put("metric", pc.metric());
            putNumber(co, "mean_model", pc.meanA());
            putNumber(co, "mean_against", pc.meanB());
            putNumber(co, "difference", pc.difference().mean());
            putNumber(co, "ci_low", pc.difference().low());
            putNumber(co, "ci_high", pc.difference().high());
            putNumber(co, "p_value", pc.pValue());
        }
    }

    private static ObjectNode hyperparameters(Hyperparameters hp) {
        ObjectNode o = JSON.createObjectNode();
        for (Map.Entry<String, Double> e : hp.values().entrySet()) {
            putNumber(o, e.getKey(), e.getValue());
        }
        return o;
    }

    /** Finite numbers as numbers; NaN and infinities as null (JSON has no such numbers). */
    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    public static String toJson(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * Writes {@code summary.json}, {@code report.txt}, {@code tuning.csv} and one
     * {@code test-users-<model>.csv} per model (raw user id, then every per-user metric) into
     * {@code dir}, each atomically.
     */
    public static void writeFiles(Path dir, InteractionLog log, OfflineBenchmark.Report r, String text)
            throws java.io.IOException {
        writeFiles(dir, log, r, text, List.of());
    }

    /**
     * The partial report's text: the finished models' table, then what is still to run (the paired
     * comparisons come with the final report).
     */
    static String partialText(InteractionLog log, OfflineBenchmark.Report soFar, List<String> stillToRun) {
        return text(log, soFar) + String.format(Locale.ROOT, "%npartial results: %d model%s finished, still to run:"
                + " %s (the paired comparisons come when every model has finished)%n", soFar.models().size(),
                soFar.models().size() == 1 ? "" : "s", String.join(", ", stillToRun));
    }

    /**
     * Writes the result files atomically, each replacing the last; with models {@code stillToRun},
     * summary.json says {@code "partial": true} and lists them.
     */
    static void writeFiles(Path dir, InteractionLog log, OfflineBenchmark.Report r, String text, List<String> stillToRun)
            throws java.io.IOException {
        ObjectNode summary = json(log, r);
        if (!stillToRun.isEmpty()) {
            summary.put("partial", true);
            ArrayNode pending = summary.putArray("still_to_run");
            stillToRun.forEach(pending::add);
        }
        AtomicFiles.write(dir.resolve("summary.json"), (toJson(summary) + "\n").getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("report.txt"), text.getBytes(StandardCharsets.UTF_8));
        StringBuilder tuning = new StringBuilder("model,hyperparameters,validation_" + r.settings().tuneKey()
                + ",fit_seconds,ranking_seconds\n");
        for (ModelRun m : r.models()) {
            for (OfflineBenchmark.GridPoint g : m.tuning()) {
                tuning.append(m.name()).append(',').append(g.hyperparameters()).append(',')
                        .append(num(g.validation())).append(',').append(num(g.fitSeconds())).append(',')
                        .append(num(g.evalSeconds())).append('\n');
            }
        }
        AtomicFiles.write(dir.resolve("tuning.csv"), tuning.toString().getBytes(StandardCharsets.UTF_8));
        for (ModelRun m : r.models()) {
            if (m.test() == null) {
                continue;
            }
            RankingResult t = m.test();
            StringBuilder csv = new StringBuilder("user");
            for (String name : t.metrics()) {
                csv.append(',').append(name);
            }
            csv.append('\n');
            int width = t.metrics().size();
            for (int u = 0; u < t.userCount(); u++) {
                csv.append(csvField(log.userIds().raw(t.users()[u])));
                for (int x = 0; x < width; x++) {
                    csv.append(',').append(num(t.values()[u * width + x]));
                }
                csv.append('\n');
            }
            AtomicFiles.write(dir.resolve("test-users-" + m.name() + ".csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String csvField(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
