package dev.gatehouse.protocol.compress;

import java.util.zip.Deflater;

/**
 * Identify {@code compress:true} (discord dialect): each payload becomes its own complete zlib
 * stream, header, deflate data and adler32, sent as a binary frame and decodable alone.
 *
 * <p>No state carries from one payload to the next, so the context is reset for each one and a
 * single instance can serve every connection of an event-loop thread. Share it that way: this is
 * java.util.zip's deflater (jzlib cannot be reset without reallocating its arrays), whose context
 * is fixed at a 32 KiB window and about 260 KiB of native memory. Not thread-safe.
 */
public final class ZlibPayloadCompressor implements AutoCloseable {
    private static final byte[] NO_INPUT = new byte[0];

    private final Deflater deflater;
    private final ContextGuard guard = new ContextGuard("zlib payload compressor");

    /** A compressor at the config's {@link CompressionConfig#zlibLevel()}. */
    public ZlibPayloadCompressor(CompressionConfig config) {
        this.deflater = new Deflater(config.zlibLevel());
    }

    /** One payload as a complete zlib stream; the returned array belongs to the caller. */
    public byte[] compress(byte[] payload) {
        guard.ensureUsable();
        try {
            return OutputScratch.current().copyOut(deflateFinished(payload));
        } catch (RuntimeException e) {
            guard.markFailed();
            throw e;
        } finally {
            deflater.setInput(NO_INPUT); // do not keep the payload reachable until the next call
        }
    }

    private int deflateFinished(byte[] payload) {
        OutputScratch scratch = OutputScratch.current();
        byte[] out = scratch.atLeast(payload.length + (payload.length >>> 6) + 64);
        deflater.reset();
        deflater.setInput(payload);
        deflater.finish();
        int written = 0;
        while (!deflater.finished()) {
            if (written == out.length) {
                out = scratch.grow(written);
            }
            written += deflater.deflate(out, written, out.length - written);
        }
        return written;
    }

    @Override
    public void close() {
        if (guard.close()) {
            deflater.end();
        }
    }
}
