package dev.gatehouse.protocol.compress;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.nio.ByteBuffer;

/**
 * zstd-stream on the receiving side: one streaming decompression context for the connection.
 * Every frame holds one flushed message, so all of it is decoded at once. A sender that does end
 * its zstd frame is tolerated: the context starts the next frame with the next message.
 */
final class ZstdStreamDecompressor extends ContextDecompressor {
    private final ZstdDecompressCtx context = new ZstdDecompressCtx();

    ZstdStreamDecompressor(int maxMessageBytes) {
        super(Compression.ZSTD_STREAM, maxMessageBytes);
    }

    @Override
    boolean decode(byte[] frame, MessageBuffer message) {
        ByteBuffer src = ByteBuffer.wrap(frame);
        try {
            while (true) {
                int room = message.room();
                ByteBuffer dst = ByteBuffer.wrap(message.array(), message.length(), room);
                context.decompressByteBufferStream(dst, src);
                message.added(room - dst.remaining());
                // zstd: output room left over with no input left means it has flushed all it can
                if (!src.hasRemaining() && dst.hasRemaining()) {
                    return true; // every frame completes its message
                }
            }
        } catch (ZstdException e) {
            throw corrupt(e);
        }
    }

    @Override
    void release() {
        context.close();
    }
}
