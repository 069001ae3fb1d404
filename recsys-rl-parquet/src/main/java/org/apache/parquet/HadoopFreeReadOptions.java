package org.apache.parquet;

import java.util.HashMap;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;

/**
 * {@link ParquetReadOptions} built without Hadoop. Part of recsys-rl-parquet, not of parquet-java:
 * it sits in parquet's package because the options' constructor is package-private, and the public
 * builder's constructor always makes Hadoop's codec factory and reads the record filter through
 * {@code ParquetInputFormat} (a Hadoop {@code FileInputFormat}), which would need hadoop-common
 * and hadoop-mapreduce at run time. The values are the builder's defaults (parquet-java 1.18.2)
 * with the given codec factory; a change of the constructor in a later parquet-java release fails
 * the build here, not a run.
 */
public final class HadoopFreeReadOptions {
    /** The builder's default for {@code parquet.read.allocation.size}. */
    private static final int ALLOCATION_SIZE = 8 * 1024 * 1024;

    private HadoopFreeReadOptions() {
    }

    /** Read options with the builder's defaults, no record filter, and {@code codecs} to decompress pages. */
    public static ParquetReadOptions of(CompressionCodecFactory codecs) {
        return new ParquetReadOptions(
                false, // useSignedStringMinMax
                true, // useStatsFilter
                true, // useDictionaryFilter
                true, // useRecordFilter
                true, // useColumnIndexFilter
                false, // usePageChecksumVerification
                true, // useBloomFilter
                false, // useOffHeapDecryptBuffer
                false, // useHadoopVectoredIo
                FilterCompat.NOOP,
                ParquetMetadataConverter.NO_FILTER,
                codecs,
                new HeapByteBufferAllocator(),
                ALLOCATION_SIZE,
                new HashMap<>(),
                null, // no decryption
                null, // no metrics callback
                new PlainParquetConfiguration());
    }
}
