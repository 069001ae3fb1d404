package org.recsysrl.parquet;

import io.airlift.compress.Decompressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Decompresses Parquet pages in pure Java, with no Hadoop and no native library: uncompressed,
 * SNAPPY, ZSTD and LZ4_RAW with aircompressor, GZIP with {@link java.util.zip}. Other codecs
 * (LZO, the Hadoop-framed LZ4, BROTLI) throw {@link UnsupportedCodecException}. Read only: it makes
 * no compressors.
 */
final class PureJavaCodecs implements CompressionCodecFactory {
    /** The codecs {@link #getDecompressor} handles, for messages. */
    static final String SUPPORTED = "uncompressed, SNAPPY, GZIP, ZSTD or LZ4_RAW";

    /** A page compressed with a codec this factory does not decompress. */
    static final class UnsupportedCodecException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final CompressionCodecName codec;

        UnsupportedCodecException(CompressionCodecName codec) {
            super("unsupported codec " + codec);
            this.codec = codec;
        }
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codecName) {
        throw new UnsupportedOperationException("recsys-rl-parquet reads Parquet files; it does not write them");
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Blocks(null);
            case SNAPPY -> new Blocks(new SnappyDecompressor());
            case ZSTD -> new Blocks(new ZstdDecompressor());
            case LZ4_RAW -> new Blocks(new Lz4Decompressor());
            case GZIP -> new Gzip();
            default -> throw new UnsupportedCodecException(codec);
        };
    }

    @Override
    public void release() {
        // nothing pooled
    }

    /** A decompressor of whole pages on the heap; the buffer form goes through the byte form. */
    private abstract static class HeapPages implements BytesInputDecompressor {
        @Override
        public final void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            output.put(decompress(BytesInput.from(input), uncompressedSize).toByteBuffer());
        }

        @Override
        public final void release() {
            // nothing held
        }
    }

    /** A block codec (or none): the page's bytes in, exactly {@code uncompressedSize} bytes out. */
    private static final class Blocks extends HeapPages {
        private final Decompressor decompressor;

        Blocks(Decompressor decompressor) {
            this.decompressor = decompressor;
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            if (decompressor == null) {
                return bytes;
            }
            byte[] in = bytes.toByteArray();
            byte[] out = new byte[uncompressedSize];
            int n;
            try {
                n = decompressor.decompress(in, 0, in.length, out, 0, out.length);
            } catch (RuntimeException e) { // aircompressor's MalformedInputException and bounds errors
                throw new IOException("a page does not decompress (" + e.getMessage() + ")", e);
            }
            if (n != uncompressedSize) {
                throw new IOException("a page decompresses to " + n + " bytes, its header says " + uncompressedSize);
            }
            return BytesInput.from(out);
        }
    }

    /** GZIP: one or more gzip members, inflated to exactly {@code uncompressedSize} bytes. */
    private static final class Gzip extends HeapPages {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            byte[] out = new byte[uncompressedSize];
            int n = 0;
            try (InputStream in = new GZIPInputStream(bytes.toInputStream())) {
                while (n < out.length) {
                    int r = in.read(out, n, out.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                if (n != uncompressedSize || in.read() >= 0) {
                    throw new IOException("a GZIP page does not inflate to the " + uncompressedSize
                            + " bytes its header says");
                }
            }
            return BytesInput.from(out);
        }
    }
}
