package dev.gatehouse.protocol.compress;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Receiving side of Identify {@code compress:true}: each binary frame is one complete zlib stream.
 * A frame that stops before the stream's end, or carries bytes after it, is an error, as is a
 * payload that decompresses to more than the limit (found out without holding more than it).
 * Payloads are independent, so an error here does not poison later ones. Not thread-safe.
 */
public final class ZlibPayloadDecompressor implements AutoCloseable {
    private static final byte[] NO_INPUT = new byte[0];

    private final Inflater inflater = new Inflater();
    private final ContextGuard guard = new ContextGuard("zlib payload decompressor");
    private final MessageBuffer message;

    public ZlibPayloadDecompressor(int maxMessageBytes) {
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes must not be negative, was " + maxMessageBytes);
        }
        this.message = new MessageBuffer(maxMessageBytes);
    }

    /**
     * @throws DecompressionException if the payload is corrupt, truncated, followed by extra bytes
     *     or larger than the limit once decompressed
     */
    public byte[] decompress(byte[] payload) {
        guard.ensureUsable();
        inflater.reset();
        inflater.setInput(payload);
        try {
            while (!inflater.finished()) {
                int room = message.room();
                int produced = inflater.inflate(message.array(), message.length(), room);
                message.added(produced);
                if (produced == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DecompressionException("zlib payload is truncated or needs a dictionary");
                }
            }
            if (inflater.getRemaining() > 0) {
                throw new DecompressionException(inflater.getRemaining() + " bytes follow the end of the zlib payload");
            }
            return message.take();
        } catch (DataFormatException e) {
            throw new DecompressionException("corrupt zlib payload: " + e.getMessage(), e);
        } finally {
            message.clear(); // a failed payload leaves nothing behind for the next one
            inflater.setInput(NO_INPUT);
        }
    }

    @Override
    public void close() {
        if (guard.close()) {
            inflater.end();
        }
    }
}
