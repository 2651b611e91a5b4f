package dev.gatehouse.protocol.compress;

/**
 * One connection's compression context. Each call takes one whole server message and returns
 * the bytes of the binary frame that carries it; the receiver decodes frames in order with one
 * context of its own. Not thread-safe: one connection, one thread at a time.
 */
public interface StreamCompressor extends AutoCloseable {

    byte[] compress(byte[] message);

    /** Bytes given to {@link #compress} so far. */
    long bytesIn();

    /** Bytes returned by {@link #compress} so far. */
    long bytesOut();

    /** Frees the context (native memory for zstd); idempotent. */
    @Override
    void close();

    static StreamCompressor create(Compression compression, CompressionConfig config) {
        return switch (compression) {
            case ZLIB_STREAM -> new ZlibStreamCompressor(config);
            case ZSTD_STREAM -> new ZstdStreamCompressor(config);
            case NONE -> throw new IllegalArgumentException("no compressor for NONE");
        };
    }
}
