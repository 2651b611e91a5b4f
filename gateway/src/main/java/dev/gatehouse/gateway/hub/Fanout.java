package dev.gatehouse.gateway.hub;

import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.event.StreamCursors;
import dev.gatehouse.gateway.fanout.GuildAccess;
import dev.gatehouse.gateway.fanout.Intents;
import dev.gatehouse.gateway.fanout.MessageContent;
import dev.gatehouse.gateway.session.GatewaySession;
import dev.gatehouse.gateway.session.SessionIdentity;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.protocol.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every bus event to the local sessions allowed to see it (README, "Architecture": events and
 * fan-out). Runs on the publishing thread inside the event's section of the event order, so
 * the events of one guild pass through here one at a time, in commit order, and each is judged on
 * the permissions in force at its place in that order. Which sessions follow a guild changes only
 * here and in identify's read section, so a session gets a guild's events exactly from its
 * GUILD_CREATE to its GUILD_DELETE.
 *
 * <p>Event loops only get the prepared batches: the body is serialised once per event and content
 * variant, each home loop receives one task per event for all its sessions (tasks of one loop run
 * in order, so each session sees the guild's order), and a burst of such tasks shares one flush per
 * socket ({@link LoopFlusher}).
 */
public final class Fanout {

    private static final Logger log = LoggerFactory.getLogger(Fanout.class);

    private record Delivery(GatewaySession session, byte[] body) {}

    private final SessionRegistry registry;
    private final GuildAccess access;
    private final StreamCursors streams;
    private final GuildSnapshots snapshots;
    private final LongSupplier clock;
    private final Map<Executor, LoopFlusher> flushers = new ConcurrentHashMap<>();

    public Fanout(SessionRegistry registry, GuildAccess access, StreamCursors streams, GuildSnapshots snapshots, LongSupplier clock) {
        this.registry = registry;
        this.access = access;
        this.streams = streams;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    public void publish(GatewayEvent event) {
        DispatchType type = event.type();
        Long guildId = event.aboutGuild();
        // a deletion is shown to those who could see the thing before it went; anything else to
        // those who can see it after the change
        boolean deletion = type == DispatchType.CHANNEL_DELETE || (type == DispatchType.GUILD_DELETE && !event.isDirected());
        if (!deletion) {
            observe(event);
        }
        if (guildId != null && event.isJoin()) {
            List<Subscriber> users = new ArrayList<>();
            event.userIds().forEach(u -> users.addAll(registry.ofUser(u)));
            joined(event, guildId, users);
        } else if (guildId != null && type == DispatchType.GUILD_DELETE) {
            deliver(event, guildId, left(event, guildId), false);
        } else {
            deliver(event, guildId, candidates(event), !event.isDirected());
        }
        if (deletion) {
            observe(event);
        }
    }

    /**
     * The user joined (or created) the guild: their sessions of its shard follow it from the
     * join's place in the guild's order, inside the guild's section. When this node has delivered
     * the guild past that place already (its events came before the user's), the sessions get a
     * GUILD_CREATE read now instead, at the version this node is at or beyond.
     */
    private void joined(GatewayEvent event, long guildId, Collection<Subscriber> users) {
        List<Subscriber> joining = new ArrayList<>();
        for (Subscriber s : users) {
            if (s.session().identity().servesGuild(guildId) && !s.follows(guildId)) {
                joining.add(s);
            }
        }
        if (joining.isEmpty()) {
            return;
        }
        long at = event.position() == null ? 0 : event.position().guildVersion();
        long delivered = streams.follow(guildId, at);
        if (delivered <= at) {
            follow(joining, guildId, at, delivered);
            deliver(event, guildId, joining, false);
            return;
        }
        for (Subscriber s : joining) {
            GuildSnapshots.Snapshot now = snapshots.read(guildId, s.session().identity().userId(), s.session().identity().largeThreshold());
            if (now.guild() != null) {
                follow(List.of(s), guildId, now.version(), delivered);
                deliver(event.withData(now.guild()), guildId, List.of(s), false);
            }
        }
    }

    /** Follows from {@code version} while this node has delivered the guild to {@code delivered}. */
    private void follow(List<Subscriber> joining, long guildId, long version, long delivered) {
        access.warm(guildId);
        joining.removeIf(s -> !registry.follow(s, guildId));
        if (version > delivered) {
            joining.forEach(s -> s.skipThrough(guildId, version));
        }
    }

    /** The users left, or the guild is gone: the sessions that followed it get GUILD_DELETE and stop. */
    private List<Subscriber> left(GatewayEvent event, long guildId) {
        Collection<Subscriber> from;
        if (event.isDirected()) {
            List<Subscriber> users = new ArrayList<>();
            event.userIds().forEach(u -> users.addAll(registry.ofUser(u)));
            from = users;
        } else {
            from = List.copyOf(registry.ofGuild(guildId));
        }
        List<Subscriber> out = new ArrayList<>();
        for (Subscriber s : from) {
            if (registry.unfollow(s, guildId)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Sends one session an event this node delivered before the session came here (a session
     * handed over by another node catches up from the log), as {@link #publish} would have, but
     * to that session alone and without touching the node's caches, which are past it already.
     * Inside the event's sections.
     */
    public void replay(GatewayEvent event, Subscriber s) {
        Long guildId = event.aboutGuild();
        if (!event.isDirected() || !event.userIds().contains(s.session().identity().userId())) {
            if (event.isDirected() || guildId == null || !s.follows(guildId)) {
                return; // not this session's: another user's, or a guild it does not follow
            }
        }
        if (guildId != null && event.isJoin()) {
            joined(event, guildId, List.of(s));
        } else if (guildId != null && event.type() == DispatchType.GUILD_DELETE) {
            if (registry.unfollow(s, guildId)) {
                deliver(event, guildId, List.of(s), false);
            }
        } else {
            deliver(event, guildId, List.of(s), !event.isDirected());
        }
    }

    private void observe(GatewayEvent event) {
        try {
            access.observe(event);
        } catch (RuntimeException e) {
            log.error("guild cache could not apply {}", event.type(), e);
        }
    }

    private Collection<Subscriber> candidates(GatewayEvent event) {
        if (!event.isDirected()) {
            return event.guildId() == null ? List.of() : registry.ofGuild(event.guildId());
        }
        Set<Subscriber> out = new LinkedHashSet<>();
        for (long userId : event.userIds()) {
            out.addAll(registry.ofUser(userId));
        }
        return out;
    }

    private void deliver(GatewayEvent event, Long guildId, Collection<Subscriber> candidates, boolean checkAccess) {
        if (candidates.isEmpty()) {
            return;
        }
        String type = event.type().name();
        long required = Intents.required(event);
        boolean contentEvent = MessageContent.carriesContent(event.type());
        byte[] full = null;
        byte[] stripped = null;
        Map<Long, Boolean> visible = new HashMap<>();
        Map<Executor, List<Delivery>> batches = new IdentityHashMap<>();
        Object coalesceKey = event.data() instanceof Coalescable c ? c.coalesceKey() : null;
        GatewayEvent.Position position = event.position();
        for (Subscriber s : candidates) {
            SessionIdentity id = s.session().identity();
            if (guildId != null ? !id.servesGuild(guildId) : !id.servesDirect()) {
                continue;
            }
            if (position != null && s.alreadyShown(position.stream(), position.version())) {
                continue;
            }
            if (id.dialect() == Dialect.DISCORD ? (id.intents() & required) != required : id.ignoredEvents().contains(type)) {
                continue;
            }
            if (checkAccess && !visible.computeIfAbsent(id.userId(), u -> access.canView(event.guildId(), event.channelId(), u))) {
                continue;
            }
            byte[] body;
            if (contentEvent && id.bot() && id.dialect() == Dialect.DISCORD && (id.intents() & Intents.MESSAGE_CONTENT) == 0
                    && !MessageContent.fullContentFor(event, id.userId())) {
                if (stripped == null) {
                    stripped = Json.bytes(MessageContent.stripped(event.data()));
                }
                body = stripped;
            } else {
                if (full == null) {
                    full = event.body() != null ? event.body() : Json.bytes(event.data());
                }
                body = full;
            }
            batches.computeIfAbsent(s.home(), k -> new ArrayList<>()).add(new Delivery(s.session(), body));
        }
        for (Map.Entry<Executor, List<Delivery>> batch : batches.entrySet()) {
            List<Delivery> deliveries = batch.getValue();
            LoopFlusher flusher = flushers.computeIfAbsent(batch.getKey(), LoopFlusher::new);
            batch.getKey().execute(() -> run(type, coalesceKey, deliveries, flusher));
        }
    }

    /** On one event loop: every session of the batch gets the event; the flusher sends it on. */
    private void run(String type, Object coalesceKey, List<Delivery> deliveries, LoopFlusher flusher) {
        long now = clock.getAsLong();
        for (Delivery d : deliveries) {
            if (d.session().dispatch(type, d.body(), coalesceKey, now)) {
                flusher.written(d.session());
            }
        }
    }
}
