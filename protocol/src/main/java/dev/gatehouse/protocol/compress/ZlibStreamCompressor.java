package dev.gatehouse.protocol.compress;

import com.jcraft.jzlib.Deflater;
import com.jcraft.jzlib.GZIPException;
import com.jcraft.jzlib.JZlib;
import java.util.Arrays;

/**
 * zlib-stream: one deflate stream for the whole connection, every message flushed with
 * Z_SYNC_FLUSH so it ends in 00 00 FF FF. JZlib rather than java.util.zip because the JDK's
 * deflater always takes a 32 KiB window and 128 KiB of hash tables per connection; here both are
 * configurable and live on the heap.
 */
final class ZlibStreamCompressor implements StreamCompressor {

    private final Deflater deflater;
    private byte[] out = new byte[4096];
    private long bytesIn;
    private long bytesOut;
    private boolean closed;

    ZlibStreamCompressor(CompressionConfig config) {
        try {
            deflater = new Deflater(config.zlibLevel(), config.zlibWindowBits(), config.zlibMemLevel(), JZlib.W_ZLIB);
        } catch (GZIPException e) {
            throw new IllegalArgumentException("bad zlib settings", e);
        }
    }

    @Override
    public byte[] compress(byte[] message) {
        if (closed) {
            throw new IllegalStateException("compressor closed");
        }
        deflater.setInput(message, 0, message.length, false);
        int length = 0;
        while (true) {
            if (length == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            deflater.setOutput(out, length, out.length - length);
            int status = deflater.deflate(JZlib.Z_SYNC_FLUSH);
            if (status != JZlib.Z_OK && status != JZlib.Z_BUF_ERROR) {
                throw new IllegalStateException("deflate failed: " + status);
            }
            length = deflater.next_out_index;
            // done when all input is taken and the flush did not fill the buffer
            if (deflater.avail_in == 0 && deflater.avail_out > 0) {
                break;
            }
        }
        bytesIn += message.length;
        bytesOut += length;
        return Arrays.copyOf(out, length);
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
            deflater.end();
        }
    }
}
