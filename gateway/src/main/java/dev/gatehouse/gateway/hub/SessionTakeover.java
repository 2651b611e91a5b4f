package dev.gatehouse.gateway.hub;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.event.EventBus;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.gateway.fanout.GuildAccess;
import dev.gatehouse.gateway.presence.Presences;
import dev.gatehouse.gateway.session.GatewaySession;
import dev.gatehouse.gateway.session.SessionState;
import dev.gatehouse.protocol.gateway.CloseCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sessions moving between nodes (docs/ARCHITECTURE.md, "Cluster"). A draining node hands each
 * session over ({@link #export}): its numbering and unacknowledged dispatches, and for each
 * stream it follows the version it has everything up to. The node the client resumes on takes it
 * ({@link #restore}): it registers the session and follows each stream from that version, and
 * what this node had already delivered past it to its own sessions is read from the event log
 * and sent to this one alone, before anything newer. So the client gets every event once, in
 * order, wherever it resumes.
 */
public final class SessionTakeover {

    private static final int READ_BATCH = 500;

    private final Platform platform;
    private final GatewayConfig config;
    private final SessionRegistry registry;
    private final Fanout fanout;
    private final GuildAccess access;
    private final Presences presences;
    private final Consumer<GatewaySession> onEnd;

    public SessionTakeover(Platform platform, GatewayConfig config, SessionRegistry registry, Fanout fanout, GuildAccess access,
            Presences presences, Consumer<GatewaySession> onEnd) {
        this.platform = platform;
        this.config = config;
        this.registry = registry;
        this.fanout = fanout;
        this.access = access;
        this.presences = presences;
        this.onEnd = onEnd;
    }

    /**
     * The session's state, for another node; on its home loop, while nothing new is delivered
     * here (the draining node stopped taking events first), so the positions are exact.
     */
    public SessionState export(Subscriber s) {
        Set<Long> guilds = s.followedGuilds();
        return s.session().export(positions(s, guilds), guilds, presences.of(s.session()));
    }

    /** Per stream, the version the session has everything up to: this node's delivery, or its own skip if further. */
    private Map<Long, Long> positions(Subscriber s, Set<Long> guilds) {
        EventBus bus = platform.context().bus();
        long user = s.session().identity().userId();
        Map<Long, Long> positions = new HashMap<>();
        positions.put(user, Math.max(Math.max(0, bus.streams().delivered(user)), s.shownThrough(user)));
        for (long guild : guilds) {
            positions.put(guild, Math.max(Math.max(0, bus.streams().delivered(guild)), s.shownThrough(guild)));
        }
        return positions;
    }

    /**
     * Gives up a live session for another node its client resumed on: inside the sections of all
     * its streams (no event is being delivered to it) the positions are taken and it leaves the
     * registry (none will be); then, on its home loop, behind every dispatch already queued for
     * it, its state is taken and it ends here, closing a connection still attached (4000). Null
     * when it is not here, not that user's, or still starting.
     */
    public CompletableFuture<SessionState> release(String sessionId, long userId) {
        Subscriber s = registry.subscriber(sessionId);
        if (s == null || s.session().identity().userId() != userId || !s.session().isLive()) {
            return CompletableFuture.completedFuture(null);
        }
        EventBus bus = platform.context().bus();
        for (int attempt = 0; attempt < 10; attempt++) {
            Set<Long> guilds = s.followedGuilds();
            Set<Long> keys = new LinkedHashSet<>(guilds);
            keys.add(userId);
            Map<Long, Long> positions = bus.order().writing(keys, () -> {
                if (!s.followedGuilds().equals(guilds)) {
                    return null; // it joined or left a guild meanwhile: take those sections too
                }
                Map<Long, Long> taken = positions(s, guilds);
                registry.remove(s);
                return taken;
            });
            if (positions != null) {
                CompletableFuture<SessionState> state = new CompletableFuture<>();
                s.home().execute(() -> {
                    SessionState exported = s.session().export(positions, guilds, presences.of(s.session()));
                    s.session().end(CloseCode.UNKNOWN_ERROR, "Session resumed on another node");
                    state.complete(exported);
                });
                return state;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Registers a handed-over session, homed on {@code loop}, and brings it up to this node's
     * delivery of each of its streams. Blocking (reads the log); the session has no connection
     * until the caller resumes it.
     */
    GatewaySession restore(SessionState state, Executor loop, long now) {
        GatewaySession session = GatewaySession.restore(state, config, now);
        long user = state.identity().userId();
        Subscriber[] registered = new Subscriber[1];
        catchUp(user, state.positions().getOrDefault(user, 0L), () -> {
            registered[0] = registry.add(session, loop);
            session.onEnd(onEnd);
            return registered[0];
        });
        Subscriber s = registered[0];
        for (long guild : state.guilds()) {
            catchUp(guild, state.positions().getOrDefault(guild, 0L), () -> {
                access.warm(guild);
                registry.follow(s, guild);
                return s;
            });
        }
        // shown as it was on the node it came from, once its guilds are followed here
        presences.started(session, state.presence());
        return session;
    }

    /**
     * Inside the stream's section (and those of the events to replay: a join takes its guild's):
     * follows the stream from {@code position}, joins the session to it, then replays what this
     * node delivered past the position, or skips what it has not delivered yet up to it.
     */
    private void catchUp(long stream, long position, Supplier<Subscriber> join) {
        EventBus bus = platform.context().bus();
        Set<Long> keys = Set.of(stream);
        while (!keys.isEmpty()) {
            Set<Long> held = keys;
            keys = bus.order().writing(held, () -> {
                long delivered = bus.streams().follow(stream, position);
                List<GatewayEvent> missed = delivered > position ? read(stream, position, delivered) : List.of();
                Set<Long> needed = new LinkedHashSet<>(held);
                missed.forEach(e -> needed.addAll(e.orderKeys()));
                if (!needed.equals(held)) {
                    return needed; // again, holding the sections of the joins to replay too
                }
                Subscriber s = join.get();
                if (position > delivered) {
                    s.skipThrough(stream, position);
                }
                missed.forEach(e -> fanout.replay(e, s));
                return Set.<Long>of();
            });
        }
    }

    /** What this node delivered of the stream past the session's position: from memory while it has it, else from the log. */
    private List<GatewayEvent> read(long stream, long after, long through) {
        List<GatewayEvent> recent = platform.context().bus().streams().recent(stream, after, through);
        if (recent != null) {
            return recent;
        }
        List<GatewayEvent> out = new ArrayList<>();
        long from = after;
        while (from < through) {
            long start = from;
            List<GatewayEvent> page = platform.context().store().read(tx -> tx.events().after(stream, start,
                    (int) Math.min(READ_BATCH, through - start)));
            if (page.isEmpty()) {
                break; // pruned: what is gone cannot be replayed
            }
            out.addAll(page);
            from = page.getLast().position().version();
        }
        return out;
    }
}
