package dev.gatehouse.core;

import java.time.Clock;

/**
 * Generates Discord-shaped snowflake ids: milliseconds since 2015-01-01 shifted left 22, then 5
 * bits of worker, 5 of process and a 12-bit increment. Ids from one generator are strictly
 * increasing, even when the clock steps back (we keep using the last timestamp).
 */
public final class Snowflakes {

    public static final long EPOCH = 1_420_070_400_000L;

    private final Clock clock;
    private final long workerBits;
    private long lastMillis;
    private long increment;

    public Snowflakes(Clock clock, int worker, int process) {
        if (worker < 0 || worker > 31 || process < 0 || process > 31) {
            throw new IllegalArgumentException("worker and process must be 0..31");
        }
        this.clock = clock;
        this.workerBits = ((long) worker << 17) | ((long) process << 12);
    }

    public synchronized long next() {
        long now = Math.max(clock.millis() - EPOCH, lastMillis);
        if (now == lastMillis) {
            increment = (increment + 1) & 0xFFF;
            if (increment == 0) {
                now = lastMillis + 1; // 4,096 ids in one millisecond: borrow the next one
            }
        } else {
            increment = 0;
        }
        lastMillis = now;
        return (now << 22) | workerBits | increment;
    }

    /** Unix milliseconds at which the id was created. */
    public static long timestamp(long id) {
        return (id >>> 22) + EPOCH;
    }

    /** The smallest id that could have been created at the given Unix milliseconds. */
    public static long fromTimestamp(long unixMillis) {
        return Math.max(0, unixMillis - EPOCH) << 22;
    }
}
