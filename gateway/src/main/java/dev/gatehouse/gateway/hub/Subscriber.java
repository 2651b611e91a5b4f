package dev.gatehouse.gateway.hub;

import dev.gatehouse.gateway.session.GatewaySession;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A session as the hub sees it: the session, the event loop it was identified on (its home, where
 * every dispatch to it runs, for life) and the guilds of its shard it follows. A guild is followed
 * from the point of its order where the session got its GUILD_CREATE, and left where its
 * GUILD_DELETE went out; both happen inside that guild's section, so each guild's events reach the
 * session exactly from its GUILD_CREATE to its GUILD_DELETE.
 */
public final class Subscriber {

    private final GatewaySession session;
    private final Executor home;
    /** Guarded by {@code this}: followed guilds, and whether the session left the registry. */
    private final Set<Long> guilds = new HashSet<>();
    private boolean removed;
    /**
     * Streams (guilds, the user's) whose events up to a version this session must not get, because
     * it has them already: its GUILD_CREATE showed them while this node's delivery of the guild was
     * behind the snapshot, or it had them on the node it was handed over from. Read on every
     * delivery, so copied on write (rare) and read without a lock.
     */
    private volatile Map<Long, Long> skipThrough = Map.of();

    Subscriber(GatewaySession session, Executor home) {
        this.session = session;
        this.home = home;
    }

    public GatewaySession session() {
        return session;
    }

    public Executor home() {
        return home;
    }

    public synchronized boolean follows(long guildId) {
        return guilds.contains(guildId);
    }

    /** The guilds followed now. */
    synchronized java.util.Set<Long> followedGuilds() {
        return java.util.Set.copyOf(guilds);
    }

    /** The version of the stream up to which events are skipped as already shown, or 0. */
    long shownThrough(long stream) {
        return skipThrough.getOrDefault(stream, 0L);
    }

    /** Adds the guild unless the session already left the registry; false then or when followed already. */
    synchronized boolean addGuild(long guildId) {
        return !removed && guilds.add(guildId);
    }

    synchronized boolean removeGuild(long guildId) {
        skipsDone(guildId);
        return guilds.remove(guildId);
    }

    /** The session has the stream up to {@code version}: its events up to there are not sent. */
    synchronized void skipThrough(long stream, long version) {
        Map<Long, Long> next = new HashMap<>(skipThrough);
        next.put(stream, version);
        skipThrough = Map.copyOf(next);
    }

    /**
     * Whether the stream's event at {@code version} is one the session has already. Inside the
     * stream's section; the first event past it ends the skipping.
     */
    boolean alreadyShown(long stream, long version) {
        Map<Long, Long> skips = skipThrough;
        if (skips.isEmpty()) {
            return false;
        }
        Long through = skips.get(stream);
        if (through == null) {
            return false;
        }
        if (version <= through) {
            return true;
        }
        skipsDone(stream);
        return false;
    }

    private synchronized void skipsDone(long stream) {
        if (skipThrough.containsKey(stream)) {
            Map<Long, Long> next = new HashMap<>(skipThrough);
            next.remove(stream);
            skipThrough = Map.copyOf(next);
        }
    }

    synchronized boolean isRemoved() {
        return removed;
    }

    /** Marks the subscriber gone and returns the guilds it followed: no guild can be added after. */
    synchronized List<Long> markRemoved() {
        removed = true;
        List<Long> followed = List.copyOf(guilds);
        guilds.clear();
        return followed;
    }

    /**
     * Queues a dispatch behind everything already queued for the session on its home loop, so it
     * never overtakes an event it follows from (a member list update after the GUILD_MEMBER_ADD
     * it reflects). From any thread.
     */
    public void send(String type, byte[] body, LongSupplier clock) {
        sendIf(() -> true, type, body, clock);
    }

    /** As {@link #send}, if {@code stillWanted} holds when the dispatch's turn comes. */
    public void sendIf(BooleanSupplier stillWanted, String type, byte[] body, LongSupplier clock) {
        home.execute(() -> {
            if (stillWanted.getAsBoolean() && session.dispatch(type, body, null, clock.getAsLong())) {
                session.flush();
            }
        });
    }
}
