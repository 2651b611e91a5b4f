package dev.gatehouse.protocol.compress;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** zstd-stream decoding: every frame holds one whole flushed message. */
final class ZstdStreamDecompressor implements StreamDecompressor {

    private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();
    private final int maxMessageBytes;
    private ByteBuffer in = ByteBuffer.allocateDirect(4096);
    private final ByteBuffer out = ByteBuffer.allocateDirect(16 * 1024);
    private boolean closed;

    ZstdStreamDecompressor(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public byte[] feed(byte[] frame) {
        if (closed) {
            throw new IllegalStateException("decompressor closed");
        }
        if (in.capacity() < frame.length) {
            in = ByteBuffer.allocateDirect(Integer.highestOneBit(frame.length) << 1);
        }
        in.clear();
        in.put(frame).flip();
        ByteArrayOutputStream result = new ByteArrayOutputStream(Math.max(64, frame.length * 4));
        try {
            while (true) {
                out.clear();
                ctx.decompressDirectByteBufferStream(out, in);
                out.flip();
                int n = out.remaining();
                if (result.size() + n > maxMessageBytes) {
                    throw new IllegalArgumentException("message decompresses beyond " + maxMessageBytes + " bytes");
                }
                byte[] chunk = new byte[n];
                out.get(chunk);
                result.writeBytes(chunk);
                // more output may wait inside the context while the buffer came back full
                if (!in.hasRemaining() && n < out.capacity()) {
                    break;
                }
            }
        } catch (ZstdException e) {
            throw new IllegalArgumentException("corrupt zstd stream", e);
        }
        return result.toByteArray();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ctx.close();
        }
    }
}
