package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recsysrl.recommend.Hyperparameters;

/** The baseline cache's binary form of a finished run: every field back exactly, and damaged bytes refused. */
class ModelRunCodecTest {

    private static RankingResult result(String model, double seconds) {
        Map<String, Double> catalog = new LinkedHashMap<>();
        catalog.put("coverage@10", 0.25);
        catalog.put("gini@10", 0.75);
        return new RankingResult(model, new int[] {4, 9, 2}, List.of("hr@10", "ndcg@10"),
                new double[] {1, 0.5, 0, 0, 1, Double.NaN}, catalog, seconds);
    }

    private static OfflineBenchmark.ModelRun fullRun() {
        List<OfflineBenchmark.GridPoint> tuning = List.of(
                new OfflineBenchmark.GridPoint(Hyperparameters.of("k", 5, "shrink", 10), 0.125, 1.5, 0.25),
                new OfflineBenchmark.GridPoint(Hyperparameters.of("k", 50, "shrink", 0), Double.NaN, 2.5, 0.75));
        Estimate[] intervals = {new Estimate(0.5, 0.25, 0.75, 3), new Estimate(0.3, 0.1, 0.6, 2)};
        return new OfflineBenchmark.ModelRun("item-knn", "item-based kNN", true, Hyperparameters.of("k", 5, "shrink", 10),
                tuning, result("item-knn", 0.5), result("item-knn", 0.625), intervals, 4.25, null);
    }

    private static byte[] bytes(OfflineBenchmark.ModelRun run) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ModelRunCodec.write(run, new DataOutputStream(b));
        return b.toByteArray();
    }

    private static OfflineBenchmark.ModelRun read(byte[] bytes) throws IOException {
        return ModelRunCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void aFinishedRunComesBackFieldByField() throws IOException {
        OfflineBenchmark.ModelRun run = fullRun();
        OfflineBenchmark.ModelRun back = read(bytes(run));
        assertThat(back.name()).isEqualTo("item-knn");
        assertThat(back.description()).isEqualTo("item-based kNN");
        assertThat(back.baseline()).isTrue();
        assertThat(back.chosen()).isEqualTo(run.chosen());
        assertThat(back.tuning()).isEqualTo(run.tuning());
        assertThat(back.validation()).isEqualTo(run.validation());
        assertThat(back.validation().seconds()).isEqualTo(0.5);
        assertThat(back.test()).isEqualTo(run.test());
        assertThat(back.test().seconds()).isEqualTo(0.625);
        assertThat(back.test().users()).containsExactly(4, 9, 2);
        assertThat(back.test().catalog()).containsExactly(Map.entry("coverage@10", 0.25), Map.entry("gini@10", 0.75));
        assertThat(back.intervals()).containsExactly(run.intervals());
        assertThat(back.fitSeconds()).isEqualTo(4.25);
        assertThat(back.skipped()).isNull();
        // and its bytes again are the same bytes
        assertThat(bytes(back)).containsExactly(bytes(run));
    }

    @Test
    void aSkippedRunKeepsItsReasonAndItsMissingParts() throws IOException {
        OfflineBenchmark.ModelRun skipped = new OfflineBenchmark.ModelRun("mf-rating", "ratings", false,
                Hyperparameters.NONE, List.of(), null, null, null, 0, "needs ratings");
        OfflineBenchmark.ModelRun back = read(bytes(skipped));
        assertThat(back.baseline()).isFalse();
        assertThat(back.chosen()).isSameAs(Hyperparameters.NONE);
        assertThat(back.tuning()).isEmpty();
        assertThat(back.validation()).isNull();
        assertThat(back.test()).isNull();
        assertThat(back.intervals()).isNull();
        assertThat(back.skipped()).isEqualTo("needs ratings");
        // an empty interval array is not a missing one
        OfflineBenchmark.ModelRun empty = new OfflineBenchmark.ModelRun("x", "y", true, Hyperparameters.NONE, List.of(),
                null, null, new Estimate[0], 1, null);
        assertThat(read(bytes(empty)).intervals()).isEmpty();
    }

    @Test
    void anotherFormatNumberIsRefused() throws IOException {
        byte[] b = bytes(fullRun());
        b[3] = (byte) (ModelRunCodec.FORMAT + 1);
        assertThatThrownBy(() -> read(b)).isInstanceOf(IOException.class)
                .hasMessage("format " + (ModelRunCodec.FORMAT + 1) + ", expected " + ModelRunCodec.FORMAT);
    }

    @Test
    void truncatedBytesAreRefused() throws IOException {
        byte[] b = bytes(fullRun());
        for (int cut : new int[] {2, 10, b.length / 2, b.length - 1}) {
            byte[] shorter = java.util.Arrays.copyOf(b, cut);
            assertThatThrownBy(() -> read(shorter)).as("cut at %d", cut).isInstanceOf(IOException.class);
        }
    }

    /** Writes the start of a run by hand up to the grid points' count. */
    private static DataOutputStream header(ByteArrayOutputStream b) throws IOException {
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(ModelRunCodec.FORMAT);
        out.writeUTF("m");
        out.writeUTF("d");
        out.writeBoolean(true);
        out.writeInt(0); // chosen: no hyperparameters
        return out;
    }

    @Test
    void implausibleCountsAreRefusedBeforeAnythingIsAllocated() throws IOException {
        for (int points : new int[] {-1, (1 << 20) + 1}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            header(b).writeInt(points);
            assertThatThrownBy(() -> read(b.toByteArray())).isInstanceOf(IOException.class)
                    .hasMessage("implausible count " + points);
        }
        ByteArrayOutputStream hp = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(hp);
        out.writeInt(ModelRunCodec.FORMAT);
        out.writeUTF("m");
        out.writeUTF("d");
        out.writeBoolean(true);
        out.writeInt(1001); // more hyperparameters than any model has
        assertThatThrownBy(() -> read(hp.toByteArray())).hasMessage("implausible count 1001");
        // the largest allowed counts are read (and then run out of bytes, not refused as implausible)
        ByteArrayOutputStream most = new ByteArrayOutputStream();
        header(most).writeInt(1 << 20);
        assertThatThrownBy(() -> read(most.toByteArray())).isInstanceOf(java.io.EOFException.class);
    }

    @Test
    void valuesThatDoNotMatchUsersTimesMetricsAreRefused() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = header(b);
        out.writeInt(0); // no grid points
        out.writeBoolean(true); // a validation result
        out.writeUTF("m");
        out.writeInt(2);
        out.writeInt(0);
        out.writeInt(1);
        out.writeInt(1);
        out.writeUTF("hr@10");
        out.writeInt(3); // 2 users × 1 metric would be 2
        assertThatThrownBy(() -> read(b.toByteArray())).isInstanceOf(IOException.class)
                .hasMessage("values do not match users × metrics");
    }
}
