package dev.gatehouse.protocol.compress;

import java.util.Arrays;

/**
 * The decompressed bytes of the message being received, never allowed past the caller's limit:
 * the buffer grows only up to limit + 1 bytes, the one extra byte being how an oversized message
 * is told apart from one exactly at the limit.
 */
final class MessageBuffer {
    private static final int INITIAL_BYTES = 4 * 1024;

    private final int limit;
    private byte[] bytes;
    private int length;

    MessageBuffer(int limit) {
        this.limit = limit;
        this.bytes = new byte[Math.min(INITIAL_BYTES, capacityCeiling())];
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    /** Free room at {@link #length()}, growing the buffer first when it is full. */
    int room() {
        if (length == bytes.length) {
            if (bytes.length >= capacityCeiling()) {
                throw tooLarge();
            }
            bytes = Arrays.copyOf(bytes, (int) Math.min((long) bytes.length * 2, capacityCeiling()));
        }
        return bytes.length - length;
    }

    /** Records bytes a decompressor wrote at {@link #length()}; fails once the message is over the limit. */
    void added(int count) {
        length += count;
        if (length > limit) {
            throw tooLarge();
        }
    }

    /** The message received so far, after which the buffer starts the next one. */
    byte[] take() {
        byte[] message = Arrays.copyOf(bytes, length);
        length = 0;
        return message;
    }

    /** Drops the message received so far. */
    void clear() {
        length = 0;
    }

    private int capacityCeiling() {
        return (int) Math.min((long) limit + 1, Integer.MAX_VALUE - 8);
    }

    private DecompressionException tooLarge() {
        return new DecompressionException("decompressed message exceeds the limit of " + limit + " bytes");
    }
}
