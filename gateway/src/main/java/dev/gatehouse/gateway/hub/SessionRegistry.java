package dev.gatehouse.gateway.hub;

import dev.gatehouse.gateway.session.GatewaySession;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The node's sessions, indexed three ways: by id (resume), by user (directed events) and by guild
 * (guild events). Every index changes inside the map's atomic step for its key, so a session
 * ending on one thread never makes a concurrent follow of another session get lost, and a session
 * that ended is in no index afterwards (nothing pins its replay buffer).
 */
public final class SessionRegistry {

    private final Map<String, Subscriber> byId = new ConcurrentHashMap<>();
    private final Map<Long, Set<Subscriber>> byUser = new ConcurrentHashMap<>();
    private final Map<Long, Set<Subscriber>> byGuild = new ConcurrentHashMap<>();

    /**
     * Adds a session that follows no guild yet; it is removed when it ends. From here on, events
     * addressed to its user reach it (a guild joined while it starts).
     */
    public Subscriber add(GatewaySession session, Executor home) {
        Subscriber s = new Subscriber(session, home);
        byId.put(session.id(), s);
        addTo(byUser, session.identity().userId(), s);
        session.onEnd(ended -> remove(s));
        if (session.isEnded()) {
            remove(s); // ended before the listener was in place
        }
        return s;
    }

    public GatewaySession find(String sessionId) {
        Subscriber s = byId.get(sessionId);
        return s == null ? null : s.session();
    }

    public Subscriber subscriber(String sessionId) {
        return byId.get(sessionId);
    }

    /** Starts following a guild; false when the session already did or has ended. Call inside the guild's section. */
    boolean follow(Subscriber s, long guildId) {
        if (!s.addGuild(guildId)) {
            return false;
        }
        addTo(byGuild, guildId, s);
        if (s.isRemoved()) {
            // the session ended meanwhile, and remove() may have passed this guild before the add
            removeFrom(byGuild, guildId, s);
            return false;
        }
        return true;
    }

    /** Stops following a guild; false when it did not. Call inside the guild's section. */
    boolean unfollow(Subscriber s, long guildId) {
        if (!s.removeGuild(guildId)) {
            return false;
        }
        removeFrom(byGuild, guildId, s);
        return true;
    }

    /** Takes the session out of every index: no event reaches it from now on. Idempotent. */
    void remove(Subscriber s) {
        byId.remove(s.session().id(), s);
        removeFrom(byUser, s.session().identity().userId(), s);
        for (long guildId : s.markRemoved()) {
            removeFrom(byGuild, guildId, s);
        }
    }

    private static void addTo(Map<Long, Set<Subscriber>> index, long key, Subscriber s) {
        index.compute(key, (k, set) -> {
            Set<Subscriber> out = set == null ? ConcurrentHashMap.newKeySet() : set;
            out.add(s);
            return out;
        });
    }

    private static void removeFrom(Map<Long, Set<Subscriber>> index, long key, Subscriber s) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }

    Set<Subscriber> ofGuild(long guildId) {
        return byGuild.getOrDefault(guildId, Set.of());
    }

    Set<Subscriber> ofUser(long userId) {
        return byUser.getOrDefault(userId, Set.of());
    }

    /** Whether some session of the user is on this node. */
    public boolean hasUser(long userId) {
        return byUser.containsKey(userId);
    }

    /** Whether some session on this node follows the guild. */
    public boolean isFollowed(long guildId) {
        return byGuild.containsKey(guildId);
    }

    public Collection<Subscriber> all() {
        return byId.values();
    }

    public int size() {
        return byId.size();
    }
}
