package dev.gatehouse.protocol.compress;

/**
 * What every stream compressor does around its codec: refuses use once closed or failed, counts
 * the bytes in and out, hands back the frame from the thread's {@link OutputScratch} and releases
 * the context once. A codec supplies only how it compresses and flushes one message into that
 * scratch buffer, and how its context's memory is released.
 */
abstract sealed class ContextCompressor implements StreamCompressor permits ZlibStreamCompressor, ZstdStreamCompressor {
    private final Compression compression;
    private final ContextGuard guard;
    private long bytesIn;
    private long bytesOut;

    ContextCompressor(Compression compression) {
        this.compression = compression;
        this.guard = new ContextGuard(compression.queryValue().orElseThrow() + " compressor");
    }

    /**
     * Compresses the whole message and flushes it into the scratch buffer, taken with
     * {@link OutputScratch#atLeast} and enlarged with {@link OutputScratch#grow}; returns how many
     * bytes it wrote from the buffer's start. Must not keep the message reachable afterwards.
     */
    abstract int compressFlushed(byte[] message, OutputScratch scratch);

    /** Frees the codec's context; called once, on the first close. */
    abstract void release();

    @Override
    public final Compression compression() {
        return compression;
    }

    @Override
    public final byte[] compress(byte[] message) {
        guard.ensureUsable();
        try {
            OutputScratch scratch = OutputScratch.current();
            int length = compressFlushed(message, scratch);
            bytesIn += message.length;
            bytesOut += length;
            return scratch.copyOut(length);
        } catch (RuntimeException e) {
            guard.markFailed();
            throw e;
        }
    }

    @Override
    public final long bytesIn() {
        return bytesIn;
    }

    @Override
    public final long bytesOut() {
        return bytesOut;
    }

    @Override
    public final void close() {
        if (guard.close()) {
            release();
        }
    }
}
