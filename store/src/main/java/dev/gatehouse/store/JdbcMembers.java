package dev.gatehouse.store;

import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.store.Members;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

final class JdbcMembers implements Members {

    private final Handle h;

    JdbcMembers(Handle h) {
        this.h = h;
    }

    private record Row(long guildId, long userId, String nick, long joinedAt) {}

    /** Attaches role ids to member rows with one query per batch, not one per member. */
    private List<Member> withRoles(long guildId, List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, Set<Long>> roles = new HashMap<>();
        h.createQuery("SELECT user_id, role_id FROM member_roles WHERE guild_id = :g AND user_id IN (<users>) ORDER BY role_id")
                .bind("g", guildId)
                .bindList("users", rows.stream().map(Row::userId).toList())
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                .forEach(e -> roles.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).add(e.getValue()));
        List<Member> members = new ArrayList<>(rows.size());
        for (Row r : rows) {
            members.add(new Member(r.guildId, r.userId, r.nick, r.joinedAt, Set.copyOf(roles.getOrDefault(r.userId, Set.of()))));
        }
        return members;
    }

    private List<Row> rows(String where, java.util.function.Consumer<org.jdbi.v3.core.statement.Query> bind) {
        var q = h.createQuery("SELECT guild_id, user_id, nick, joined_at FROM members m " + where);
        bind.accept(q);
        return q.map((rs, ctx) -> new Row(rs.getLong("guild_id"), rs.getLong("user_id"), rs.getString("nick"), rs.getLong("joined_at"))).list();
    }

    @Override
    public boolean insert(Member m) {
        int inserted = h.createUpdate("INSERT INTO members (guild_id, user_id, nick, joined_at) VALUES (:guildId, :userId, :nick, :joinedAt) "
                + "ON CONFLICT DO NOTHING").bindMethods(m).execute();
        if (inserted == 1) {
            setRoles(m.guildId(), m.userId(), m.roles());
        }
        return inserted == 1;
    }

    @Override
    public Optional<Member> find(long guildId, long userId) {
        return withRoles(guildId, rows("WHERE guild_id = :g AND user_id = :u", q -> q.bind("g", guildId).bind("u", userId)))
                .stream().findFirst();
    }

    @Override
    public List<Member> list(long guildId, long afterUserId, int limit) {
        return withRoles(guildId, rows("WHERE guild_id = :g AND user_id > :after ORDER BY user_id LIMIT :limit",
                q -> q.bind("g", guildId).bind("after", afterUserId).bind("limit", limit)));
    }

    @Override
    public List<Member> findAll(long guildId, Collection<Long> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return withRoles(guildId, rows("WHERE guild_id = :g AND user_id IN (<users>) ORDER BY user_id",
                q -> q.bind("g", guildId).bindList("users", List.copyOf(userIds))));
    }

    @Override
    public List<Member> search(long guildId, String prefix, int limit) {
        // '!' escapes: JDBI's SQL lexer misreads a backslash inside a literal ('\') and breaks the statement
        String pattern = prefix.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        return withRoles(guildId, rows("JOIN users u ON u.id = m.user_id WHERE m.guild_id = :g "
                        + "AND (LOWER(u.username) LIKE :p ESCAPE '!' OR LOWER(u.global_name) LIKE :p ESCAPE '!' "
                        + "OR LOWER(m.nick) LIKE :p ESCAPE '!') ORDER BY m.user_id LIMIT :limit",
                q -> q.bind("g", guildId).bind("p", pattern).bind("limit", limit)));
    }

    @Override
    public void updateNick(long guildId, long userId, String nick) {
        h.createUpdate("UPDATE members SET nick = :n WHERE guild_id = :g AND user_id = :u")
                .bind("g", guildId).bind("u", userId).bind("n", nick).execute();
    }

    @Override
    public void setRoles(long guildId, long userId, Collection<Long> roleIds) {
        h.createUpdate("DELETE FROM member_roles WHERE guild_id = :g AND user_id = :u").bind("g", guildId).bind("u", userId).execute();
        for (long roleId : roleIds) {
            addRole(guildId, userId, roleId);
        }
    }

    @Override
    public boolean addRole(long guildId, long userId, long roleId) {
        return h.createUpdate("INSERT INTO member_roles (guild_id, user_id, role_id) VALUES (:g, :u, :r) ON CONFLICT DO NOTHING")
                .bind("g", guildId).bind("u", userId).bind("r", roleId).execute() == 1;
    }

    @Override
    public boolean removeRole(long guildId, long userId, long roleId) {
        return h.createUpdate("DELETE FROM member_roles WHERE guild_id = :g AND user_id = :u AND role_id = :r")
                .bind("g", guildId).bind("u", userId).bind("r", roleId).execute() == 1;
    }

    @Override
    public void removeRoleFromAll(long guildId, long roleId) {
        h.createUpdate("DELETE FROM member_roles WHERE guild_id = :g AND role_id = :r").bind("g", guildId).bind("r", roleId).execute();
    }

    @Override
    public boolean delete(long guildId, long userId) {
        return h.createUpdate("DELETE FROM members WHERE guild_id = :g AND user_id = :u").bind("g", guildId).bind("u", userId).execute() == 1;
    }

    @Override
    public int count(long guildId) {
        return h.createQuery("SELECT COUNT(*) FROM members WHERE guild_id = :g").bind("g", guildId).mapTo(Integer.class).one();
    }

    @Override
    public List<Long> guildIdsOf(long userId) {
        return h.createQuery("SELECT guild_id FROM members WHERE user_id = :u ORDER BY guild_id").bind("u", userId).mapTo(Long.class).list();
    }
}
