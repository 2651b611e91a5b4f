package dev.gatehouse.gateway.hub;

import dev.gatehouse.core.event.GatewayEvent;
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
 * Hands every bus event to the local sessions allowed to see it (PROTOCOL.md, ARCHITECTURE.md "One
 * event, end to end"). Runs on the publishing thread, which may block on the guild cache's store
 * loads; event loops only ever get the prepared batches. The body is serialised once per event and
 * content variant, each home event loop receives one task per event for all its sessions, and a
 * burst of such tasks shares one flush per socket ({@link LoopFlusher}).
 */
public final class Fanout {

    private static final Logger log = LoggerFactory.getLogger(Fanout.class);

    private record Delivery(GatewaySession session, byte[] body) {}

    private final SessionRegistry registry;
    private final GuildAccess access;
    private final LongSupplier clock;
    private final Map<Executor, LoopFlusher> flushers = new ConcurrentHashMap<>();

    public Fanout(SessionRegistry registry, GuildAccess access, LongSupplier clock) {
        this.registry = registry;
        this.access = access;
        this.clock = clock;
    }

    public void publish(GatewayEvent event) {
        // a deletion is shown to those who could see the thing before it went; anything else to
        // those who can see it after the change
        boolean observeAfter = event.type() == DispatchType.CHANNEL_DELETE || event.type() == DispatchType.GUILD_DELETE;
        if (!observeAfter) {
            observe(event);
        }
        Long guildId = GuildAccess.guildOf(event);
        if (event.isDirected() && event.type() == DispatchType.GUILD_CREATE && guildId != null) {
            // a user joined a guild: their sessions of that guild's shard follow it from now on
            for (long userId : event.userIds()) {
                for (Subscriber s : registry.ofUser(userId)) {
                    if (s.session().identity().servesGuild(guildId)) {
                        registry.follow(s, guildId);
                    }
                }
            }
        }
        Collection<Subscriber> candidates = candidates(event);
        if (!candidates.isEmpty()) {
            deliver(event, guildId, candidates);
        }
        if (event.type() == DispatchType.GUILD_DELETE && guildId != null) {
            // after the goodbye went out: a left or deleted guild is followed no more
            Collection<Subscriber> leaving = event.isDirected() ? candidates : List.copyOf(registry.ofGuild(guildId));
            for (Subscriber s : leaving) {
                registry.unfollow(s, guildId);
            }
        }
        if (observeAfter) {
            observe(event);
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

    private void deliver(GatewayEvent event, Long guildId, Collection<Subscriber> candidates) {
        String type = event.type().name();
        long required = Intents.required(event);
        boolean contentEvent = MessageContent.carriesContent(event.type());
        byte[] full = null;
        byte[] stripped = null;
        Map<Long, Boolean> visible = new HashMap<>();
        Map<Executor, List<Delivery>> batches = new IdentityHashMap<>();
        Object coalesceKey = event.data() instanceof Coalescable c ? c.coalesceKey() : null;
        for (Subscriber s : candidates) {
            SessionIdentity id = s.session().identity();
            if (guildId != null ? !id.servesGuild(guildId) : !id.servesDirect()) {
                continue;
            }
            if (id.dialect() == Dialect.DISCORD ? (id.intents() & required) != required : id.ignoredEvents().contains(type)) {
                continue;
            }
            if (!event.isDirected()
                    && !visible.computeIfAbsent(id.userId(), u -> access.canView(event.guildId(), event.channelId(), u))) {
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
                    full = Json.bytes(event.data());
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
