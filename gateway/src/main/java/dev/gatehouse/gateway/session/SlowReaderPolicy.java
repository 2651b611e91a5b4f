package dev.gatehouse.gateway.session;

import dev.gatehouse.gateway.GatewayConfig;

/**
 * When a connection whose client stops reading is dropped (docs/PROTOCOL.md §5). A client that
 * reads catches up within the grace, even after a resume replay queued megabytes at once; one that
 * does not is dropped with 4000, its session kept for a resume. The transport asks; it decides
 * nothing itself.
 *
 * @param maxUnreadBytes queued bytes at which the socket counts as not being read (its high-water
 *     mark); half of it is the low-water mark at which it counts as read again
 * @param graceMs how long a socket may stay over {@code maxUnreadBytes} before it is dropped
 * @param dropAtOnceBytes queued bytes that drop the connection at once: the unread limit plus a
 *     whole replay buffer, which no reading client ever needs queued
 */
public record SlowReaderPolicy(long maxUnreadBytes, long graceMs, long dropAtOnceBytes) {

    public static final long GRACE_MS = 5_000;

    public static SlowReaderPolicy of(GatewayConfig config) {
        return new SlowReaderPolicy(config.maxUnreadBytes(), GRACE_MS, config.maxUnreadBytes() + config.replayBytes());
    }

    /** The socket's write-buffer marks: not writable above the high one, writable again below the low one. */
    public int highWaterMark() {
        return (int) Math.min(Integer.MAX_VALUE, maxUnreadBytes);
    }

    public int lowWaterMark() {
        return (int) Math.min(Integer.MAX_VALUE, maxUnreadBytes / 2);
    }

    /** After a flush: whether this much queued on a socket that is not writable drops it now. */
    public boolean dropsAtOnce(long queuedBytes, boolean writable) {
        return !writable && queuedBytes > dropAtOnceBytes;
    }

    /** When the grace ends: whether the socket, still not writable, is dropped. */
    public boolean dropsAfterGrace(boolean writable) {
        return !writable;
    }
}
