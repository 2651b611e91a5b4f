package dev.gatehouse.core;

import dev.gatehouse.core.error.Unavailable;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/**
 * Generates Discord-shaped snowflake ids: milliseconds since 2015-01-01 shifted left 22, then 5
 * bits of worker, 5 of process and a 12-bit increment. Ids from one generator are strictly
 * increasing, even when the clock steps back (we keep using the last timestamp).
 */
public final class Snowflakes {

    public static final long EPOCH = 1_420_070_400_000L;

    private final Clock clock;
    private final long workerBits;
    private final BooleanSupplier mayMint;
    private long lastMillis;
    private long increment;

    public Snowflakes(Clock clock, int worker, int process) {
        this(clock, worker, process, () -> true);
    }

    /**
     * @param mayMint whether the worker and process bits are still this generator's to use (in a
     *     cluster, whether the node's worker-id lease holds); when not, {@link #next} refuses
     */
    public Snowflakes(Clock clock, int worker, int process, BooleanSupplier mayMint) {
        if (worker < 0 || worker > 31 || process < 0 || process > 31) {
            throw new IllegalArgumentException("worker and process must be 0..31");
        }
        this.clock = clock;
        this.workerBits = ((long) worker << 17) | ((long) process << 12);
        this.mayMint = mayMint;
    }

    /** The next id; {@link Unavailable} when the worker id may not be used now (a lost lease). */
    public synchronized long next() {
        if (!mayMint.getAsBoolean()) {
            throw new Unavailable("this node's worker id lease is not held");
        }
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
