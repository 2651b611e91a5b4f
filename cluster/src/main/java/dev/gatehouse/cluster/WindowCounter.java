package dev.gatehouse.cluster;

/**
 * Fixed-window hit counters that several nodes share, for limits that must hold across the
 * cluster (HTTP rate-limit buckets, the global limit per token, identify budgets): a key's window
 * opens with its first hit and closes {@code windowMillis} later, as on one node.
 */
public interface WindowCounter extends AutoCloseable {

    /** One hit counted: the window's count including it, and the epoch millisecond the window closes. */
    record Hit(long count, long resetAt) {}

    Hit hit(String key, long windowMillis);

    @Override
    void close();
}
