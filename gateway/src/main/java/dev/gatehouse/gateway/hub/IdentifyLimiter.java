package dev.gatehouse.gateway.hub;

import dev.gatehouse.core.limit.WindowCounters;

/**
 * Identify concurrency (docs/PROTOCOL.md §4.3): one identify per 5 s per bot and rate-limit bucket
 * ({@code shard_id % max_concurrency}). Counted in this node's memory, or in a cluster in counters
 * the nodes share, so shards identifying on different nodes wait for each other as on one.
 */
public final class IdentifyLimiter {

    static final long WINDOW_MS = 5_000;

    private final int maxConcurrency;
    private final WindowCounters counters;

    public IdentifyLimiter(int maxConcurrency, WindowCounters counters) {
        this.maxConcurrency = Math.max(1, maxConcurrency);
        this.counters = counters;
    }

    /** Whether this identify may go ahead: the first of its bucket's window. */
    public boolean tryAcquire(long userId, int shardId, long now) {
        return counters.hit("identify:" + userId + ":" + (shardId % maxConcurrency), WINDOW_MS, now).count() == 1;
    }
}
