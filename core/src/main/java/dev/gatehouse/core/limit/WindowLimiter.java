package dev.gatehouse.core.limit;

/**
 * At most {@code limit} permits per fixed window that starts with the first permit taken after the
 * previous window ended. Time is an input, so the limiter is a pure counter. Used by the gateway
 * and voice session cores; not thread-safe (one per connection).
 */
public final class WindowLimiter {

    private final int limit;
    private final long windowMs;
    private long windowStart = Long.MIN_VALUE;
    private int used;

    public WindowLimiter(int limit, long windowMs) {
        this.limit = limit;
        this.windowMs = windowMs;
    }

    public boolean tryAcquire(long now) {
        roll(now);
        if (used < limit) {
            used++;
            return true;
        }
        return false;
    }

    public boolean available(long now) {
        roll(now);
        return used < limit;
    }

    /** When the next permit is free if none is now. */
    public long nextPermitAt() {
        return windowStart == Long.MIN_VALUE ? Long.MIN_VALUE : windowStart + windowMs;
    }

    private void roll(long now) {
        if (windowStart == Long.MIN_VALUE || now - windowStart >= windowMs) {
            windowStart = now;
            used = 0;
        }
    }
}
