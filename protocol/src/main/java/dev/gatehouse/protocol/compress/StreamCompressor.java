package dev.gatehouse.protocol.compress;

/**
 * The server side of one connection's transport compression: whole server messages in, the bytes
 * of one binary WebSocket frame out, all through one compression context that lives as long as the
 * connection. Each frame depends on the ones before it, so frames must be sent in the order they
 * were produced and none may be dropped.
 *
 * <p>Not thread-safe: the gateway calls it on the connection's event-loop thread only. A context
 * that failed half-way refuses further messages (the peer could not follow it any more); so does a
 * closed one, with {@link IllegalStateException}.
 */
public interface StreamCompressor extends AutoCloseable {

    /** A new context for one connection. {@link Compression#NONE} has none: send text frames. */
    static StreamCompressor create(Compression compression, CompressionConfig config) {
        return switch (compression) {
            case ZLIB_STREAM -> new ZlibStreamCompressor(config);
            case ZSTD_STREAM -> new ZstdStreamCompressor(config);
            case NONE -> throw new IllegalArgumentException("NONE has no stream compressor; send text frames");
        };
    }

    Compression compression();

    /**
     * Compresses one whole message and flushes it, so the client can decode it from this frame and
     * the ones before. The returned array is the frame's payload and belongs to the caller.
     */
    byte[] compress(byte[] message);

    /** Uncompressed bytes compressed so far, for metrics. */
    long bytesIn();

    /** Compressed bytes produced so far, for metrics. */
    long bytesOut();

    /** Releases the context's memory. Idempotent, and safe after a failure. */
    @Override
    void close();
}
