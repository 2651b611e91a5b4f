package dev.gatehouse.core.store;

import dev.gatehouse.core.model.Guild;
import java.util.List;
import java.util.Optional;

public interface Guilds {
    void insert(Guild guild);

    Optional<Guild> find(long id);

    void update(Guild guild);

    /** Deletes the guild with its roles, channels, members, bans, invites, messages and reactions. */
    void delete(long id);

    /** Guilds the user is a member of, ordered by id. */
    List<Guild> listForUser(long userId);

    int countOwnedOrJoined(long userId);
}
