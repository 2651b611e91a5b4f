package dev.gatehouse.gateway.presence;

import dev.gatehouse.core.event.EventBus;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.store.Store;
import dev.gatehouse.gateway.session.GatewaySession;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.protocol.gateway.PresenceUpdate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence as sessions start, update and end: the registry says whether what others see changed,
 * and a change goes out as PRESENCE_UPDATE to every guild of the user (fan-out then decides who
 * may see it: GUILD_PRESENCES in the discord dialect). Publishing needs the store, so it runs on
 * the blocking executor; the end of a session calls in with the session's lock held.
 */
public final class Presences {

    private static final Logger log = LoggerFactory.getLogger(Presences.class);

    private final PresenceRegistry registry = new PresenceRegistry(view -> publish(view.userId(), view));
    private final Store store;
    private final EventBus bus;
    private final Executor blocking;
    private final Map<Long, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();

    public Presences(Store store, EventBus bus, Executor blocking) {
        this.store = store;
        this.bus = bus;
        this.blocking = blocking;
    }

    public PresenceRegistry registry() {
        return registry;
    }

    public void started(GatewaySession session, PresenceUpdate initial, String platform) {
        long userId = session.identity().userId();
        registry.sessionStarted(userId, session.id(), initial == null ? PresenceUpdate.ONLINE : initial, platform);
    }

    /** A handed-over session's presence, as it was on the node it came from. */
    public void started(GatewaySession session, SessionPresence presence) {
        started(session, presence.update(), presence.platform());
    }

    /** The presence the session set, to take along when it moves. */
    public SessionPresence of(GatewaySession session) {
        return registry.ofSession(session.identity().userId(), session.id()).orElse(SessionPresence.DEFAULT);
    }

    public void updated(GatewaySession session, PresenceUpdate update) {
        long userId = session.identity().userId();
        registry.update(userId, session.id(), update);
    }

    public void ended(GatewaySession session) {
        long userId = session.identity().userId();
        registry.sessionEnded(userId, session.id());
    }

    /** The presences of those of the users who are online, as seen in the guild. */
    public List<PresenceView> of(long guildId, Collection<Long> userIds) {
        List<PresenceView> online = new ArrayList<>();
        for (long userId : userIds) {
            registry.get(userId).ifPresent(p -> online.add(p.inGuild(guildId)));
        }
        return online;
    }

    /**
     * Publishes in the order the changes happened for each user: called inside the registry's
     * atomic step for the user, it appends to the user's chain of tasks.
     */
    private void publish(long userId, PresenceView view) {
        Runnable task = () -> {
            try {
                for (long guildId : store.read(tx -> tx.members().guildIdsOf(userId))) {
                    bus.publish(GatewayEvent.guild(DispatchType.PRESENCE_UPDATE, guildId, view.inGuild(guildId)));
                }
            } catch (RuntimeException e) {
                log.error("could not publish the presence of {}", userId, e);
            }
        };
        CompletableFuture<Void> mine = chains.compute(userId, (k, previous) ->
                previous == null ? CompletableFuture.runAsync(task, blocking) : previous.thenRunAsync(task, blocking));
        mine.whenComplete((ok, failure) -> chains.remove(userId, mine));
    }
}
