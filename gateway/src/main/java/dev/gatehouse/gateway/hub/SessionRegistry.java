package dev.gatehouse.gateway.hub;

import dev.gatehouse.gateway.session.GatewaySession;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The node's sessions, indexed three ways: by id (resume), by user (directed events) and by guild
 * (guild events). Thread-safe; a session leaves every index when it ends.
 */
public final class SessionRegistry {

    private final Map<String, Subscriber> byId = new ConcurrentHashMap<>();
    private final Map<Long, Set<Subscriber>> byUser = new ConcurrentHashMap<>();
    private final Map<Long, Set<Subscriber>> byGuild = new ConcurrentHashMap<>();

    /** Adds a session following the given guilds; it is removed when it ends. */
    public Subscriber add(GatewaySession session, Executor home, Collection<Long> guildIds) {
        Subscriber s = new Subscriber(session, home);
        byId.put(session.id(), s);
        byUser.computeIfAbsent(session.identity().userId(), k -> ConcurrentHashMap.newKeySet()).add(s);
        for (long guildId : guildIds) {
            follow(s, guildId);
        }
        session.onEnd(ended -> remove(s));
        return s;
    }

    public GatewaySession find(String sessionId) {
        Subscriber s = byId.get(sessionId);
        return s == null ? null : s.session();
    }

    void follow(Subscriber s, long guildId) {
        if (s.session().isEnded()) {
            return;
        }
        s.guilds().add(guildId);
        byGuild.computeIfAbsent(guildId, k -> ConcurrentHashMap.newKeySet()).add(s);
    }

    void unfollow(Subscriber s, long guildId) {
        s.guilds().remove(guildId);
        byGuild.computeIfPresent(guildId, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }

    private void remove(Subscriber s) {
        byId.remove(s.session().id(), s);
        byUser.computeIfPresent(s.session().identity().userId(), (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
        for (long guildId : List.copyOf(s.guilds())) {
            unfollow(s, guildId);
        }
    }

    Set<Subscriber> ofGuild(long guildId) {
        return byGuild.getOrDefault(guildId, Set.of());
    }

    Set<Subscriber> ofUser(long userId) {
        return byUser.getOrDefault(userId, Set.of());
    }

    /** Guilds some session on this node follows (what the guild caches need to keep). */
    public Set<Long> followedGuilds() {
        return byGuild.keySet();
    }

    public Collection<Subscriber> all() {
        return byId.values();
    }

    public int size() {
        return byId.size();
    }
}
