package org.recsysrl.eval;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recsysrl.recommend.Hyperparameters;

/**
 * A finished {@link OfflineBenchmark.ModelRun} as bytes and back, exactly (every per-user value,
 * interval and timing), for the baseline cache: a compact binary form, since a run over 100,000
 * test users holds millions of values.
 */
public final class ModelRunCodec {
    /** Changes whenever the layout below changes; a file with another number is not read. */
    static final int FORMAT = 1;

    private ModelRunCodec() {
    }

    /** Writes {@code run}. */
    public static void write(OfflineBenchmark.ModelRun run, DataOutput out) throws IOException {
        out.writeInt(FORMAT);
        out.writeUTF(run.name());
        out.writeUTF(run.description());
        out.writeBoolean(run.baseline());
        writeHp(run.chosen(), out);
        out.writeInt(run.tuning().size());
        for (OfflineBenchmark.GridPoint g : run.tuning()) {
            writeHp(g.hyperparameters(), out);
            out.writeDouble(g.validation());
            out.writeDouble(g.fitSeconds());
            out.writeDouble(g.evalSeconds());
        }
        writeResult(run.validation(), out);
        writeResult(run.test(), out);
        out.writeInt(run.intervals() == null ? -1 : run.intervals().length);
        if (run.intervals() != null) {
            for (Estimate e : run.intervals()) {
                out.writeDouble(e.mean());
                out.writeDouble(e.low());
                out.writeDouble(e.high());
                out.writeInt(e.n());
            }
        }
        out.writeDouble(run.fitSeconds());
        out.writeBoolean(run.skipped() != null);
        if (run.skipped() != null) {
            out.writeUTF(run.skipped());
        }
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @throws IOException if the bytes are not such a run (another format, truncated)
     */
    public static OfflineBenchmark.ModelRun read(DataInput in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("format " + format + ", expected " + FORMAT);
        }
        String name = in.readUTF();
        String description = in.readUTF();
        boolean baseline = in.readBoolean();
        Hyperparameters chosen = readHp(in);
        int points = count(in.readInt(), 1 << 20);
        List<OfflineBenchmark.GridPoint> tuning = new ArrayList<>();
        for (int p = 0; p < points; p++) {
            tuning.add(new OfflineBenchmark.GridPoint(readHp(in), in.readDouble(), in.readDouble(), in.readDouble()));
        }
        RankingResult validation = readResult(in);
        RankingResult test = readResult(in);
        int n = in.readInt();
        Estimate[] intervals = null;
        if (n >= 0) {
            intervals = new Estimate[count(n, 1 << 20)];
            for (int i = 0; i < n; i++) {
                intervals[i] = new Estimate(in.readDouble(), in.readDouble(), in.readDouble(), in.readInt());
            }
        }
        double fitSeconds = in.readDouble();
        String skipped = in.readBoolean() ? in.readUTF() : null;
        return new OfflineBenchmark.ModelRun(name, description, baseline, chosen, tuning, validation, test, intervals,
                fitSeconds, skipped);
    }

    private static int count(int n, int max) throws IOException {
        if (n < 0 || n > max) {
            throw new IOException("implausible count " + n);
        }
        return n;
    }

    private static void writeHp(Hyperparameters hp, DataOutput out) throws IOException {
        out.writeInt(hp.values().size());
        for (Map.Entry<String, Double> e : hp.values().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue());
        }
    }

    private static Hyperparameters readHp(DataInput in) throws IOException {
        int n = count(in.readInt(), 1000);
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(in.readUTF(), in.readDouble());
        }
        return n == 0 ? Hyperparameters.NONE : new Hyperparameters(m);
    }

    private static void writeResult(RankingResult r, DataOutput out) throws IOException {
        out.writeBoolean(r != null);
        if (r == null) {
            return;
        }
        out.writeUTF(r.model());
        out.writeInt(r.users().length);
        for (int u : r.users()) {
            out.writeInt(u);
        }
        out.writeInt(r.metrics().size());
        for (String m : r.metrics()) {
            out.writeUTF(m);
        }
        out.writeInt(r.values().length);
        for (double v : r.values()) {
            out.writeDouble(v);
        }
        out.writeInt(r.catalog().size());
        for (Map.Entry<String, Double> e : r.catalog().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue());
        }
        out.writeDouble(r.seconds());
    }

    private static RankingResult readResult(DataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String model = in.readUTF();
        int[] users = new int[count(in.readInt(), Integer.MAX_VALUE - 8)];
        for (int i = 0; i < users.length; i++) {
            users[i] = in.readInt();
        }
        List<String> metrics = new ArrayList<>();
        int m = count(in.readInt(), 10_000);
        for (int i = 0; i < m; i++) {
            metrics.add(in.readUTF());
        }
        double[] values = new double[count(in.readInt(), Integer.MAX_VALUE - 8)];
        if (values.length != (long) users.length * m) {
            throw new IOException("values do not match users × metrics");
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        Map<String, Double> catalog = new LinkedHashMap<>();
        int c = count(in.readInt(), 10_000);
        for (int i = 0; i < c; i++) {
            catalog.put(in.readUTF(), in.readDouble());
        }
        return new RankingResult(model, users, List.copyOf(metrics), values, catalog, in.readDouble());
    }
}
