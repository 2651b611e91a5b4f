package dev.gatehouse.protocol.compress;

import com.jcraft.jzlib.Deflater;
import com.jcraft.jzlib.JZlib;

/**
 * zlib-stream: one deflate stream for the whole connection, each message ended with a sync flush
 * so its frame ends in {@code 00 00 ff ff}. The zlib header goes out with the first frame only.
 */
final class ZlibStreamCompressor extends ContextCompressor {
    /**
     * An empty stored block: three header bits (not final, stored) padded to a byte, LEN 0,
     * NLEN 0xffff. zlib refuses a second flush with no new input (it returns Z_BUF_ERROR and writes
     * nothing), yet every frame must still end in {@code 00 00 ff ff}; a sync flush leaves the
     * stream byte-aligned with nothing pending, so appending this block by hand is exactly what
     * zlib itself would have written.
     */
    private static final byte[] EMPTY_SYNC_BLOCK = {0x00, 0x00, 0x00, (byte) 0xff, (byte) 0xff};
    private static final byte[] NO_INPUT = new byte[0];

    private final Deflater deflater = new Deflater();

    ZlibStreamCompressor(CompressionConfig config) {
        super(Compression.ZLIB_STREAM);
        int status = deflater.init(config.zlibLevel(), config.zlibWindowBits(), config.zlibMemLevel());
        if (status != JZlib.Z_OK) {
            throw new IllegalStateException("deflate init failed: " + status + " " + deflater.msg);
        }
    }

    @Override
    int compressFlushed(byte[] message, OutputScratch scratch) {
        try {
            return deflateFlushed(message, scratch);
        } finally {
            // the deflater must not keep the message, nor the thread's scratch, reachable between calls
            deflater.setInput(NO_INPUT, 0, 0, false);
            deflater.setOutput(NO_INPUT, 0, 0);
        }
    }

    private int deflateFlushed(byte[] message, OutputScratch scratch) {
        // fits compressible messages and, at the default memLevel, incompressible ones; else it grows
        byte[] out = scratch.atLeast(message.length + (message.length >>> 6) + 64);
        deflater.setInput(message, 0, message.length, false);
        int written = 0;
        int status;
        while (true) {
            deflater.setOutput(out, written, out.length - written);
            status = deflater.deflate(JZlib.Z_SYNC_FLUSH);
            written = deflater.next_out_index;
            if (status != JZlib.Z_OK && status != JZlib.Z_BUF_ERROR) {
                throw new IllegalStateException("deflate failed: " + status + " " + deflater.msg);
            }
            if (deflater.avail_out > 0) {
                break; // zlib: room left after a flush means all input was taken and flushed
            }
            out = scratch.grow(written);
        }
        if (written == 0) {
            // Z_BUF_ERROR: an empty message right after a flush, nothing for zlib to do
            out = scratch.atLeast(EMPTY_SYNC_BLOCK.length);
            System.arraycopy(EMPTY_SYNC_BLOCK, 0, out, 0, EMPTY_SYNC_BLOCK.length);
            written = EMPTY_SYNC_BLOCK.length;
        }
        return written;
    }

    @Override
    void release() {
        deflater.end();
    }
}
