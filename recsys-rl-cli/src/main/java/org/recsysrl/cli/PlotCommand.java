package org.recsysrl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.recsysrl.io.AtomicFiles;
import org.recsysrl.io.SvgChart;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code recsys-rl plot}: draws the mean learning curves of one or more sweeps' curves.csv as SVG. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw learning curves (mean over seeds per configuration) from sweep curves.csv files as SVG.")
final class PlotCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CURVES.csv", description = "curves.csv files written by sweep")
    List<Path> files;

    @Option(names = "--out", required = true, description = "the SVG file to write")
    Path out;

    @Option(names = "--title", defaultValue = "training episode return (mean over seeds)",
            description = "chart title (default: ${DEFAULT-VALUE})")
    String title;

    @Override
    public Integer call() throws IOException {
        // configuration -> step -> [sum, count]
        Map<String, TreeMap<Double, double[]>> curves = new LinkedHashMap<>();
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f);
            } catch (NoSuchFileException e) {
                throw new UserInputException("curves file " + f + " does not exist: pass the curves.csv of a sweep");
            }
            if (lines.isEmpty() || !lines.get(0).equals("configuration,seed,step,episode_return_mean")) {
                throw new UserInputException(f + " is not a sweep curves.csv (expected the header"
                        + " configuration,seed,step,episode_return_mean)");
            }
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                int close = line.lastIndexOf('"');
                String[] rest = close > 0 ? line.substring(close + 2).split(",") : new String[0];
                if (!line.startsWith("\"") || rest.length != 3) {
                    throw new UserInputException(f + " line " + (i + 1) + ": expected \"configuration\",seed,step,"
                            + "return, got: " + line);
                }
                String label = line.substring(1, close);
                double step;
                double value;
                try {
                    step = Double.parseDouble(rest[1]);
                    value = Double.parseDouble(rest[2]);
                } catch (NumberFormatException e) {
                    throw new UserInputException(f + " line " + (i + 1) + ": step and return must be numbers");
                }
                if (Double.isFinite(value)) {
                    double[] acc = curves.computeIfAbsent(label, k -> new TreeMap<>()).computeIfAbsent(step,
                            k -> new double[2]);
                    acc[0] += value;
                    acc[1]++;
                }
            }
        }
        List<SvgChart.Series> series = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Double, double[]>> e : curves.entrySet()) {
            int n = e.getValue().size();
            double[] x = new double[n];
            double[] y = new double[n];
            int k = 0;
            for (Map.Entry<Double, double[]> p : e.getValue().entrySet()) {
                x[k] = p.getKey();
                y[k++] = p.getValue()[0] / p.getValue()[1];
            }
            series.add(new SvgChart.Series(e.getKey(), x, y));
        }
        AtomicFiles.writeString(out, SvgChart.render(title, "environment steps", "episode return", series));
        System.out.println("wrote " + out + " (" + series.size() + " curves)");
        return 0;
    }
}
