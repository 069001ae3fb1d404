package org.recsysrl.parquet;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.xerial.snappy.Snappy;

/**
 * Writes Parquet files for the tests with parquet-java's own writer, without Hadoop: pages are
 * compressed by libraries independent of the reader's (snappy-java and zstd-jni, native; the
 * JDK's GZIP), so a read checks the reader's decompression against another implementation.
 */
final class TestParquetFiles {
    private TestParquetFiles() {
    }

    /** One row's values, by column name in schema order; null for a null. */
    interface RowFiller {
        void fill(Group row, int index);
    }

    /** Writes {@code rows} rows of {@code schema} (a Parquet message type) to {@code file}. */
    static Path write(Path file, String schema, CompressionCodecName codec, int rows, int rowGroupBytes,
            RowFiller filler) throws IOException {
        MessageType type = MessageTypeParser.parseMessageType(schema);
        Files.deleteIfExists(file);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(type)
                .withConf(new PlainParquetConfiguration()).withCodecFactory(new Compressors())
                .withCompressionCodec(codec).withRowGroupSize((long) rowGroupBytes).withPageSize(1024).build()) {
            SimpleGroupFactory groups = new SimpleGroupFactory(type);
            for (int k = 0; k < rows; k++) {
                Group g = groups.newGroup();
                filler.fill(g, k);
                w.write(g);
            }
        }
        return file;
    }

    /** The codecs the tests write with. */
    static final List<CompressionCodecName> CODECS = List.of(CompressionCodecName.UNCOMPRESSED,
            CompressionCodecName.SNAPPY, CompressionCodecName.GZIP, CompressionCodecName.ZSTD);

    /** Compressors only: the writer never decompresses. */
    private static final class Compressors implements CompressionCodecFactory {
        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName codec) {
            return new BytesInputCompressor() {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    byte[] raw = bytes.toByteArray();
                    return BytesInput.from(switch (codec) {
                        case UNCOMPRESSED -> raw;
                        case SNAPPY -> Snappy.compress(raw);
                        case ZSTD -> Zstd.compress(raw);
                        case GZIP -> gzip(raw);
                        default -> throw new IllegalArgumentException("no test compressor for " + codec);
                    });
                }

                @Override
                public CompressionCodecName getCodecName() {
                    return codec;
                }

                @Override
                public void release() {
                }
            };
        }

        @Override
        public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
            throw new UnsupportedOperationException("the test writer does not read");
        }

        @Override
        public void release() {
        }

        private static byte[] gzip(byte[] raw) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(raw);
            }
            return out.toByteArray();
        }
    }
}
