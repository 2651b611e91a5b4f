package dev.gatehouse.protocol.compress;

/**
 * The receiving side of a compressed gateway connection (client SDK, tests): one context for the
 * connection, fed the binary frames in order. Output is bounded so a hostile stream cannot
 * inflate into all memory.
 */
public interface StreamDecompressor extends AutoCloseable {

    /**
     * Feeds one binary frame; returns the message it completes, or null when the message
     * continues in the next frame (zlib-stream without the 00 00 FF FF suffix yet).
     *
     * @throws IllegalArgumentException on corrupt input or a message over the limit
     */
    byte[] feed(byte[] frame);

    @Override
    void close();

    static StreamDecompressor create(Compression compression, int maxMessageBytes) {
        return switch (compression) {
            case ZLIB_STREAM -> new ZlibStreamDecompressor(maxMessageBytes);
            case ZSTD_STREAM -> new ZstdStreamDecompressor(maxMessageBytes);
            case NONE -> throw new IllegalArgumentException("no decompressor for NONE");
        };
    }
}
