package dev.gatehouse.store;

import dev.gatehouse.core.store.SessionStarts;
import org.jdbi.v3.core.Handle;

final class JdbcSessionStarts implements SessionStarts {

    private final Handle h;

    JdbcSessionStarts(Handle h) {
        this.h = h;
    }

    @Override
    public void record(long userId, long at) {
        h.createUpdate("INSERT INTO session_starts (user_id, started_at) VALUES (:u, :at)").bind("u", userId).bind("at", at).execute();
    }

    @Override
    public int countSince(long userId, long since) {
        return h.createQuery("SELECT COUNT(*) FROM session_starts WHERE user_id = :u AND started_at >= :s")
                .bind("u", userId).bind("s", since).mapTo(Integer.class).one();
    }

    @Override
    public long oldestSince(long userId, long since) {
        Long oldest = h.createQuery("SELECT MIN(started_at) FROM session_starts WHERE user_id = :u AND started_at >= :s")
                .bind("u", userId).bind("s", since).mapTo(Long.class).one();
        return oldest == null ? 0 : oldest;
    }

    @Override
    public void prune(long before) {
        h.createUpdate("DELETE FROM session_starts WHERE started_at < :b").bind("b", before).execute();
    }
}
