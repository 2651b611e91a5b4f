package dev.gatehouse.core.store;

/** Gateway session starts (identifies) per user, for the daily session-start limit. */
public interface SessionStarts {
    void record(long userId, long at);

    int countSince(long userId, long since);

    /** The oldest start at or after {@code since}, or 0 when there is none. */
    long oldestSince(long userId, long since);

    /** Forgets starts older than {@code before}. */
    void prune(long before);
}
