package dev.gatehouse.protocol.compress;

import java.util.Optional;

/**
 * What every stream decompressor does around its codec: refuses use once closed or failed (any
 * exception, the limit's included, leaves the stream unusable), holds the message being received
 * in a {@link MessageBuffer} that enforces the limit, and releases the context once. A codec
 * supplies only how it decodes one frame into that buffer and how its context is released.
 */
abstract sealed class ContextDecompressor implements StreamDecompressor
        permits ZlibStreamDecompressor, ZstdStreamDecompressor {
    private final Compression compression;
    private final ContextGuard guard;
    private final MessageBuffer message;

    ContextDecompressor(Compression compression, int maxMessageBytes) {
        this.compression = compression;
        this.guard = new ContextGuard(compression.queryValue().orElseThrow() + " decompressor");
        this.message = new MessageBuffer(maxMessageBytes);
    }

    /**
     * Decodes all of the frame into the message, asking it for {@link MessageBuffer#room()} before
     * and telling it {@link MessageBuffer#added(int)} after each step so the limit holds; true when
     * the frame completes the message.
     *
     * @throws DecompressionException if the frame is corrupt (see {@link #corrupt}) or breaks the
     *     stream's rules
     */
    abstract boolean decode(byte[] frame, MessageBuffer message);

    /** Frees the codec's context; called once, on the first close. */
    abstract void release();

    /** The codec's own complaint about the data, as the error a caller of this interface expects. */
    final DecompressionException corrupt(Exception codecError) {
        return new DecompressionException(
                "corrupt " + compression.queryValue().orElseThrow() + ": " + codecError.getMessage(), codecError);
    }

    @Override
    public final Compression compression() {
        return compression;
    }

    @Override
    public final Optional<byte[]> decompress(byte[] frame) {
        guard.ensureUsable();
        try {
            return decode(frame, message) ? Optional.of(message.take()) : Optional.empty();
        } catch (RuntimeException e) {
            guard.markFailed();
            throw e;
        }
    }

    @Override
    public final void close() {
        if (guard.close()) {
            release();
        }
    }
}
