package dev.gatehouse.rpc.session;

/**
 * At most {@code limit} hits per fixed window that opens with the first hit after the previous one
 * closed. Time is an argument, as everywhere in the session core; one per connection, not shared
 * between threads.
 */
final class FixedWindow {

    private final int limit;
    private final long windowMillis;
    private long start = Long.MIN_VALUE;
    private int count;

    FixedWindow(int limit, long windowMillis) {
        this.limit = limit;
        this.windowMillis = windowMillis;
    }

    /** Counts a hit; false when it is over the window's limit. */
    boolean tryHit(long now) {
        if (start == Long.MIN_VALUE || now - start >= windowMillis) {
            start = now;
            count = 0;
        }
        return ++count <= limit;
    }
}
