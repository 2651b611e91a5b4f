package dev.gatehouse.protocol.compress;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * zstd-stream on the receiving side: one streaming decompression context for the connection.
 * Every frame holds one flushed message, so all of it is decoded at once. A sender that does end
 * its zstd frame is tolerated: the context starts the next frame with the next message.
 */
final class ZstdStreamDecompressor implements StreamDecompressor {
    private final ZstdDecompressCtx context = new ZstdDecompressCtx();
    private final ContextGuard guard = new ContextGuard("zstd-stream decompressor");
    private final MessageBuffer message;

    ZstdStreamDecompressor(int maxMessageBytes) {
        this.message = new MessageBuffer(maxMessageBytes);
    }

    @Override
    public Compression compression() {
        return Compression.ZSTD_STREAM;
    }

    @Override
    public Optional<byte[]> decompress(byte[] frame) {
        guard.ensureUsable();
        try {
            decodeAll(frame);
            return Optional.of(message.take());
        } catch (ZstdException e) {
            guard.markFailed();
            throw new DecompressionException("corrupt zstd-stream: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            guard.markFailed();
            throw e;
        }
    }

    private void decodeAll(byte[] frame) {
        ByteBuffer src = ByteBuffer.wrap(frame);
        while (true) {
            int room = message.room();
            ByteBuffer dst = ByteBuffer.wrap(message.array(), message.length(), room);
            context.decompressByteBufferStream(dst, src);
            message.added(room - dst.remaining());
            // zstd: output room left over with no input left means it has flushed all it can
            if (!src.hasRemaining() && dst.hasRemaining()) {
                return;
            }
        }
    }

    @Override
    public void close() {
        if (guard.close()) {
            context.close();
        }
    }
}
