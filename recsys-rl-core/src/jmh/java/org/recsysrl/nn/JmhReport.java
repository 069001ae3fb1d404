package org.recsysrl.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH result file ({@code -rf json -rff FILE}) of these benchmarks into a Markdown table:
 * one line per benchmark and parameter set, baseline and active backend side by side, with the
 * speed-up and a derived rate (GFLOP/s for the matrix products; ns per element or GB/s for the
 * rest). Usage: {@code java -cp target/benchmarks.jar org.recsysrl.nn.JmhReport jmh.json}.
 */
public final class JmhReport {
    private JmhReport() {
    }

    /** One measured configuration. */
    private record Row(String benchmark, Map<String, String> params, double score, double error, String unit) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JmhReport RESULT.json");
            System.exit(2);
        }
        JsonNode root = new ObjectMapper().readTree(new File(args[0]));
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : root) {
            String bench = r.get("benchmark").asText();
            bench = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
            Map<String, String> params = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : r.path("params").properties()) {
                params.put(e.getKey(), e.getValue().asText());
            }
            JsonNode m = r.get("primaryMetric");
            double err = m.path("scoreError").asDouble(Double.NaN);
            rows.add(new Row(bench, params, m.get("score").asDouble(), err, m.get("scoreUnit").asText()));
        }
        // pair each active row with the scalar row of the same benchmark and other parameters
        Map<String, Row[]> pairs = new LinkedHashMap<>();
        for (Row r : rows) {
            Map<String, String> other = new LinkedHashMap<>(r.params());
            String backend = other.remove("backend");
            String key = r.benchmark() + " " + other;
            Row[] pair = pairs.computeIfAbsent(key, k -> new Row[2]);
            // no backend parameter (Adam.step, the copy baseline): runs on whatever Kernels chose
            pair["scalar".equals(backend) ? 0 : 1] = r;
        }
        System.out.println("| benchmark | shape | scalar | active | speed-up | derived (active; scalar) |");
        System.out.println("|---|---|---:|---:|---:|---|");
        for (Row[] pair : pairs.values()) {
            Row any = pair[1] != null ? pair[1] : pair[0];
            Map<String, String> p = new LinkedHashMap<>(any.params());
            p.remove("backend");
            String scalar = pair[0] == null ? "—" : fmt(pair[0]);
            String active = pair[1] == null ? "" : fmt(pair[1]);
            String speedup = pair[0] != null && pair[1] != null
                    ? String.format(Locale.ROOT, "%.1f×", pair[0].score() / pair[1].score())
                    : "";
            String derived = derived(pair[1]);
            if (pair[0] != null && pair[1] != null && !derived.isEmpty()) {
                derived += "; " + derived(pair[0]);
            } else if (derived.isEmpty()) {
                derived = derived(pair[0]);
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", any.benchmark(), shape(p), scalar, active,
                    speedup, derived);
        }
    }

    private static String fmt(Row r) {
        String err = Double.isNaN(r.error()) ? "" : String.format(Locale.ROOT, " ± %s", num(r.error()));
        return num(r.score()) + err + " " + r.unit();
    }

    private static String num(double x) {
        return x >= 100 ? String.format(Locale.ROOT, "%.0f", x)
                : x >= 10 ? String.format(Locale.ROOT, "%.1f", x) : String.format(Locale.ROOT, "%.2f", x);
    }

    private static String shape(Map<String, String> p) {
        if (p.containsKey("shape")) {
            return p.get("shape").replace("x", "→") + ", batch " + p.get("batch");
        }
        if (p.containsKey("items")) {
            return p.get("rows") + " × " + p.get("items");
        }
        return p.containsKey("n") ? "n = " + p.get("n") : "";
    }

    /** A rate derived from the time per operation (µs/op). */
    private static String derived(Row r) {
        if (r == null || !r.unit().equals("us/op")) {
            return "";
        }
        double us = r.score();
        Map<String, String> p = r.params();
        String name = r.benchmark().substring(r.benchmark().indexOf('.') + 1);
        if (p.containsKey("shape")) {
            String[] io = p.get("shape").split("x");
            double flop = 2.0 * Integer.parseInt(p.get("batch")) * Integer.parseInt(io[0]) * Integer.parseInt(io[1]);
            return String.format(Locale.ROOT, "%.1f GFLOP/s", flop / (us * 1e3));
        }
        if (p.containsKey("items")) {
            double n = Double.parseDouble(p.get("rows")) * Double.parseDouble(p.get("items"));
            return String.format(Locale.ROOT, "%.2f ns/logit", us * 1e3 / n);
        }
        if (p.containsKey("n")) {
            double n = Double.parseDouble(p.get("n"));
            if (name.startsWith("adam")) {
                return String.format(Locale.ROOT, "%.1f GB/s", 28.0 * n / (us * 1e3));
            }
            if (name.equals("globalNorm")) {
                return String.format(Locale.ROOT, "%.1f GFLOP/s", 2.0 * n / (us * 1e3));
            }
            return String.format(Locale.ROOT, "%.2f ns/element", us * 1e3 / n);
        }
        return "";
    }
}
