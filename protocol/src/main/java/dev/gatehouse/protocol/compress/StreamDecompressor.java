package dev.gatehouse.protocol.compress;

import java.util.Optional;

/**
 * The client side of one connection's transport compression: binary frames in, in the order
 * received, whole server messages out. One context lives as long as the connection.
 *
 * <p>A message that would decompress to more than the caller's limit fails with
 * {@link DecompressionException} before more than the limit is held in memory, so a small frame
 * cannot make the client allocate without bound. After any {@code DecompressionException} the
 * stream is unusable and further calls fail with {@link IllegalStateException}. Not thread-safe.
 */
public interface StreamDecompressor extends AutoCloseable {

    /** A new context for one connection whose messages may decompress to at most {@code maxMessageBytes}. */
    static StreamDecompressor create(Compression compression, int maxMessageBytes) {
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes must not be negative, was " + maxMessageBytes);
        }
        return switch (compression) {
            case ZLIB_STREAM -> new ZlibStreamDecompressor(maxMessageBytes);
            case ZSTD_STREAM -> new ZstdStreamDecompressor(maxMessageBytes);
            case NONE -> throw new IllegalArgumentException("NONE has no stream decompressor; messages are text frames");
        };
    }

    Compression compression();

    /**
     * Decompresses one binary frame. Empty while the message continues in a later frame (zlib-stream
     * only: a message is complete when its last frame ends in {@code 00 00 ff ff}); a zstd-stream
     * frame always completes a message.
     *
     * @throws DecompressionException if the frame is corrupt, ends the stream, or the message it
     *     completes or continues exceeds the limit
     */
    Optional<byte[]> decompress(byte[] frame);

    /** Releases the context's memory. Idempotent, and safe after a failure. */
    @Override
    void close();
}
