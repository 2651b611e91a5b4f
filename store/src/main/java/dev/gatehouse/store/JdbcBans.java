package dev.gatehouse.store;

import dev.gatehouse.core.model.Ban;
import dev.gatehouse.core.store.Bans;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class JdbcBans implements Bans {

    private final Handle h;

    JdbcBans(Handle h) {
        this.h = h;
    }

    @Override
    public void put(Ban b) {
        int updated = h.createUpdate("UPDATE bans SET reason = :reason WHERE guild_id = :guildId AND user_id = :userId").bindMethods(b).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO bans (guild_id, user_id, reason) VALUES (:guildId, :userId, :reason)").bindMethods(b).execute();
        }
    }

    @Override
    public Optional<Ban> find(long guildId, long userId) {
        return h.createQuery("SELECT guild_id, user_id, reason FROM bans WHERE guild_id = :g AND user_id = :u")
                .bind("g", guildId).bind("u", userId)
                .map((rs, ctx) -> new Ban(rs.getLong(1), rs.getLong(2), rs.getString(3))).findOne();
    }

    @Override
    public List<Ban> list(long guildId, long afterUserId, long beforeUserId, int limit) {
        return h.createQuery("SELECT guild_id, user_id, reason FROM bans WHERE guild_id = :g AND user_id > :after AND user_id < :before "
                        + "ORDER BY user_id LIMIT :limit")
                .bind("g", guildId).bind("after", afterUserId).bind("before", beforeUserId).bind("limit", limit)
                .map((rs, ctx) -> new Ban(rs.getLong(1), rs.getLong(2), rs.getString(3))).list();
    }

    @Override
    public boolean delete(long guildId, long userId) {
        return h.createUpdate("DELETE FROM bans WHERE guild_id = :g AND user_id = :u").bind("g", guildId).bind("u", userId).execute() == 1;
    }
}
