package dev.gatehouse.store;

import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.Overwrite;
import dev.gatehouse.core.store.Channels;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

final class JdbcChannels implements Channels {

    private static final String COLUMNS = "id, guild_id, type, name, topic, position, parent_id, nsfw, bitrate, "
            + "user_limit, rate_limit_per_user, last_message_id";

    private final Handle h;

    JdbcChannels(Handle h) {
        this.h = h;
    }

    private static Channel map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Channel(rs.getLong("id"), rs.getInt("type"), Rows.nullableLong(rs, "guild_id"), rs.getString("name"),
                rs.getString("topic"), rs.getInt("position"), Rows.nullableLong(rs, "parent_id"), rs.getBoolean("nsfw"),
                rs.getInt("bitrate"), rs.getInt("user_limit"), rs.getInt("rate_limit_per_user"),
                Rows.nullableLong(rs, "last_message_id"), List.of(), List.of());
    }

    private static String dmKey(long a, long b) {
        return Math.min(a, b) + ":" + Math.max(a, b);
    }

    @Override
    public void insert(Channel c) {
        String dmKey = c.isDm() && c.recipientIds().size() == 2 ? dmKey(c.recipientIds().get(0), c.recipientIds().get(1)) : null;
        h.createUpdate("INSERT INTO channels (" + COLUMNS + ", dm_key) VALUES (:id, :guildId, :type, :name, :topic, :position, "
                        + ":parentId, :nsfw, :bitrate, :userLimit, :rateLimitPerUser, :lastMessageId, :dmKey)")
                .bindMethods(c).bind("dmKey", dmKey).execute();
        for (Overwrite o : c.overwrites()) {
            putOverwrite(c.id(), o);
        }
        for (long userId : c.recipientIds()) {
            h.createUpdate("INSERT INTO dm_recipients (channel_id, user_id) VALUES (:c, :u)").bind("c", c.id()).bind("u", userId).execute();
        }
    }

    @Override
    public Optional<Channel> find(long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM channels WHERE id = :id").bind("id", id)
                .map(JdbcChannels::map).findOne().map(this::withChildren);
    }

    private Channel withChildren(Channel c) {
        if (c.isDm()) {
            List<Long> recipients = h.createQuery("SELECT user_id FROM dm_recipients WHERE channel_id = :c ORDER BY user_id")
                    .bind("c", c.id()).mapTo(Long.class).list();
            return copy(c, List.of(), recipients);
        }
        List<Overwrite> overwrites = h.createQuery("SELECT target_id, type, allow_bits, deny_bits FROM overwrites WHERE channel_id = :c ORDER BY target_id")
                .bind("c", c.id()).map(JdbcChannels::mapOverwrite).list();
        return copy(c, overwrites, List.of());
    }

    private static Overwrite mapOverwrite(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Overwrite(rs.getLong("target_id"), rs.getInt("type"), rs.getLong("allow_bits"), rs.getLong("deny_bits"));
    }

    private static Channel copy(Channel c, List<Overwrite> overwrites, List<Long> recipients) {
        return new Channel(c.id(), c.type(), c.guildId(), c.name(), c.topic(), c.position(), c.parentId(), c.nsfw(),
                c.bitrate(), c.userLimit(), c.rateLimitPerUser(), c.lastMessageId(), overwrites, recipients);
    }

    @Override
    public List<Channel> listByGuild(long guildId) {
        List<Channel> channels = h.createQuery("SELECT " + COLUMNS + " FROM channels WHERE guild_id = :g ORDER BY position, id")
                .bind("g", guildId).map(JdbcChannels::map).list();
        Map<Long, List<Overwrite>> overwrites = new HashMap<>();
        h.createQuery("SELECT o.channel_id, o.target_id, o.type, o.allow_bits, o.deny_bits FROM overwrites o "
                        + "JOIN channels c ON c.id = o.channel_id WHERE c.guild_id = :g ORDER BY o.target_id")
                .bind("g", guildId)
                .map((rs, ctx) -> Map.entry(rs.getLong("channel_id"), mapOverwrite(rs, ctx)))
                .forEach(e -> overwrites.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return channels.stream().map(c -> copy(c, overwrites.getOrDefault(c.id(), List.of()), List.of())).toList();
    }

    @Override
    public void update(Channel c) {
        h.createUpdate("UPDATE channels SET name = :name, topic = :topic, position = :position, parent_id = :parentId, "
                        + "nsfw = :nsfw, bitrate = :bitrate, user_limit = :userLimit, rate_limit_per_user = :rateLimitPerUser, "
                        + "type = :type WHERE id = :id")
                .bindMethods(c).execute();
    }

    @Override
    public void delete(long id) {
        h.createUpdate("UPDATE channels SET parent_id = NULL WHERE parent_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM channels WHERE id = :id").bind("id", id).execute();
    }

    @Override
    public void putOverwrite(long channelId, Overwrite o) {
        int updated = h.createUpdate("UPDATE overwrites SET type = :type, allow_bits = :allow, deny_bits = :deny "
                        + "WHERE channel_id = :c AND target_id = :id")
                .bindMethods(o).bind("c", channelId).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO overwrites (channel_id, target_id, type, allow_bits, deny_bits) VALUES (:c, :id, :type, :allow, :deny)")
                    .bindMethods(o).bind("c", channelId).execute();
        }
    }

    @Override
    public boolean deleteOverwrite(long channelId, long targetId) {
        return h.createUpdate("DELETE FROM overwrites WHERE channel_id = :c AND target_id = :t")
                .bind("c", channelId).bind("t", targetId).execute() > 0;
    }

    @Override
    public void deleteOverwritesFor(long guildId, long targetId) {
        h.createUpdate("DELETE FROM overwrites WHERE target_id = :t AND channel_id IN (SELECT id FROM channels WHERE guild_id = :g)")
                .bind("g", guildId).bind("t", targetId).execute();
    }

    @Override
    public void setLastMessageId(long channelId, long messageId) {
        h.createUpdate("UPDATE channels SET last_message_id = :m WHERE id = :c AND (last_message_id IS NULL OR last_message_id < :m)")
                .bind("c", channelId).bind("m", messageId).execute();
    }

    @Override
    public Optional<Channel> findDm(long userA, long userB) {
        return h.createQuery("SELECT " + COLUMNS + " FROM channels WHERE dm_key = :k").bind("k", dmKey(userA, userB))
                .map(JdbcChannels::map).findOne().map(this::withChildren);
    }

    @Override
    public List<Channel> listDms(long userId) {
        return h.createQuery("SELECT " + COLUMNS.replaceAll("(\\w+)", "c.$1")
                        + " FROM channels c JOIN dm_recipients r ON r.channel_id = c.id WHERE r.user_id = :u ORDER BY c.id")
                .bind("u", userId).map(JdbcChannels::map).list().stream().map(this::withChildren).toList();
    }
}
