package dev.gatehouse.protocol.compress;

import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * zlib-stream on the receiving side: one inflater for the connection. Frames are inflated as they
 * arrive rather than buffered compressed, so a message split over several frames is held only
 * once, decompressed, and counted against the limit as it grows; it is handed out when a frame
 * ends in {@code 00 00 ff ff}, as discord.js and JDA decide it. The marker is looked for at the
 * end of everything received, not of the frame alone, so it is found even if split over frames.
 */
final class ZlibStreamDecompressor implements StreamDecompressor {
    private final Inflater inflater = new Inflater();
    private final ContextGuard guard = new ContextGuard("zlib-stream decompressor");
    private final MessageBuffer message;
    /** The last four compressed bytes received, most recent lowest; starts as no marker. */
    private int tail = -1;

    ZlibStreamDecompressor(int maxMessageBytes) {
        this.message = new MessageBuffer(maxMessageBytes);
    }

    @Override
    public Compression compression() {
        return Compression.ZLIB_STREAM;
    }

    @Override
    public Optional<byte[]> decompress(byte[] frame) {
        guard.ensureUsable();
        try {
            inflateAll(frame);
            return receivedSyncFlush(frame) ? Optional.of(message.take()) : Optional.empty();
        } catch (RuntimeException e) {
            guard.markFailed();
            throw e;
        }
    }

    private void inflateAll(byte[] frame) {
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
            throw new DecompressionException("corrupt zlib-stream: " + e.getMessage(), e);
        }
    }

    private boolean receivedSyncFlush(byte[] frame) {
        for (int i = Math.max(0, frame.length - 4); i < frame.length; i++) {
            tail = (tail << 8) | (frame[i] & 0xff);
        }
        return frame.length > 0 && tail == 0x0000ffff;
    }

    @Override
    public void close() {
        if (guard.close()) {
            inflater.end();
        }
    }
}
