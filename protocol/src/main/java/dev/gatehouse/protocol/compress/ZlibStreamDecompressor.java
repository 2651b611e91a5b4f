package dev.gatehouse.protocol.compress;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * zlib-stream on the receiving side: one inflater for the connection. Frames are inflated as they
 * arrive rather than buffered compressed, so a message split over several frames is held only
 * once, decompressed, and counted against the limit as it grows; it is handed out when a frame
 * ends in {@code 00 00 ff ff}, as discord.js and JDA decide it. The marker is looked for at the
 * end of everything received, not of the frame alone, so it is found even if split over frames.
 */
final class ZlibStreamDecompressor extends ContextDecompressor {
    private final Inflater inflater = new Inflater();
    /** The last four compressed bytes received, most recent lowest; starts as no marker. */
    private int tail = -1;

    ZlibStreamDecompressor(int maxMessageBytes) {
        super(Compression.ZLIB_STREAM, maxMessageBytes);
    }

    @Override
    boolean decode(byte[] frame, MessageBuffer message) {
        inflateAll(frame, message);
        return receivedSyncFlush(frame);
    }

    private void inflateAll(byte[] frame, MessageBuffer message) {
        inflater.setInput(frame);
        try {
            while (true) {
                int room = message.room();
                int produced = inflater.inflate(message.array(), message.length(), room);
                message.added(produced);
                if (produced == 0) {
                    if (inflater.finished()) {
                        throw new DecompressionException("zlib-stream ended; the stream must stay open");
                    }
                    if (inflater.needsDictionary()) {
                        throw new DecompressionException("zlib-stream asks for a preset dictionary");
                    }
                    if (inflater.needsInput()) {
                        return;
                    }
                }
            }
        } catch (DataFormatException e) {
            throw corrupt(e);
        }
    }

    private boolean receivedSyncFlush(byte[] frame) {
        for (int i = Math.max(0, frame.length - 4); i < frame.length; i++) {
            tail = (tail << 8) | (frame[i] & 0xff);
        }
        return frame.length > 0 && tail == 0x0000ffff;
    }

    @Override
    void release() {
        inflater.end();
    }
}
