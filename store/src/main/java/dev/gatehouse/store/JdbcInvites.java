package dev.gatehouse.store;

import dev.gatehouse.core.model.Invite;
import dev.gatehouse.core.store.Invites;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

final class JdbcInvites implements Invites {

    private static final String COLUMNS = "code, guild_id, channel_id, inviter_id, max_age, max_uses, uses, temporary, created_at";

    private final Handle h;

    JdbcInvites(Handle h) {
        this.h = h;
    }

    private static Invite map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Invite(rs.getString("code"), rs.getLong("guild_id"), rs.getLong("channel_id"), Rows.nullableLong(rs, "inviter_id"),
                rs.getInt("max_age"), rs.getInt("max_uses"), rs.getInt("uses"), rs.getBoolean("temporary"), rs.getLong("created_at"));
    }

    @Override
    public boolean insert(Invite i) {
        return h.createUpdate("INSERT INTO invites (" + COLUMNS + ") VALUES (:code, :guildId, :channelId, :inviterId, :maxAge, "
                + ":maxUses, :uses, :temporary, :createdAt) ON CONFLICT DO NOTHING").bindMethods(i).execute() == 1;
    }

    @Override
    public Optional<Invite> find(String code) {
        return h.createQuery("SELECT " + COLUMNS + " FROM invites WHERE code = :c").bind("c", code).map(JdbcInvites::map).findOne();
    }

    @Override
    public List<Invite> listByGuild(long guildId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM invites WHERE guild_id = :g ORDER BY created_at, code")
                .bind("g", guildId).map(JdbcInvites::map).list();
    }

    @Override
    public List<Invite> listByChannel(long channelId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM invites WHERE channel_id = :c ORDER BY created_at, code")
                .bind("c", channelId).map(JdbcInvites::map).list();
    }

    @Override
    public boolean use(String code) {
        // One statement, so two joins racing for the last use cannot both get it.
        return h.createUpdate("UPDATE invites SET uses = uses + 1 WHERE code = :c AND (max_uses = 0 OR uses < max_uses)")
                .bind("c", code).execute() == 1;
    }

    @Override
    public boolean delete(String code) {
        return h.createUpdate("DELETE FROM invites WHERE code = :c").bind("c", code).execute() == 1;
    }
}
