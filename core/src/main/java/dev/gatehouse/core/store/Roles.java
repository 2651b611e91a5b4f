package dev.gatehouse.core.store;

import dev.gatehouse.core.model.Role;
import java.util.List;
import java.util.Optional;

public interface Roles {
    void insert(Role role);

    Optional<Role> find(long guildId, long roleId);

    /** The guild's roles ordered by position then id. */
    List<Role> list(long guildId);

    void update(Role role);

    void delete(long guildId, long roleId);

    void updatePosition(long guildId, long roleId, int position);
}
