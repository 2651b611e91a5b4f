package dev.gatehouse.rest.ratelimit;

/**
 * The tunable numbers of {@link BucketRateLimits}. Per-route limits are not here: each route names
 * its own in the route table.
 *
 * @param globalLimit requests per {@code globalWindowMillis} per caller across all routes (Discord: 50 per second)
 * @param globalWindowMillis the global window
 * @param invalidLimit 401, 403 and 429 answers per {@code invalidWindowMillis} per client IP before the IP is blocked
 *                     (Discord: 10,000 per 10 minutes)
 * @param invalidWindowMillis the invalid-request window
 * @param blockMillis how long a blocked IP gets nothing but 429
 * @param maxKeys the most counters each table (route buckets, global, invalid requests, blocks) keeps;
 *                beyond it the table drops expired counters and then arbitrary ones
 * @param sweepEveryMillis how often expired counters are dropped even when the tables are small
 */
public record RateLimitConfig(
        int globalLimit,
        long globalWindowMillis,
        int invalidLimit,
        long invalidWindowMillis,
        long blockMillis,
        int maxKeys,
        long sweepEveryMillis) {

    public RateLimitConfig {
        if (globalLimit < 1 || invalidLimit < 1 || maxKeys < 10) {
            throw new IllegalArgumentException("limits must be positive and maxKeys at least 10");
        }
        if (globalWindowMillis < 1 || invalidWindowMillis < 1 || blockMillis < 1 || sweepEveryMillis < 1) {
            throw new IllegalArgumentException("windows must be positive");
        }
    }

    /** Discord's numbers; a block lasts an hour; half a million counters per table at most. */
    public static RateLimitConfig defaults() {
        return new RateLimitConfig(50, 1_000, 10_000, 600_000, 3_600_000, 500_000, 60_000);
    }

    public RateLimitConfig withInvalidRequests(int limit, long windowMillis, long newBlockMillis) {
        return new RateLimitConfig(globalLimit, globalWindowMillis, limit, windowMillis, newBlockMillis, maxKeys, sweepEveryMillis);
    }

    public RateLimitConfig withGlobal(int limit, long windowMillis) {
        return new RateLimitConfig(limit, windowMillis, invalidLimit, invalidWindowMillis, blockMillis, maxKeys, sweepEveryMillis);
    }

    public RateLimitConfig withMaxKeys(int newMaxKeys, long newSweepEveryMillis) {
        return new RateLimitConfig(globalLimit, globalWindowMillis, invalidLimit, invalidWindowMillis, blockMillis, newMaxKeys, newSweepEveryMillis);
    }
}
