package dev.gatehouse.protocol.compress;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.ByteBuffer;

/**
 * zstd-stream: one zstd frame for the whole connection, each message flushed (ZSTD_e_flush) so the
 * client can decode it at once; the frame is never ended, so no message ever carries a frame
 * epilogue and the next one keeps the window of the ones before.
 */
final class ZstdStreamCompressor extends ContextCompressor {
    private final ZstdCompressCtx context = new ZstdCompressCtx();

    ZstdStreamCompressor(CompressionConfig config) {
        super(Compression.ZSTD_STREAM);
        try {
            context.setLevel(config.zstdLevel());
            context.setWindowLog(config.zstdWindowLog());
            context.setHashLog(config.zstdHashLog());
            context.setChainLog(config.zstdHashLog());
            // the transport already detects corruption; a checksum would only be written at frame end
            context.setChecksum(false);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    @Override
    int compressFlushed(byte[] message, OutputScratch scratch) {
        ByteBuffer src = ByteBuffer.wrap(message);
        ByteBuffer dst = ByteBuffer.wrap(scratch.atLeast(compressBound(message.length)));
        // true means everything is flushed, which with ZSTD_e_flush implies all input was taken
        while (!context.compressByteBufferStream(dst, src, EndDirective.FLUSH)) {
            int written = dst.position();
            dst = ByteBuffer.wrap(scratch.grow(written)).position(written);
        }
        return dst.position();
    }

    /** ZSTD_compressBound plus a frame header and one block header of slack for the flush. */
    private static int compressBound(int length) {
        int smallInputMargin = length < (128 << 10) ? ((128 << 10) - length) >>> 11 : 0;
        return length + (length >>> 8) + smallInputMargin + 32;
    }

    @Override
    void release() {
        context.close();
    }
}
