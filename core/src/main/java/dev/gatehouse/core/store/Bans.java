package dev.gatehouse.core.store;

import dev.gatehouse.core.model.Ban;
import java.util.List;
import java.util.Optional;

public interface Bans {
    /** Inserts or replaces the ban. */
    void put(Ban ban);

    Optional<Ban> find(long guildId, long userId);

    /** Bans ordered by user id, after/before the given user id, at most {@code limit}. */
    List<Ban> list(long guildId, long afterUserId, long beforeUserId, int limit);

    boolean delete(long guildId, long userId);
}
