package dev.gatehouse.store;

import dev.gatehouse.core.model.Emoji;
import dev.gatehouse.core.store.Reactions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

final class JdbcReactions implements Reactions {

    private final Handle h;

    JdbcReactions(Handle h) {
        this.h = h;
    }

    @Override
    public boolean add(long channelId, long messageId, Emoji emoji, long userId, long createdAt) {
        return h.createUpdate("INSERT INTO reactions (message_id, channel_id, emoji_key, emoji_id, emoji_name, user_id, created_at) "
                        + "VALUES (:m, :c, :k, :eid, :ename, :u, :at) ON CONFLICT DO NOTHING")
                .bind("m", messageId).bind("c", channelId).bind("k", emoji.key()).bind("eid", emoji.id())
                .bind("ename", emoji.name()).bind("u", userId).bind("at", createdAt).execute() == 1;
    }

    @Override
    public boolean remove(long messageId, String emojiKey, long userId) {
        return h.createUpdate("DELETE FROM reactions WHERE message_id = :m AND emoji_key = :k AND user_id = :u")
                .bind("m", messageId).bind("k", emojiKey).bind("u", userId).execute() == 1;
    }

    @Override
    public List<Long> users(long messageId, String emojiKey, long afterUserId, int limit) {
        return h.createQuery("SELECT user_id FROM reactions WHERE message_id = :m AND emoji_key = :k AND user_id > :after "
                        + "ORDER BY user_id LIMIT :limit")
                .bind("m", messageId).bind("k", emojiKey).bind("after", afterUserId).bind("limit", limit).mapTo(Long.class).list();
    }

    @Override
    public int countEmojis(long messageId) {
        return h.createQuery("SELECT COUNT(DISTINCT emoji_key) FROM reactions WHERE message_id = :m").bind("m", messageId)
                .mapTo(Integer.class).one();
    }

    @Override
    public int removeAll(long messageId) {
        return h.createUpdate("DELETE FROM reactions WHERE message_id = :m").bind("m", messageId).execute();
    }

    @Override
    public int removeEmoji(long messageId, String emojiKey) {
        return h.createUpdate("DELETE FROM reactions WHERE message_id = :m AND emoji_key = :k").bind("m", messageId).bind("k", emojiKey).execute();
    }

    @Override
    public Map<Long, List<Count>> counts(Collection<Long> messageIds, long viewerUserId) {
        Map<Long, List<Count>> result = new HashMap<>();
        if (messageIds.isEmpty()) {
            return result;
        }
        h.createQuery("SELECT message_id, emoji_key, MIN(emoji_id) AS eid, MIN(emoji_name) AS ename, COUNT(*) AS n, "
                        + "SUM(CASE WHEN user_id = :viewer THEN 1 ELSE 0 END) AS mine, MIN(created_at) AS first_at "
                        + "FROM reactions WHERE message_id IN (<ids>) GROUP BY message_id, emoji_key ORDER BY message_id, first_at, emoji_key")
                .bind("viewer", viewerUserId).bindList("ids", List.copyOf(messageIds))
                .map((rs, ctx) -> {
                    long eid = rs.getLong("eid");
                    Emoji emoji = new Emoji(rs.wasNull() ? null : eid, rs.getString("ename"));
                    return Map.entry(rs.getLong("message_id"), new Count(emoji, rs.getInt("n"), rs.getInt("mine") > 0));
                })
                .forEach(e -> result.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return result;
    }
}
