package dev.gatehouse.store;

import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.store.Roles;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

final class JdbcRoles implements Roles {

    private static final String COLUMNS = "id, guild_id, name, color, hoist, position, permissions, managed, mentionable";

    private final Handle h;

    JdbcRoles(Handle h) {
        this.h = h;
    }

    private static Role map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Role(rs.getLong("id"), rs.getLong("guild_id"), rs.getString("name"), rs.getInt("color"),
                rs.getBoolean("hoist"), rs.getInt("position"), rs.getLong("permissions"), rs.getBoolean("managed"),
                rs.getBoolean("mentionable"));
    }

    @Override
    public void insert(Role r) {
        h.createUpdate("INSERT INTO roles (" + COLUMNS + ") VALUES (:id, :guildId, :name, :color, :hoist, :position, "
                + ":permissions, :managed, :mentionable)").bindMethods(r).execute();
    }

    @Override
    public Optional<Role> find(long guildId, long roleId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM roles WHERE guild_id = :g AND id = :id")
                .bind("g", guildId).bind("id", roleId).map(JdbcRoles::map).findOne();
    }

    @Override
    public List<Role> list(long guildId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM roles WHERE guild_id = :g ORDER BY position, id")
                .bind("g", guildId).map(JdbcRoles::map).list();
    }

    @Override
    public void update(Role r) {
        h.createUpdate("UPDATE roles SET name = :name, color = :color, hoist = :hoist, position = :position, "
                + "permissions = :permissions, mentionable = :mentionable WHERE guild_id = :guildId AND id = :id")
                .bindMethods(r).execute();
    }

    @Override
    public void delete(long guildId, long roleId) {
        h.createUpdate("DELETE FROM roles WHERE guild_id = :g AND id = :id").bind("g", guildId).bind("id", roleId).execute();
    }

    @Override
    public void updatePosition(long guildId, long roleId, int position) {
        h.createUpdate("UPDATE roles SET position = :p WHERE guild_id = :g AND id = :id")
                .bind("g", guildId).bind("id", roleId).bind("p", position).execute();
    }
}
