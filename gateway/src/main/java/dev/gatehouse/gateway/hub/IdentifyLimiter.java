package dev.gatehouse.gateway.hub;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Identify concurrency (docs/PROTOCOL.md §4.3): one identify per 5 s per bot and rate-limit bucket
 * ({@code shard_id % max_concurrency}). In memory, per node.
 */
public final class IdentifyLimiter {

    static final long WINDOW_MS = 5_000;

    private record Bucket(long userId, int bucket) {}

    private final Map<Bucket, Long> lastIdentify = new ConcurrentHashMap<>();
    private final int maxConcurrency;

    public IdentifyLimiter(int maxConcurrency) {
        this.maxConcurrency = Math.max(1, maxConcurrency);
    }

    public boolean tryAcquire(long userId, int shardId, long now) {
        Bucket key = new Bucket(userId, shardId % maxConcurrency);
        boolean[] granted = {false};
        lastIdentify.compute(key, (k, last) -> {
            if (last == null || now - last >= WINDOW_MS) {
                granted[0] = true;
                return now;
            }
            return last;
        });
        return granted[0];
    }

    /** Forgets buckets whose window has passed (they would grant anyway). */
    public void prune(long now) {
        lastIdentify.values().removeIf(last -> now - last >= WINDOW_MS);
    }
}
