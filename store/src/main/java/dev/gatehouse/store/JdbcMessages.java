package dev.gatehouse.store;

import dev.gatehouse.core.model.Message;
import dev.gatehouse.core.store.Messages;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

final class JdbcMessages implements Messages {

    private static final String COLUMNS = "id, channel_id, guild_id, author_id, content, nonce, type, edited_at, tts, "
            + "mention_everyone, mentions, mention_roles, embeds, ref_message_id, ref_channel_id, ref_guild_id, pinned, flags";

    private final Handle h;

    JdbcMessages(Handle h) {
        this.h = h;
    }

    private static Message map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Message(rs.getLong("id"), rs.getLong("channel_id"), Rows.nullableLong(rs, "guild_id"), rs.getLong("author_id"),
                rs.getString("content"), rs.getString("nonce"), rs.getInt("type"), Rows.nullableLong(rs, "edited_at"),
                rs.getBoolean("tts"), rs.getBoolean("mention_everyone"), Rows.idList(rs.getString("mentions")),
                Rows.idList(rs.getString("mention_roles")), rs.getString("embeds"), Rows.nullableLong(rs, "ref_message_id"),
                Rows.nullableLong(rs, "ref_channel_id"), Rows.nullableLong(rs, "ref_guild_id"), rs.getBoolean("pinned"),
                rs.getInt("flags"));
    }

    @Override
    public void insert(Message m) {
        h.createUpdate("INSERT INTO messages (" + COLUMNS + ") VALUES (:id, :channelId, :guildId, :authorId, :content, :nonce, "
                        + ":type, :editedAt, :tts, :mentionEveryone, :mentionsCsv, :mentionRolesCsv, :embedsJson, "
                        + ":referenceMessageId, :referenceChannelId, :referenceGuildId, :pinned, :flags)")
                .bindMethods(m)
                .bind("mentionsCsv", Rows.idCsv(m.mentions()))
                .bind("mentionRolesCsv", Rows.idCsv(m.mentionRoles()))
                .execute();
    }

    @Override
    public Optional<Message> find(long channelId, long messageId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM messages WHERE channel_id = :c AND id = :id")
                .bind("c", channelId).bind("id", messageId).map(JdbcMessages::map).findOne();
    }

    @Override
    public List<Message> listBefore(long channelId, long before, int limit) {
        return h.createQuery("SELECT " + COLUMNS + " FROM messages WHERE channel_id = :c AND id < :before ORDER BY id DESC LIMIT :limit")
                .bind("c", channelId).bind("before", before).bind("limit", limit).map(JdbcMessages::map).list();
    }

    @Override
    public List<Message> listAfter(long channelId, long after, int limit) {
        List<Message> oldestFirst = h.createQuery("SELECT " + COLUMNS + " FROM messages WHERE channel_id = :c AND id > :after "
                        + "ORDER BY id ASC LIMIT :limit")
                .bind("c", channelId).bind("after", after).bind("limit", limit).map(JdbcMessages::map).list();
        return oldestFirst.reversed();
    }

    @Override
    public void update(Message m) {
        h.createUpdate("UPDATE messages SET content = :content, edited_at = :editedAt, mention_everyone = :mentionEveryone, "
                        + "mentions = :mentionsCsv, mention_roles = :mentionRolesCsv, embeds = :embedsJson, pinned = :pinned, "
                        + "flags = :flags WHERE id = :id AND channel_id = :channelId")
                .bindMethods(m)
                .bind("mentionsCsv", Rows.idCsv(m.mentions()))
                .bind("mentionRolesCsv", Rows.idCsv(m.mentionRoles()))
                .execute();
    }

    @Override
    public boolean delete(long channelId, long messageId) {
        return h.createUpdate("DELETE FROM messages WHERE channel_id = :c AND id = :id").bind("c", channelId).bind("id", messageId).execute() == 1;
    }

    @Override
    public List<Long> deleteAll(long channelId, Collection<Long> messageIds) {
        if (messageIds.isEmpty()) {
            return List.of();
        }
        List<Long> present = h.createQuery("SELECT id FROM messages WHERE channel_id = :c AND id IN (<ids>) ORDER BY id")
                .bind("c", channelId).bindList("ids", List.copyOf(messageIds)).mapTo(Long.class).list();
        if (!present.isEmpty()) {
            h.createUpdate("DELETE FROM messages WHERE channel_id = :c AND id IN (<ids>)")
                    .bind("c", channelId).bindList("ids", present).execute();
        }
        return present;
    }

    @Override
    public java.util.Map<Long, List<Long>> deleteByAuthorSince(long guildId, long authorId, long sinceId) {
        java.util.Map<Long, List<Long>> byChannel = new java.util.LinkedHashMap<>();
        h.createQuery("SELECT channel_id, id FROM messages WHERE guild_id = :g AND author_id = :a AND id >= :since ORDER BY channel_id, id")
                .bind("g", guildId).bind("a", authorId).bind("since", sinceId)
                .map((rs, ctx) -> java.util.Map.entry(rs.getLong(1), rs.getLong(2)))
                .forEach(e -> byChannel.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
        if (!byChannel.isEmpty()) {
            h.createUpdate("DELETE FROM messages WHERE guild_id = :g AND author_id = :a AND id >= :since")
                    .bind("g", guildId).bind("a", authorId).bind("since", sinceId).execute();
        }
        return byChannel;
    }
}
