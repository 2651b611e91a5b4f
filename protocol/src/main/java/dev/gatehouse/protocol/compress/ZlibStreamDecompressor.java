package dev.gatehouse.protocol.compress;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** zlib-stream decoding: frames are buffered until one ends in 00 00 FF FF, then inflated. */
final class ZlibStreamDecompressor implements StreamDecompressor {

    private final Inflater inflater = new Inflater();
    private final int maxMessageBytes;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final byte[] buf = new byte[8192];
    private boolean closed;

    ZlibStreamDecompressor(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public byte[] feed(byte[] frame) {
        if (closed) {
            throw new IllegalStateException("decompressor closed");
        }
        if (pending.size() + frame.length > maxMessageBytes) {
            throw new IllegalArgumentException("compressed message over " + maxMessageBytes + " bytes");
        }
        pending.writeBytes(frame);
        byte[] all = pending.toByteArray();
        int n = all.length;
        if (n < 4 || all[n - 4] != 0 || all[n - 3] != 0 || all[n - 2] != (byte) 0xFF || all[n - 1] != (byte) 0xFF) {
            return null;
        }
        pending.reset();
        inflater.setInput(all);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, n * 4));
        try {
            while (true) {
                int got = inflater.inflate(buf);
                if (out.size() + got > maxMessageBytes) {
                    throw new IllegalArgumentException("message inflates beyond " + maxMessageBytes + " bytes");
                }
                out.write(buf, 0, got);
                if (got == 0 && inflater.needsInput()) {
                    break;
                }
                if (inflater.finished()) {
                    throw new IllegalArgumentException("the server ended the zlib stream");
                }
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt zlib stream", e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inflater.end();
        }
    }
}
