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
import org.recsysrl.io.SvgChart;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code recsys-rl plot}: draws learning curves as SVG, from the training logs that {@code train}
 * writes ({@code logs/ppo.csv}: one curve of a chosen column against {@code step}) and from sweeps'
 * {@code curves.csv} (the mean over seeds per configuration).
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw learning curves as SVG from training logs (logs/ppo.csv, written by train) and from "
                + "sweep curves.csv files (mean over seeds per configuration).")
final class PlotCommand implements Callable<Integer> {
    /** The header of a sweep's curves.csv. */
    static final String SWEEP_HEADER = "configuration,seed,step,episode_return_mean";

    @Parameters(arity = "1..*", paramLabel = "FILE.csv",
            description = "training logs written by train (logs/ppo.csv) or curves.csv files written by sweep")
    List<Path> files;

    @Option(names = "--out", required = true, description = "the SVG file to write (.svg)")
    Path out;

    @Option(names = "--column", defaultValue = "ep_return_mean",
            description = "the column of a training log to draw against step (default: ${DEFAULT-VALUE})")
    String column;

    @Option(names = "--title", description = "chart title (default: what is drawn)")
    String title;

    @Override
    public Integer call() throws IOException {
        String outName = out.getFileName() == null ? "" : out.getFileName().toString();
        if (!outName.toLowerCase(java.util.Locale.ROOT).endsWith(".svg")) {
            throw new UserInputException("--out " + out + ": plot writes SVG only; name the file .svg (convert it "
                    + "afterwards if you need another format, e.g. rsvg-convert -o chart.png chart.svg)");
        }
        // configuration -> step -> [sum, count]
        Map<String, TreeMap<Double, double[]>> curves = new LinkedHashMap<>();
        boolean sweeps = false;
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f);
            } catch (NoSuchFileException e) {
                throw new UserInputException("file " + f + " does not exist: pass a training log (logs/ppo.csv) or "
                        + "the curves.csv of a sweep");
            }
            if (!lines.isEmpty() && lines.get(0).startsWith("step,")) {
                readTrainingLog(f, lines, curves);
                continue;
            }
            if (lines.isEmpty() || !lines.get(0).equals(SWEEP_HEADER)) {
                throw new UserInputException(f + " is neither a training log (a header starting with step, as train "
                        + "writes to logs/ppo.csv) nor a sweep curves.csv (header " + SWEEP_HEADER + ")");
            }
            sweeps = true;
            readSweepCurves(f, lines, curves);
        }
        List<SvgChart.Series> series = series(curves);
        boolean returns = column.equals("ep_return_mean");
        String chartTitle = title != null ? title : sweeps ? "training episode return (mean over seeds)"
                : returns ? "training episode return" : column;
        String yLabel = returns || sweeps ? "episode return" : column;
        OutputFiles.writeString(out, SvgChart.render(chartTitle, "environment steps", yLabel, series), "--out");
        System.out.println("wrote " + out + " (" + series.size() + " curves)");
        return 0;
    }

    /** Adds the curves of a sweep's curves.csv ({@code "configuration",seed,step,return}), summed per step. */
    private static void readSweepCurves(Path f, List<String> lines, Map<String, TreeMap<Double, double[]>> curves) {
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

    /** One series per curve: the mean of the values summed at each step. */
    private static List<SvgChart.Series> series(Map<String, TreeMap<Double, double[]>> curves) {
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
        return series;
    }

    /**
     * Adds the {@link #column} of a training log (header {@code step,...}) as one curve named after
     * the file ({@code logs/ppo.csv} gives {@code ppo}); NaN cells are skipped.
     */
    private void readTrainingLog(Path f, List<String> lines, Map<String, TreeMap<Double, double[]>> curves) {
        List<String> header = List.of(lines.get(0).split(",", -1));
        int c = header.indexOf(column);
        if (c < 0) {
            throw new UserInputException("--column " + column + ": " + f + " has no such column (its columns: "
                    + String.join(", ", header.subList(1, header.size())) + "); pass another --column, or a training "
                    + "log written by train or a sweep curves.csv");
        }
        String name = f.getFileName().toString();
        String label = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        if (curves.containsKey(label)) {
            label = f.toString();
        }
        TreeMap<Double, double[]> curve = curves.computeIfAbsent(label, k -> new TreeMap<>());
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (lines.get(i).isBlank()) {
                continue;
            }
            if (cells.length != header.size()) {
                throw new UserInputException(f + " line " + (i + 1) + ": expected " + header.size() + " values as in "
                        + "the header, got " + cells.length + ": fix or remove the line");
            }
            double step;
            double value;
            try {
                step = Double.parseDouble(cells[0]);
                value = Double.parseDouble(cells[c]);
            } catch (NumberFormatException e) {
                throw new UserInputException(f + " line " + (i + 1) + ": step and " + column + " must be numbers");
            }
            if (Double.isFinite(value)) {
                double[] acc = curve.computeIfAbsent(step, k -> new double[2]);
                acc[0] += value;
                acc[1]++;
            }
        }
    }
}
