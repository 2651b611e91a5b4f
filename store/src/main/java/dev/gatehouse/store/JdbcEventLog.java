package dev.gatehouse.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.store.EventLog;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.protocol.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The event log in the {@code event_streams} and {@code event_log} tables. */
final class JdbcEventLog implements EventLog {

    private static final Logger log = LoggerFactory.getLogger(JdbcEventLog.class);

    private final Handle h;
    /** Null in a read transaction: publishing there is a programming error. */
    private final List<GatewayEvent> published;

    JdbcEventLog(Handle h, List<GatewayEvent> published) {
        this.h = h;
        this.published = published;
    }

    @Override
    public void publish(GatewayEvent event) {
        if (published == null) {
            throw new IllegalStateException("events are published in a write transaction, not in a read");
        }
        if (!event.reportsCommittedChange()) {
            throw new IllegalArgumentException(event.type() + " reports no change and is not logged");
        }
        published.add(event);
    }

    /**
     * Writes the transaction's events, last thing before the commit: each stream's row is locked
     * (in stream order, so two transactions never wait on each other in a circle) and moved on by
     * the number of events it gets. Returns the events as they were logged, one per stream, in
     * publishing order.
     */
    List<GatewayEvent> append(List<GatewayEvent> events, long now) {
        Map<Long, Integer> counts = new TreeMap<>();
        for (GatewayEvent e : events) {
            for (long s : e.streams()) {
                counts.merge(s, 1, Integer::sum);
            }
        }
        Map<Long, Long> next = new HashMap<>();
        for (Map.Entry<Long, Integer> c : counts.entrySet()) {
            next.put(c.getKey(), take(c.getKey(), c.getValue(), now) + 1);
        }
        List<GatewayEvent> logged = new ArrayList<>();
        PreparedBatch batch = h.prepareBatch("INSERT INTO event_log (stream, version, guild_version, type, guild_id, channel_id, "
                + "user_ids, body, created_at) VALUES (:stream, :version, :gv, :type, :guild, :channel, :users, :body, :at)");
        for (GatewayEvent e : events) {
            byte[] body = Json.bytes(e.data());
            Long guild = e.aboutGuild();
            for (long s : e.streams()) {
                long version = next.merge(s, 1L, Long::sum) - 1;
                long guildVersion = guild == null ? 0 : e.isJoin() ? guildVersion(guild, next) : version;
                // a users' event goes on each user's stream addressed to that user alone
                GatewayEvent one = guild == null || e.isJoin() ? e.forUser(s) : e;
                GatewayEvent at = one.logged(new GatewayEvent.Position(s, version, guildVersion), body);
                logged.add(at);
                batch.bind("stream", s).bind("version", version).bind("gv", guildVersion).bind("type", e.type().name())
                        .bind("guild", e.guildId()).bind("channel", e.channelId()).bind("users", join(one.userIds()))
                        .bind("body", body).bind("at", now).add();
            }
        }
        batch.execute();
        return logged;
    }

    /** Moves the stream on by {@code n} versions under its row lock; returns the version before. */
    private long take(long stream, int n, long now) {
        int updated = h.createUpdate("UPDATE event_streams SET version = version + :n, changed_at = :at WHERE stream = :s")
                .bind("n", n).bind("at", now).bind("s", stream).execute();
        if (updated == 0) {
            // the stream's first event; a concurrent first one makes this insert do nothing and the update count
            h.createUpdate("INSERT INTO event_streams (stream, version, changed_at) VALUES (:s, 0, :at) ON CONFLICT DO NOTHING")
                    .bind("s", stream).bind("at", now).execute();
            h.createUpdate("UPDATE event_streams SET version = version + :n, changed_at = :at WHERE stream = :s")
                    .bind("n", n).bind("at", now).bind("s", stream).execute();
        }
        return version(stream) - n;
    }

    /** For a join: the guild's version after this transaction's own events of the guild so far. */
    private long guildVersion(long guild, Map<Long, Long> next) {
        Long mine = next.get(guild);
        return mine != null ? mine - 1 : version(guild);
    }

    @Override
    public long version(long stream) {
        return h.createQuery("SELECT version FROM event_streams WHERE stream = :s").bind("s", stream)
                .mapTo(Long.class).findOne().orElse(0L);
    }

    @Override
    public Map<Long, Long> versions(Collection<Long> streams) {
        Map<Long, Long> out = new HashMap<>();
        if (streams.isEmpty()) {
            return out;
        }
        h.createQuery("SELECT stream, version FROM event_streams WHERE stream IN (<streams>)").bindList("streams", List.copyOf(streams))
                .map((rs, c) -> out.put(rs.getLong(1), rs.getLong(2))).list();
        return out;
    }

    @Override
    public Map<Long, Long> changedSince(long since) {
        Map<Long, Long> out = new LinkedHashMap<>();
        h.createQuery("SELECT stream, version FROM event_streams WHERE changed_at >= :since").bind("since", since)
                .map((rs, c) -> out.put(rs.getLong(1), rs.getLong(2))).list();
        return out;
    }

    @Override
    public List<GatewayEvent> after(long stream, long version, int limit) {
        return h.createQuery("SELECT version, guild_version, type, guild_id, channel_id, user_ids, body FROM event_log "
                        + "WHERE stream = :s AND version > :v ORDER BY version LIMIT :limit")
                .bind("s", stream).bind("v", version).bind("limit", limit)
                .map((rs, c) -> read(stream, rs.getLong(1), rs.getLong(2), rs.getString(3), (Long) rs.getObject(4, Long.class),
                        (Long) rs.getObject(5, Long.class), rs.getString(6), rs.getBytes(7)))
                .list().stream().filter(e -> e != null).toList();
    }

    private static GatewayEvent read(long stream, long version, long guildVersion, String type, Long guild, Long channel,
            String users, byte[] body) {
        DispatchType dispatch;
        JsonNode data;
        try {
            dispatch = DispatchType.valueOf(type);
            data = Json.mapper().readTree(body);
        } catch (IllegalArgumentException | IOException e) {
            // written by a newer version of the server: nothing this node can deliver
            log.warn("skipping unreadable event {} at {}/{}", type, stream, version, e);
            return null;
        }
        return new GatewayEvent(dispatch, guild, channel, split(users), data,
                new GatewayEvent.Position(stream, version, guildVersion), body);
    }

    @Override
    public int prune(long before) {
        return h.createUpdate("DELETE FROM event_log WHERE created_at < :b").bind("b", before).execute();
    }

    private static String join(Set<Long> users) {
        return users.isEmpty() ? null : users.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static Set<Long> split(String users) {
        Set<Long> out = new HashSet<>();
        if (users != null && !users.isEmpty()) {
            for (String u : users.split(",")) {
                out.add(Long.parseLong(u));
            }
        }
        return out;
    }
}
