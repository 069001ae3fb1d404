package org.recsysrl.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal line chart rendered as standalone SVG text: one polyline per series, axes with tick
 * labels, a title and a legend. Enough for learning curves; no dependencies.
 */
public final class SvgChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int PLOT_W = 490;
    private static final int H = 440;
    private static final int LEFT = 70;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    /** One line: its legend label and its points (x, y); NaN y values are skipped. */
    public record Series(String label, double[] x, double[] y) {
    }

    private SvgChart() {
    }

    /** The chart as SVG. */
    public static String render(String title, String xLabel, String yLabel, List<Series> series) {
        double[] extent = extent(series);
        double xMin = extent[0];
        double xMax = extent[1];
        double yMin = extent[2];
        double yMax = extent[3];
        xMin = Math.min(xMin, 0);
        if (yMin > 0) {
            yMin = 0;
        }
        double[] yTicks = ticks(yMin, yMax);
        double[] xTicks = ticks(xMin, xMax);
        yMin = yTicks[0];
        yMax = yTicks[yTicks.length - 1];
        xMax = xTicks[xTicks.length - 1];
        int longest = 0;
        for (Series s : series) {
            longest = Math.max(longest, s.label().length());
        }
        int right = Math.max(200, 50 + 7 * longest);
        int width = LEFT + PLOT_W + right;
        double pw = PLOT_W;
        double ph = H - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", width, H, width, H));
        sb.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, H));
        sb.append(f("<text x=\"%d\" y=\"22\" font-size=\"15\" text-anchor=\"middle\">%s</text>%n", LEFT + (int) pw / 2,
                escape(title)));
        for (double t : yTicks) {
            double y = TOP + ph - (t - yMin) / (yMax - yMin) * ph;
            sb.append(f("<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, LEFT + pw, y, y));
            sb.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, label(t)));
        }
        for (double t : xTicks) {
            double x = LEFT + (t - xMin) / (xMax - xMin) * pw;
            sb.append(f("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", x, x, TOP, TOP + ph));
            sb.append(f("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n", x, TOP + ph + 18, label(t)));
        }
        sb.append(f("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#333\"/>%n", LEFT, TOP,
                pw, ph));
        sb.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + pw / 2, H - 10,
                escape(xLabel)));
        sb.append(f("<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%s</text>%n",
                TOP + ph / 2, TOP + ph / 2, escape(yLabel)));
        for (int k = 0; k < series.size(); k++) {
            drawSeries(sb, series.get(k), k, new double[] {xMin, xMax, yMin, yMax}, pw, ph);
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** {xMin, xMax, yMin, yMax} over the finite points of every series; the unit square when there are none. */
    private static double[] extent(List<Series> series) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.y()[i])) {
                    xMin = Math.min(xMin, s.x()[i]);
                    xMax = Math.max(xMax, s.x()[i]);
                    yMin = Math.min(yMin, s.y()[i]);
                    yMax = Math.max(yMax, s.y()[i]);
                }
            }
        }
        return Double.isFinite(xMin) ? new double[] {xMin, xMax, yMin, yMax} : new double[] {0, 1, 0, 1};
    }

    /** Series {@code k} as a polyline (axes {@code box} = {xMin, xMax, yMin, yMax}) and its legend entry. */
    private static void drawSeries(StringBuilder sb, Series s, int k, double[] box, double pw, double ph) {
        double xMin = box[0];
        double xMax = box[1];
        double yMin = box[2];
        double yMax = box[3];
        String colour = COLOURS[k % COLOURS.length];
        List<String> pts = new ArrayList<>();
        for (int i = 0; i < s.x().length; i++) {
            if (Double.isFinite(s.y()[i])) {
                double x = LEFT + (s.x()[i] - xMin) / (xMax - xMin) * pw;
                double y = TOP + ph - (s.y()[i] - yMin) / (yMax - yMin) * ph;
                pts.add(f("%.1f,%.1f", x, y));
            }
        }
        sb.append(f("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"%s\"/>%n", colour,
                String.join(" ", pts)));
        double ly = TOP + 10 + k * 18;
        sb.append(f("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                LEFT + pw + 12, LEFT + pw + 32, ly, ly, colour));
        sb.append(f("<text x=\"%.1f\" y=\"%.1f\">%s</text>%n", LEFT + pw + 38, ly + 4, escape(s.label())));
    }

    /** About five round tick values covering [lo, hi]. */
    static double[] ticks(double lo, double hi) {
        if (hi <= lo) {
            hi = lo + 1;
        }
        double raw = (hi - lo) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        double start = Math.floor(lo / step) * step;
        double end = Math.ceil(hi / step) * step;
        int n = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = start + i * step;
        }
        return t;
    }

    private static String label(double v) {
        if (Math.abs(v) >= 1000) {
            return f("%.0fk", v / 1000);
        }
        return Math.abs(v - Math.rint(v)) < 1e-9 ? f("%.0f", v) : f("%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
