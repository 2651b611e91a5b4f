package dev.gatehouse.core.limit;

/**
 * Fixed-window hit counters by key, as Discord's rate-limit buckets work: a key's window opens
 * with its first hit and closes {@code windowMillis} later, when the count starts over. In this
 * process ({@link LocalWindowCounters}) or shared by the nodes of a cluster, for limits that must
 * hold whichever node a client reaches. Time is an argument; a shared implementation may keep the
 * windows by its own clock.
 */
public interface WindowCounters extends AutoCloseable {

    /** A key's window: the hits in it so far, and the epoch millisecond it closes. */
    record Window(long count, long resetAt) {}

    /** Counts one hit on the key; the window after it (its count includes this hit). */
    Window hit(String key, long windowMillis, long now);

    /** The key's open window, or null when it has none. */
    Window peek(String key, long now);

    /** Closes the key's window at once. */
    void forget(String key);

    @Override
    default void close() {}
}
