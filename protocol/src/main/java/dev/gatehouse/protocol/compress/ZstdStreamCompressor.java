package dev.gatehouse.protocol.compress;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * zstd-stream: one zstd frame for the whole connection, each message flushed (ZSTD_e_flush) so
 * the receiver can decode it whole; the frame is never ended. The window bounds the context's
 * native memory, and the hash and chain tables are sized to it.
 */
final class ZstdStreamCompressor implements StreamCompressor {

    private final ZstdCompressCtx ctx = new ZstdCompressCtx();
    private ByteBuffer out = ByteBuffer.allocateDirect(4096);
    private ByteBuffer in = ByteBuffer.allocateDirect(4096);
    private long bytesIn;
    private long bytesOut;
    private boolean closed;

    ZstdStreamCompressor(CompressionConfig config) {
        ctx.setLevel(config.zstdLevel());
        ctx.setWindowLog(config.zstdWindowLog());
        ctx.setHashLog(Math.max(6, config.zstdWindowLog() - 1));
        ctx.setChainLog(Math.max(6, config.zstdWindowLog() - 1));
        ctx.setChecksum(false);
        ctx.setContentSize(false);
    }

    @Override
    public byte[] compress(byte[] message) {
        if (closed) {
            throw new IllegalStateException("compressor closed");
        }
        if (in.capacity() < message.length) {
            in = ByteBuffer.allocateDirect(Integer.highestOneBit(message.length) << 1);
        }
        in.clear();
        in.put(message).flip();
        byte[] result = new byte[0];
        int length = 0;
        boolean done = false;
        while (!done) {
            out.clear();
            done = ctx.compressDirectByteBufferStream(out, in, EndDirective.FLUSH);
            out.flip();
            int n = out.remaining();
            if (length + n > result.length) {
                result = Arrays.copyOf(result, Math.max(length + n, result.length * 2));
            }
            out.get(result, length, n);
            length += n;
            if (!done && n == out.capacity() && out.capacity() < (1 << 20)) {
                out = ByteBuffer.allocateDirect(out.capacity() * 2);
            }
        }
        bytesIn += message.length;
        bytesOut += length;
        return length == result.length ? result : Arrays.copyOf(result, length);
    }

    @Override
    public long bytesIn() {
        return bytesIn;
    }

    @Override
    public long bytesOut() {
        return bytesOut;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ctx.close();
        }
    }
}
