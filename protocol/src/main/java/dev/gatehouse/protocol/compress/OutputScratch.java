package dev.gatehouse.protocol.compress;

import java.util.Arrays;

/**
 * One growable output buffer per thread, shared by all compressors that run on it.
 *
 * <p>Why per thread and not per compressor: a gateway node holds tens of thousands of compressors,
 * and a buffer each, grown to the largest message it ever sent, would cost more memory than the
 * compression contexts themselves. Compressors run on their connection's event-loop thread and
 * never call out while compressing, so one buffer per thread cannot be used by two of them at once.
 */
final class OutputScratch {
    private static final int INITIAL_BYTES = 16 * 1024;
    /** A rare huge message should not pin its buffer on the thread for good. */
    private static final int RETAINED_BYTES = 1024 * 1024;
    private static final ThreadLocal<OutputScratch> PER_THREAD = ThreadLocal.withInitial(OutputScratch::new);

    private byte[] bytes = new byte[INITIAL_BYTES];

    private OutputScratch() {}

    static OutputScratch current() {
        return PER_THREAD.get();
    }

    /** The buffer, at least {@code capacity} bytes long; its content is not kept. */
    byte[] atLeast(int capacity) {
        if (bytes.length < capacity) {
            bytes = new byte[Math.max(capacity, Math.min(bytes.length * 2, Integer.MAX_VALUE - 8))];
        }
        return bytes;
    }

    /** A larger buffer that keeps the first {@code used} bytes: the output did not fit. */
    byte[] grow(int used) {
        int larger = (int) Math.min((long) bytes.length * 2, Integer.MAX_VALUE - 8);
        if (larger <= bytes.length) {
            throw new IllegalStateException("compressed message exceeds " + bytes.length + " bytes");
        }
        bytes = Arrays.copyOf(bytes, larger);
        return bytes;
    }

    /** The first {@code length} bytes as the frame to send; drops an oversized buffer afterwards. */
    byte[] copyOut(int length) {
        byte[] frame = Arrays.copyOf(bytes, length);
        if (bytes.length > RETAINED_BYTES) {
            bytes = new byte[INITIAL_BYTES];
        }
        return frame;
    }
}
