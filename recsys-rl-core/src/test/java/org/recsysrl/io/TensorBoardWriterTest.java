package org.recsysrl.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorBoard event files parsed back record by record: lengths, masked CRC-32C values (checked
 * against constants computed outside Java and against a bitwise CRC-32C written here), and the
 * Event / Summary protocol buffers decoded field by field.
 */
class TensorBoardWriterTest {
    @TempDir
    Path dir;

    // ---------------------------------------------------------------- an independent reader

    /** Bitwise CRC-32C (reflected polynomial 0x82F63B78), independent of java.util.zip.CRC32C. */
    private static int crc32c(byte[] data) {
        int crc = 0xFFFFFFFF;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return ~crc;
    }

    private static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    /** The records of an event file, each CRC checked. */
    private static List<byte[]> records(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] len = new byte[8];
            b.get(len);
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat(b.getInt()).as("length CRC of record " + out.size()).isEqualTo(mask(crc32c(len)));
            byte[] data = new byte[(int) n];
            b.get(data);
            assertThat(b.getInt()).as("data CRC of record " + out.size()).isEqualTo(mask(crc32c(data)));
            out.add(data);
        }
        return out;
    }

    /** A decoded Event: wall time, step, file version, scalars by tag, session status (-1 = none). */
    private record Event(double wallTime, long step, String fileVersion, Map<String, Float> scalars, int session) {
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b.get() & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) {
                return v;
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[(int) varint(b)];
        b.get(out);
        return out;
    }

    private static Event decode(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        double wall = Double.NaN;
        long step = 0;
        String version = null;
        Map<String, Float> scalars = new LinkedHashMap<>();
        int session = -1;
        while (b.hasRemaining()) {
            long key = varint(b);
            switch ((int) key) {
                case (1 << 3) | 1 -> wall = b.getDouble();
                case (2 << 3) -> step = varint(b);
                case (3 << 3) | 2 -> version = new String(bytes(b), StandardCharsets.UTF_8);
                case (5 << 3) | 2 -> {
                    ByteBuffer summary = ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN);
                    while (summary.hasRemaining()) {
                        assertThat(varint(summary)).isEqualTo((1 << 3) | 2); // Summary.value
                        ByteBuffer value = ByteBuffer.wrap(bytes(summary)).order(ByteOrder.LITTLE_ENDIAN);
                        String tag = null;
                        float v = Float.NaN;
                        while (value.hasRemaining()) {
                            long k = varint(value);
                            if (k == ((1 << 3) | 2)) {
                                tag = new String(bytes(value), StandardCharsets.UTF_8);
                            } else {
                                assertThat(k).isEqualTo((2 << 3) | 5); // simple_value, fixed32
                                v = value.getFloat();
                            }
                        }
                        scalars.put(tag, v);
                    }
                }
                case (6 << 3) | 2 -> {
                    ByteBuffer log = ByteBuffer.wrap(bytes(b));
                    assertThat(varint(log)).isEqualTo(1 << 3); // SessionLog.status
                    session = (int) varint(log);
                }
                default -> throw new AssertionError("unexpected field key " + key);
            }
        }
        return new Event(wall, step, version, scalars, session);
    }

    private static Path onlyEventFile(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            List<Path> all = files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    void maskedCrc32cMatchesKnownValues() {
        // the CRC-32C check value of "123456789" is 0xE3069283; masked: 0xC78AB0E5 (computed in Python)
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(crc32c(check)).isEqualTo(0xE3069283);
        assertThat(TensorBoardWriter.maskedCrc32c(check)).isEqualTo(0xC78AB0E5);
    }

    @Test
    void theFirstRecordIsTheFileVersionEventByteForByte() throws IOException {
        try (TensorBoardWriter w = TensorBoardWriter.create(dir, -1, () -> 1700000000.5)) {
            assertThat(w.file().getFileName().toString()).startsWith("events.out.tfevents.1700000000.recsys-rl.");
        }
        byte[] file = Files.readAllBytes(onlyEventFile(dir));
        // length 24, masked CRC 0x224B7FA3; Event{wall_time: 1700000000.5, file_version: "brain.Event:2"};
        // masked CRC 0x1031352B (constants computed outside Java)
        String expected = "1800000000000000" + "a37f4b22"
                + "0900002040fc54d941" + "1a0d" + HexFormat.of().formatHex("brain.Event:2".getBytes(StandardCharsets.UTF_8))
                + "2b353110";
        assertThat(HexFormat.of().formatHex(file)).isEqualTo(expected);
    }

    @Test
    void scalarsAreWrittenAsSummariesAndNonFiniteValuesLeftOut() throws IOException {
        double[] clock = {100.0};
        try (TensorBoardWriter w = TensorBoardWriter.create(dir, -1, () -> clock[0])) {
            clock[0] = 101.25;
            w.scalars(2048, List.of("ep_return_mean", "eval_return", "policy_loss"), new double[] {0.5, Double.NaN, -0.09});
            clock[0] = 102.0;
            w.scalars(300_000_000_000L, List.of("sps"), new double[] {3911});
            w.scalars(4096, List.of("eval_return"), new double[] {Double.NaN}); // nothing left: no record
        }
        List<byte[]> records = records(onlyEventFile(dir));
        assertThat(records).hasSize(3);
        Event first = decode(records.get(0));
        assertThat(first.fileVersion()).isEqualTo("brain.Event:2");
        assertThat(first.wallTime()).isEqualTo(100.0);
        Event row = decode(records.get(1));
        assertThat(row.wallTime()).isEqualTo(101.25);
        assertThat(row.step()).isEqualTo(2048);
        assertThat(row.scalars()).containsExactly(Map.entry("ep_return_mean", 0.5f), Map.entry("policy_loss", -0.09f));
        Event big = decode(records.get(2));
        assertThat(big.step()).isEqualTo(300_000_000_000L); // a multi-byte varint
        assertThat(big.scalars()).containsExactly(Map.entry("sps", 3911f));
    }

    @Test
    void aResumedRunStartsItsFileWithASessionStartAtTheResumedStep() throws IOException {
        try (TensorBoardWriter w = TensorBoardWriter.create(dir, 8192, () -> 5.0)) {
            w.scalars(10240, List.of("x"), new double[] {1});
        }
        List<byte[]> records = records(onlyEventFile(dir));
        assertThat(records).hasSize(3);
        Event start = decode(records.get(1));
        assertThat(start.session()).isEqualTo(1); // SessionLog.START
        assertThat(start.step()).isEqualTo(8192);
        assertThat(decode(records.get(2)).step()).isEqualTo(10240);
    }

    @Test
    void aCsvLogMirrorsItsRowsWithTheFirstColumnAsStep() throws IOException {
        Path csvFile = dir.resolve("ppo.csv");
        Path events = TensorBoardWriter.dirBeside(csvFile);
        assertThat(events).isEqualTo(dir.resolve("ppo"));
        try (CsvLog csv = new CsvLog(csvFile, List.of("step", "loss", "eval"), false)) {
            csv.mirrorTo(TensorBoardWriter.create(events, -1, () -> 7.0));
            csv.row(1024, 0.25, Double.NaN);
            csv.row(2048, 0.125, 3.5);
        }
        assertThat(Files.readString(csvFile)).isEqualTo("step,loss,eval\n1024,0.25,NaN\n2048,0.125,3.5\n");
        List<byte[]> records = records(onlyEventFile(events));
        assertThat(records).hasSize(3);
        assertThat(decode(records.get(1)).step()).isEqualTo(1024);
        assertThat(decode(records.get(1)).scalars()).containsExactly(Map.entry("loss", 0.25f));
        assertThat(decode(records.get(2)).scalars()).containsExactly(Map.entry("loss", 0.125f), Map.entry("eval", 3.5f));
    }

    @Test
    void twoWritersInOneSecondGetTwoFiles() throws IOException {
        try (TensorBoardWriter a = TensorBoardWriter.create(dir, -1, () -> 9.0);
                TensorBoardWriter b = TensorBoardWriter.create(dir, -1, () -> 9.0)) {
            assertThat(a.file()).isNotEqualTo(b.file());
            assertThat(b.file().getFileName().toString()).endsWith(".1");
        }
    }
}
