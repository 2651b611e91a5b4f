package dev.gatehouse.protocol.compress;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Identify {@code compress: true}: a payload compressed on its own as a complete zlib stream
 * (header, deflate data, checksum), sent as a binary frame. No context outlives the call.
 */
public final class PayloadZlib {

    private PayloadZlib() {}

    public static byte[] compress(byte[] payload) {
        Deflater deflater = new Deflater(6);
        try {
            deflater.setInput(payload);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, payload.length / 2));
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** Inflates one payload, refusing output beyond {@code maxBytes}. */
    public static byte[] decompress(byte[] compressed, int maxBytes) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("truncated zlib payload");
                }
                if (out.size() + n > maxBytes) {
                    throw new IllegalArgumentException("payload inflates beyond " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("invalid zlib payload", e);
        } finally {
            inflater.end();
        }
    }
}
