package dev.gatehouse.store;

import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.store.Guilds;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

final class JdbcGuilds implements Guilds {

    private static final String COLUMNS = "id, name, icon, description, owner_id, system_channel_id, afk_channel_id, "
            + "afk_timeout, verification_level, default_message_notifications, explicit_content_filter, created_at";

    private final Handle h;

    JdbcGuilds(Handle h) {
        this.h = h;
    }

    private static Guild map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Guild(rs.getLong("id"), rs.getString("name"), rs.getString("icon"), rs.getString("description"),
                rs.getLong("owner_id"), Rows.nullableLong(rs, "system_channel_id"), Rows.nullableLong(rs, "afk_channel_id"),
                rs.getInt("afk_timeout"), rs.getInt("verification_level"), rs.getInt("default_message_notifications"),
                rs.getInt("explicit_content_filter"), rs.getLong("created_at"));
    }

    @Override
    public void insert(Guild g) {
        h.createUpdate("INSERT INTO guilds (" + COLUMNS + ") VALUES (:id, :name, :icon, :description, :ownerId, "
                        + ":systemChannelId, :afkChannelId, :afkTimeout, :verificationLevel, :defaultMessageNotifications, "
                        + ":explicitContentFilter, :createdAt)")
                .bindMethods(g).execute();
    }

    @Override
    public Optional<Guild> find(long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM guilds WHERE id = :id").bind("id", id).map(JdbcGuilds::map).findOne();
    }

    @Override
    public void update(Guild g) {
        h.createUpdate("UPDATE guilds SET name = :name, icon = :icon, description = :description, owner_id = :ownerId, "
                        + "system_channel_id = :systemChannelId, afk_channel_id = :afkChannelId, afk_timeout = :afkTimeout, "
                        + "verification_level = :verificationLevel, default_message_notifications = :defaultMessageNotifications, "
                        + "explicit_content_filter = :explicitContentFilter WHERE id = :id")
                .bindMethods(g).execute();
    }

    @Override
    public void delete(long id) {
        // Children cascade; reactions and member roles cascade through messages and members.
        h.createUpdate("DELETE FROM guilds WHERE id = :id").bind("id", id).execute();
    }

    @Override
    public List<Guild> listForUser(long userId) {
        return h.createQuery("SELECT " + COLUMNS.replaceAll("(\\w+)", "g.$1")
                        + " FROM guilds g JOIN members m ON m.guild_id = g.id WHERE m.user_id = :u ORDER BY g.id")
                .bind("u", userId).map(JdbcGuilds::map).list();
    }

    @Override
    public int countOwnedOrJoined(long userId) {
        return h.createQuery("SELECT COUNT(*) FROM members WHERE user_id = :u").bind("u", userId).mapTo(Integer.class).one();
    }
}
